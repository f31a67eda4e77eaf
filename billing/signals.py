"""Signals other apps answer without billing importing them (e.g. reporting generates the
month's reports when a month is closed)."""

from django.dispatch import Signal

#: Sent after the transaction that closed a month has committed.
#: Arguments: ``invoice`` (the new :class:`billing.models.Invoice`) and ``by`` (the user).
month_closed = Signal()
