"""afterview: the after-the-interview assistant for job seekers."""

__version__ = "0.1.0"
