"""Attendance, the month-end close, the consolidated invoice to SKA and its review."""
