"""Server mode: many accounts on one PostgreSQL (`afterview server ...`)."""
