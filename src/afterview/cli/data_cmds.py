"""Data commands (filled in by the export/import step)."""
