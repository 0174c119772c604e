"""Mail: settings and secrets, messages, the SMTP sender, the outbox worker, the IMAP reply finder."""
