"""Applying the guide's rules to a loaded visit (checks), and the session that loads, dates and
checks each file of a run."""
