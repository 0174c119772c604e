"""Migration 18: an application's place on the board, set by the user, and notes.

`stage` is where the user moved the application (NULL: where its facts put it, see
`services.applications`); `stage_at` is when; `notes` are the user's notes on it.
"""

V18 = """
ALTER TABLE application ADD COLUMN stage TEXT
    CHECK (stage IN ('lead', 'applied', 'interviewing', 'offer', 'closed'));
ALTER TABLE application ADD COLUMN stage_at TEXT;
ALTER TABLE application ADD COLUMN notes TEXT
"""
