"""Draft commands (filled in by the drafts step)."""
