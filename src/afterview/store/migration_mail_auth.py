"""Migration 22: how the mail account logs in.

`auth` is `password` (every account before) or `oauth2`; with `oauth2`, the provider
(`google`, `microsoft`) and the client id the user registered. The tokens and the
client secret are secrets: the keyring or the secrets file, never a column.
"""

V22 = """
ALTER TABLE mail_settings ADD COLUMN auth TEXT NOT NULL DEFAULT 'password'
    CHECK (auth IN ('password', 'oauth2'));
ALTER TABLE mail_settings ADD COLUMN oauth_provider TEXT;
ALTER TABLE mail_settings ADD COLUMN oauth_client_id TEXT
"""
