"""The month as the coordinator meets it: five steps from the sessions coming in to SKA's
answer, each with its state, what blocks it and the one page where it is done.

Composed from the existing selectors (the month's row, its deliveries, the close's blockers);
the month-end pages (``billing.views``) show it as the coordinator's start page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Municipality
from tugi.workdays import add_months, month_end

from . import rules, selectors
from .models import Invoice, MonthState, Status

#: The month-end pages in the order the coordinator walks them: (URL name, label).
PAGES = (
    ("billing:month_end", gettext_lazy("Overview")),
    ("billing:month_check", gettext_lazy("Check")),
    ("billing:month_closing", gettext_lazy("Close")),
    ("billing:month_submission", gettext_lazy("Submit")),
    ("billing:month_dashboard", gettext_lazy("Dashboard")),
)

DONE, CURRENT, WAITING, BLOCKED = "done", "current", "waiting", "blocked"

#: How each state reads next to a step (the badge).
STATE_LABELS = {
    DONE: gettext_lazy("done"),
    CURRENT: gettext_lazy("to do"),
    WAITING: gettext_lazy("waiting"),
    BLOCKED: gettext_lazy("blocked"),
}


@dataclass
class Step:
    key: str
    title: str
    state: str
    summary: str
    url: str = ""
    link: str = ""
    blockers: list[str] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def page_links(month: dt.date, current: str) -> dict:
    """The step indicator of the month-end pages: every page, the current one marked, and
    the previous and next page of ``current`` (each keeps the chosen month)."""
    query = f"?month={month:%Y-%m}"
    pages = [
        {"name": name, "label": label, "url": reverse(name) + query, "current": name == current}
        for name, label in PAGES
    ]
    index = next(i for i, page in enumerate(pages) if page["current"])
    return {
        "pages": pages,
        "previous_page": pages[index - 1] if index > 0 else None,
        "next_page": pages[index + 1] if index + 1 < len(pages) else None,
    }


def month_counts(municipality: Municipality, month: dt.date) -> dict:
    """Sessions of the month, and how many of them still have an error or an unaccepted warning."""
    return selectors.month_deliveries(municipality, month).aggregate(
        sessions=Count("pk"),
        errors=Count("pk", filter=Q(status=Status.ERROR)),
        warnings=Count("pk", filter=Q(status=Status.WARNING)),
    )


def live_invoice(state) -> Invoice | None:
    """The month's newest version not withdrawn (the one SKA has or will have)."""
    if state is None:
        return None
    return state.invoices.live().order_by("-version").first()


def month_steps(*, municipality: Municipality, month: dt.date, today: dt.date, state=None) -> dict:
    """The five steps of ``month`` with the first one not done marked as the next step.
    ``state``: the month's row when the caller has read it already."""
    state = state or selectors.month_state(municipality, month)
    month_value = state.state if state else MonthState.OPEN
    locked = bool(state and state.is_locked)
    closable_from = add_months(month, 1)
    has_ended = today >= closable_from
    counts = month_counts(municipality, month)
    invoice = live_invoice(state)
    query = f"?month={month:%Y-%m}"
    blockers = [] if locked else rules.month_blockers(municipality, month)

    sessions = ngettext("%(n)s session recorded.", "%(n)s sessions recorded.", counts["sessions"]) % {
        "n": counts["sessions"]
    }
    deliveries = Step(
        "deliveries", _("Sessions in"), DONE if has_ended or locked else CURRENT, sessions,
        url=reverse("billing:delivery_list") + query, link=_("Sessions of the month"),
    )
    if not (has_ended or locked):
        deliveries.blockers = [
            _("Providers record sessions until the month ends (%(date)s).") % {"date": f"{month_end(month):%d.%m.%Y}"}
        ]

    open_problems = counts["errors"] + counts["warnings"]
    if locked or not open_problems:
        check_state, check_summary = DONE, _("No errors and no unaccepted warnings.")
    else:
        check_state = CURRENT
        check_summary = ", ".join(filter(None, [
            counts["errors"] and ngettext("%(n)s session with an error", "%(n)s sessions with an error",
                                          counts["errors"]) % {"n": counts["errors"]},
            counts["warnings"] and ngettext("%(n)s warning to accept", "%(n)s warnings to accept",
                                            counts["warnings"]) % {"n": counts["warnings"]},
        ])) + "."
    check = Step(
        "check", _("Warnings handled"), check_state, check_summary,
        url=reverse("billing:month_check") + query, link=_("Check the month"),
    )

    if locked:
        close = Step("close", _("Closed"), DONE,
                     _("Closed: invoice %(number)s.") % {"number": invoice.number} if invoice else _("Closed."))
    elif not has_ended:
        close = Step("close", _("Closed"), WAITING,
                     _("The month can be closed from %(date)s, after it has ended.")
                     % {"date": f"{closable_from:%d.%m.%Y}"})
    elif blockers:
        close = Step("close", _("Closed"), BLOCKED, _("The month cannot be closed yet."), blockers=blockers)
    else:
        close = Step("close", _("Closed"), CURRENT, _("Ready to close."))
    close.url, close.link = reverse("billing:month_closing") + query, _("Close the month")

    submitted_states = (MonthState.SUBMITTED, MonthState.RETURNED, MonthState.ACCEPTED)
    if month_value in submitted_states and invoice is not None:
        submit = Step("submit", _("Submitted to SKA"), DONE,
                      _("Invoice %(number)s submitted %(date)s.")
                      % {"number": invoice.number, "date": f"{invoice.submitted_at:%d.%m.%Y}"}
                      if invoice.submitted_at else _("Submitted."))
    elif month_value == MonthState.CLOSED and invoice is not None:
        submit = Step("submit", _("Submitted to SKA"), CURRENT,
                      _("Invoice %(number)s is due by %(date)s.")
                      % {"number": invoice.number, "date": f"{invoice.due_date:%d.%m.%Y}"})
    else:
        submit = Step("submit", _("Submitted to SKA"), WAITING, _("Close the month first."))
    submit.url, submit.link = reverse("billing:month_submission") + query, _("Submit to SKA")

    answer = Step("answer", _("SKA's answer"), WAITING, _("Submit the invoice first."))
    if month_value == MonthState.ACCEPTED:
        answer.state = DONE
        answer.summary = _("SKA accepted the invoice.")
    elif month_value == MonthState.RETURNED:
        answer.state = BLOCKED
        answer.summary = _("SKA returned the invoice: reopen the month, correct it, close it and submit it again.")
        if invoice is not None and invoice.remarks:
            answer.blockers = [_("SKA's remarks: %(remarks)s") % {"remarks": invoice.remarks}]
    elif month_value == MonthState.SUBMITTED:
        answer.summary = _("Waiting for SKA's review.")
    if invoice is not None:
        answer.url, answer.link = reverse("billing:invoice_detail", args=[invoice.pk]), _("Open the invoice")

    steps = [deliveries, check, close, submit, answer]
    following = next((s for s in steps if s.state != DONE), None)
    return {
        "steps": steps,
        "next_step": following,
        "state": state,
        "locked": locked,
        "invoice": invoice,
        "counts": counts,
    }
