"""irp: plans, dates and documents for independent reviews of progress (IRPs)."""

__version__ = "0.1.0"
