"""Calendars: the action feed (and, later, invitations). The only package that imports icalendar."""
