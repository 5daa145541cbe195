"""The files people write: the visit file (models, loader, messages, starter) and the settings
file ``irp.toml`` (config)."""
