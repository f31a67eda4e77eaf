"""The attendance rules, written once: the form, the week grid, the import, the month-end
check and the close all use :func:`check` (one delivery) or :func:`month_blockers` (a month,
in SQL, for the close).

Errors refuse a delivery; warnings let it be recorded and must be accepted by the
coordinator, with a reason, before the month can be closed."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Municipality
from cases.models import Case
from components.models import Component
from providers.models import Provider, Specialist
from providers.pricing import NoPrice, Price, price_for
from tugi.money import hours_from_minutes, line_amount
from tugi.workdays import month_end, month_start

from . import plans
from .models import LOCKED_STATES, BillingMonth, Delivery, Status

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    code: str
    level: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "level": self.level, "message": self.message}


@dataclass
class Draft:
    """A delivery about to be recorded (or re-checked): everything the rules look at."""

    municipality: Municipality
    case: Case
    component: Component
    provider: Provider
    specialist: Specialist
    date: dt.date
    minutes: int
    form: str
    start_time: dt.time | None = None
    recipient_name: str = ""
    note: str = ""
    session_key: uuid.UUID = field(default_factory=uuid.uuid4)
    pk: int | None = None


@dataclass
class Checked:
    problems: list[Problem]
    price: Price | None = None
    minutes: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    @property
    def status(self) -> str:
        if self.errors:
            return Status.ERROR
        return Status.WARNING if self.warnings else Status.OK

    @property
    def amount(self) -> Decimal | None:
        return None if self.price is None else line_amount(self.price.amount, hours_from_minutes(self.minutes))


def is_locked(municipality_id: int, day: dt.date) -> bool:
    return BillingMonth.objects.filter(
        municipality_id=municipality_id, month=month_start(day), state__in=LOCKED_STATES
    ).exists()


def is_participant(case: Case, day: dt.date) -> bool:
    return bool(case.entry_date and case.entry_date <= day and (case.exit_date is None or day <= case.exit_date))


def check(draft: Draft, *, pending_minutes: int = 0) -> Checked:
    """Every rule for one delivery. ``pending_minutes``: minutes of the same person, component
    and provider in the same month that are being recorded together with this one (import)."""
    problems: list[Problem] = []
    price = None
    day = draft.date

    if draft.minutes is None or draft.minutes <= 0:
        problems.append(Problem("minutes", ERROR, _("Minutes must be more than zero.")))
    if draft.case.municipality_id != draft.municipality.pk:
        problems.append(Problem("municipality", ERROR, _("The person's case belongs to another municipality.")))
    if is_locked(draft.municipality.pk, day):
        problems.append(
            Problem("locked", ERROR, _("Month %(month)s is closed; it can no longer be changed.")
                    % {"month": f"{day:%m.%Y}"})
        )
    if not is_participant(draft.case, day):
        problems.append(Problem("not_participant", ERROR, _("The person was not a participant on this date.")))
    if draft.specialist.provider_id != draft.provider.pk:
        problems.append(Problem("specialist", ERROR, _("The specialist does not work for this provider.")))
    if draft.form not in ("I", "G"):
        problems.append(Problem("form", ERROR, _("The form must be I (individual) or G (group).")))
    else:
        try:
            price = price_for(
                municipality=draft.municipality, provider=draft.provider, component=draft.component,
                on=day, form=draft.form,
            )
        except NoPrice as no_price:
            problems.append(Problem("no_price", ERROR, str(no_price.message)))

    same = Delivery.objects.exclude(pk=draft.pk) if draft.pk else Delivery.objects.all()
    if same.filter(
        case=draft.case, component=draft.component, provider=draft.provider, specialist=draft.specialist,
        date=day, start_time=draft.start_time, minutes=draft.minutes, form=draft.form,
        recipient_name=draft.recipient_name,
    ).exists():
        problems.append(Problem("duplicate", ERROR, _("This session has already been recorded.")))
    if draft.start_time and draft.minutes and _overlaps(draft, same):
        problems.append(Problem("overlap", ERROR, _("The specialist already has a session at this time.")))

    line = plans.covering_line(
        case=draft.case, day=day, component_id=draft.component.pk, provider_id=draft.provider.pk
    )
    if line is None:
        problems.append(
            Problem("not_on_plan", WARNING,
                    _("The component is not on the person's plan from this provider on this date."))
        )
    elif draft.minutes:
        used = same.filter(
            case=draft.case, component=draft.component, provider=draft.provider,
            date__gte=month_start(day), date__lte=month_end(day),
        ).aggregate(m=Sum("minutes"))["m"] or 0
        total = used + draft.minutes + pending_minutes
        if hours_from_minutes(total) > line.monthly_quantity:
            problems.append(
                Problem("beyond_plan", WARNING,
                        _("%(hours)s h this month is more than the plan's %(planned)s h a month.")
                        % {"hours": f"{hours_from_minutes(total):.2f}".replace(".", ","),
                           "planned": f"{line.monthly_quantity:.2f}".replace(".", ",")})
            )
    return Checked(problems=problems, price=price, minutes=draft.minutes or 0)


def _overlaps(draft: Draft, same) -> bool:
    start = dt.datetime.combine(draft.date, draft.start_time)
    end = start + dt.timedelta(minutes=draft.minutes)
    for other in same.filter(specialist=draft.specialist, date=draft.date, start_time__isnull=False).exclude(
        session_key=draft.session_key
    ).only("start_time", "minutes"):
        other_start = dt.datetime.combine(draft.date, other.start_time)
        if other_start < end and start < other_start + dt.timedelta(minutes=other.minutes):
            return True
    return False


def draft_of(delivery: Delivery) -> Draft:
    return Draft(
        municipality=delivery.municipality, case=delivery.case, component=delivery.component,
        provider=delivery.provider, specialist=delivery.specialist, date=delivery.date,
        minutes=delivery.minutes, form=delivery.form, start_time=delivery.start_time,
        recipient_name=delivery.recipient_name, note=delivery.note, session_key=delivery.session_key,
        pk=delivery.pk,
    )


# --- The month as a whole, in SQL (the close must not loop over every delivery in Python).

#: One scan of a month's deliveries: the totals per person and per component. The close
#: writes the per-person report from it; nothing else needs to read every delivery.
MONTH_TOTALS_SQL = """
SELECT d.case_id, d.component_id, count(*) AS sessions, sum(d.minutes) AS minutes, sum(d.amount) AS amount
FROM billing_delivery d
WHERE d.municipality_id = %(kov)s AND d.date >= %(first)s AND d.date <= %(last)s
GROUP BY GROUPING SETS ((d.case_id), (d.component_id))
"""

#: The checks before a close, none of which reads every delivery: stored errors, unaccepted
#: warnings and missing prices come from a partial index (rows with a problem only); dates
#: outside the person's participation can only concern cases that entered or left during the
#: month (or lost their entry date), so only their deliveries are looked at. That a specialist
#: works for the delivery's provider is checked by the database trigger when a row is written.
BLOCKERS_SQL = """
SELECT
    (SELECT count(*) FILTER (WHERE status = 'error') FROM billing_delivery
     WHERE municipality_id = %(kov)s AND date >= %(first)s AND date <= %(last)s
       AND (status IN ('error', 'warning') OR amount IS NULL)),
    (SELECT count(*) FILTER (WHERE status = 'warning') FROM billing_delivery
     WHERE municipality_id = %(kov)s AND date >= %(first)s AND date <= %(last)s
       AND (status IN ('error', 'warning') OR amount IS NULL)),
    (SELECT count(DISTINCT c.id) FROM cases_case c
     JOIN billing_delivery d ON d.case_id = c.id AND d.date >= %(first)s AND d.date <= %(last)s
     WHERE c.municipality_id = %(kov)s
       AND (c.entry_date IS NULL OR c.entry_date > %(first)s OR c.exit_date < %(last)s)
       AND (c.entry_date IS NULL OR d.date < c.entry_date OR d.date > c.exit_date)),
    (SELECT count(*) FILTER (WHERE amount IS NULL) FROM billing_delivery
     WHERE municipality_id = %(kov)s AND date >= %(first)s AND date <= %(last)s
       AND (status IN ('error', 'warning') OR amount IS NULL))
