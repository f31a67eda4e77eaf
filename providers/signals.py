"""Signals other apps answer without providers importing them."""

from django.dispatch import Signal

#: Sent inside the transaction that changed the prices a contract charges (a price added or
#: changed, the contract's period changed). Arguments: ``municipality_id``, ``provider_id``,
#: ``component_id`` (None: every component), ``start`` and ``end`` (None: open) — the days whose
#: price may differ now. Billing answers with a :class:`billing.services.Repriced` (how many
#: recorded deliveries of open months got a new amount, and by how much in total).
prices_changed = Signal()
