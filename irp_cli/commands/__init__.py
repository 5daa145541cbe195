"""One module per command group. Each imports heavy libraries inside its functions only."""