"""


def month_params(municipality: Municipality, month: dt.date) -> dict:
    return {"kov": municipality.pk, "first": month_start(month), "last": month_end(month)}


def reasons_from(counts) -> list[str]:
    errors, warnings, not_participant, unpriced = counts
    reasons = []
    if errors:
        reasons.append(
            ngettext("%(n)s delivery has errors.", "%(n)s deliveries have errors.", errors) % {"n": errors}
        )
    if warnings:
        reasons.append(
            ngettext("%(n)s warning has not been accepted.", "%(n)s warnings have not been accepted.", warnings)
            % {"n": warnings}
        )
    if not_participant:
        reasons.append(
            ngettext(
                "%(n)s person has deliveries dated outside their participation.",
                "%(n)s persons have deliveries dated outside their participation.",
                not_participant,
            )
            % {"n": not_participant}
        )
    if unpriced:
        reasons.append(
            ngettext("%(n)s delivery has no price.", "%(n)s deliveries have no price.", unpriced) % {"n": unpriced}
        )
    return reasons


def month_blockers(municipality: Municipality, month: dt.date) -> list[str]:
    """Why the month cannot be closed (empty when it can)."""
    with connection.cursor() as cursor:
        cursor.execute(BLOCKERS_SQL, month_params(municipality, month))
        return reasons_from(cursor.fetchone())
