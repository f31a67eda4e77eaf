"""Tags of the month pages: ``{% month_documents municipality month as rows %}``,
``{% record_documents record as rows %}`` and ``{% unread_reminders as reminders %}``."""

from django import template

from reporting import months

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def month_documents(context, municipality, month, kinds=""):
    """The month's documents; ``kinds`` ("invoice_pdf cost_report") keeps only those, in that order."""
    user = _user(context)
    if user is None or municipality is None or month is None:
        return []
    rows = months.month_documents(user, municipality, month)
    if kinds:
        order = kinds.split()
        rows = sorted((row for row in rows if row.kind.code in order), key=lambda row: order.index(row.kind.code))
    return rows


@register.simple_tag(takes_context=True)
def record_documents(context, record):
    user = _user(context)
    if user is None or record is None:
        return []
    return months.record_documents(user, record)


@register.simple_tag(takes_context=True)
def unread_reminders(context):
    return list(months.unread_reminders(_user(context))[:10])
