"""Signals other apps answer without the cases app importing them."""

from django.dispatch import Signal

#: Sent inside the transaction that exits a case, after the case is saved. Arguments:
#: ``case`` (the exited :class:`cases.models.Case`) and ``exit_date``. The assessments app
#: ends the plan, its lines and the base-support link on that date; a receiver that raises
#: a DomainError refuses the exit (the transaction rolls back).
case_exited = Signal()
