"""Keeping the worker running: the service files (pure) and the system commands."""
