"""Signals other apps answer without billing importing them (e.g. reporting generates the
month's reports when a month is closed)."""

from django.dispatch import Signal

#: Sent inside the transaction that closes a month, once the invoice is written (with
#: ``send_robust``): a receiver's writes commit or roll back with the close, and a receiver must
#: keep its own writes in a savepoint (``transaction.atomic()``) so that its failure cannot undo
#: the close; anything outside the database (a queue message) belongs in ``on_commit``.
#: Arguments: ``invoice`` (the new :class:`billing.models.Invoice`) and ``by`` (the user).
month_closed = Signal()
