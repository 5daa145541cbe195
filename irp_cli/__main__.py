"""Allow ``python -m irp_cli``."""

from irp_cli.cli import main

if __name__ == "__main__":
    main()
