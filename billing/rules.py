"""The delivery rule catalogue: every rule that decides whether a delivery may be recorded.

Each rule has a stable code, a level (an ERROR refuses the delivery, a WARNING lets it be
recorded but must be accepted by the coordinator before the month can be closed) and a
message that names the offending value. :data:`RULES` lists them all; docs/month-end.md
lists them as users read them.

Every way in goes through here and nothing else decides:

- one row at a time (the session form, the week grid, a change of a delivery):
  :func:`check`;
- a set of rows at once (the import, the month's re-check): :func:`check_staged` over a
  staging table (:data:`STAGING_COLUMNS`, :func:`create_staging_table`);
- the values a person types (dates, times, minutes, codes, free text): the ``read_*``
  functions, which raise :class:`RowError` with the catalogue's problem;
- the close: :func:`month_blockers` (SQL), consistent with the stored verdicts.

Who may record for whom is not a delivery rule but an access rule; it lives in
:func:`accounts.permissions.deliverable_cases_for` and is reported with the neutral
``person_not_reachable`` problem."""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Municipality
from cases.isikukood import normalise_isikukood
from cases.models import Case
from components.models import Component
from providers.models import Provider, Specialist
from providers.pricing import NoPrice, Price, price_for
from tugi.money import minutes_amount
from tugi.workdays import month_end, month_start

from . import plans
from .models import LOCKED_STATES, BillingMonth, Delivery, Status

ERROR = "error"
WARNING = "warning"

#: The longest session that may be recorded: one working day (8 h). The database refuses
#: longer ones too (constraint ``delivery_minutes_at_most_a_day``).
MAX_MINUTES = 480
#: Free-text fields of a delivery and their length in the database.
TEXT_LIMITS = {"recipient_name": 200, "note": 500}


@dataclass(frozen=True)
class Rule:
    code: str
    level: str
    message: Promise

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


@dataclass(frozen=True)
class Problem:
    code: str
    level: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "level": self.level, "message": self.message}


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.code: rule for rule in rules}


#: The catalogue. Parse-level rules first (what a line of a file or a cell of the grid says),
#: then the rules of one delivery, then the rules of a file as a whole.
RULES: dict[str, Rule] = _rules(
    # What was typed.
    Rule("date_invalid", ERROR, _("“%(value)s” is not a date in the form dd.mm.yyyy (e.g. 06.04.2026).")),
    Rule("date_impossible", ERROR, _("%(value)s is not a day of the calendar.")),
    Rule("time_invalid", ERROR, _("“%(value)s” is not a time of day in the form hh:mm (e.g. 09:30).")),
    Rule("minutes_invalid", ERROR,
         _("“%(value)s” is not a whole number of minutes from 1 to %(max)s (one working day).")),
    Rule("text_nul", ERROR, _("The %(field)s contains a NUL character; remove it.")),
    Rule("text_too_long", ERROR, _("The %(field)s is %(length)s characters long; at most %(max)s are allowed.")),
    Rule("isikukood_invalid", ERROR,
         _("“%(value)s” is not a valid personal identification code (11 digits with a correct check digit).")),
    Rule("person_not_reachable", ERROR,
         _("You cannot record deliveries for the person with the code %(value)s.")),
    Rule("component_unknown", ERROR, _("There is no component with the code “%(value)s”.")),
    Rule("provider_unknown", ERROR, _("There is no provider with the registry code “%(value)s”.")),
    Rule("provider_not_own", ERROR, _("You may record only your own provider's sessions, not %(value)s's.")),
    Rule("specialist_unknown", ERROR, _("The specialist “%(value)s” does not work for this provider.")),
    Rule("form_invalid", ERROR, _("The form “%(value)s” must be I (individual) or G (group).")),
    # One delivery.
    Rule("other_municipality", ERROR, _("The person's case belongs to another municipality.")),
    Rule("locked", ERROR, _("Month %(month)s is closed; it can no longer be changed.")),
    Rule("not_participant", ERROR, _("The person was not a participant on %(date)s.")),
    Rule("specialist_other_provider", ERROR, _("The specialist %(value)s does not work for this provider.")),
    Rule("not_qualified", ERROR,
         _("%(component)s requires the qualification “%(qualification)s”, which the specialist %(specialist)s "
           "does not hold on %(date)s.")),
    Rule("no_price", ERROR, _("There is no price for %(component)s on %(date)s. %(reason)s")),
    Rule("already_recorded", ERROR, _("This session has already been recorded.")),
    Rule("overlap", ERROR, _("The specialist already has a session at %(time)s on %(date)s.")),
    Rule("not_on_plan", WARNING,
         _("%(hours)s h of %(component)s (%(form)s) in %(month)s is not on the person's plan from this provider "
           "(the first session on %(date)s).")),
    Rule("form_not_on_plan", WARNING,
         _("The plan buys %(component)s from this provider as %(planned)s work, not as %(form)s work.")),
    Rule("beyond_plan", WARNING,
         _("%(hours)s h of %(component)s (%(form)s) in %(month)s is more than the plan's %(planned)s h "
           "for the days it is in force.")),
    # A file as a whole.
    Rule("duplicate_in_file", ERROR, _("The same session as on line %(line)s.")),
    Rule("file_too_large", ERROR, _("The file is %(size)s; at most %(max)s are allowed.")),
    Rule("too_many_rows", ERROR, _("The file has more than %(max)s rows; split it into smaller files.")),
    Rule("file_unreadable", ERROR, _("The file %(value)s cannot be read; save it as XLSX or as CSV UTF-8.")),
)

#: Human names of the free-text fields, for ``text_nul`` and ``text_too_long``.
FIELD_NAMES = {"recipient_name": _("recipient's name"), "note": _("note"), "value": _("value")}


def problem(code: str, **params) -> Problem:
    """The catalogue's problem ``code`` with its message filled in (in the active language)."""
    rule = RULES[code]
    message = str(rule.message)
    if params:
        message = message % {k: str(v) for k, v in params.items()}
    return Problem(code, rule.level, message)


class RowError(ValueError):
    """A value that cannot be read; ``problem`` says which rule and why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.message)


def _fmt(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def _hours(value: Fraction) -> str:
    """Hours to two decimals, half up, with a decimal comma (12,50)."""
    cents = math.floor(Fraction(value) * 100 + Fraction(1, 2))
    return f"{cents // 100},{cents % 100:02d}"


# --- Reading what was typed (the grid, the form and the import read values the same way)


def read_date(value) -> dt.date:
    """dd.mm.yyyy, or a date already; an impossible day (31.04.2026) says so."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    parts = text.split(".")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts) or len(parts[2]) != 4 \
            or not (1 <= len(parts[0]) <= 2 and 1 <= len(parts[1]) <= 2):
        raise RowError(problem("date_invalid", value=text))
    try:
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise RowError(problem("date_impossible", value=text)) from None


def read_time(value) -> dt.time | None:
    """hh:mm (or hh:mm:ss), empty for none."""
    if value is None or isinstance(value, dt.time):
        return value
    text = str(value).strip()
    if not text:
        return None
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isascii() and p.isdigit() and len(p) <= 2 for p in parts):
        raise RowError(problem("time_invalid", value=text))
    try:
        return dt.time(*(int(p) for p in parts))
    except ValueError:
        raise RowError(problem("time_invalid", value=text)) from None


def minutes_problem(minutes) -> Problem | None:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_MINUTES:
        return problem("minutes_invalid", value=minutes, max=MAX_MINUTES)
    return None


def read_minutes(value) -> int:
    """A whole number of minutes, 1 … :data:`MAX_MINUTES`."""
    if isinstance(value, int) and not isinstance(value, bool):
        minutes = value
    else:
        text = str(value if value is not None else "").strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 6:
            raise RowError(problem("minutes_invalid", value=text, max=MAX_MINUTES))
        minutes = int(text)
    found = minutes_problem(minutes)
    if found:
        raise RowError(found)
    return minutes


def read_form(value) -> str:
    text = str(value or "").strip().upper()
    if text not in ("I", "G"):
        raise RowError(problem("form_invalid", value=str(value or "").strip()))
    return text


def text_problem(name: str, value: str) -> Problem | None:
    """A NUL character or more characters than the database keeps."""
    if "\x00" in value:
        return problem("text_nul", field=FIELD_NAMES.get(name, name))
    limit = TEXT_LIMITS.get(name)
    if limit is not None and len(value) > limit:
        return problem("text_too_long", field=FIELD_NAMES.get(name, name), length=len(value), max=limit)
    return None


def read_text(name: str, value) -> str:
    text = str(value or "").strip()
    found = text_problem(name, text)
    if found:
        raise RowError(found)
    return text


def read_isikukood(value) -> str:
    """11 ASCII digits with a correct check digit (look-alike digits and spaces are mended)."""
    from stdnum.ee import ik

    code = normalise_isikukood(value)
    if not ik.is_valid(code):
        raise RowError(problem("isikukood_invalid", value=str(value or "").strip() or "—"))
    return code


# --- One delivery


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
        return None if self.price is None else minutes_amount(self.price.amount, self.minutes)


def is_locked(municipality_id: int, day: dt.date) -> bool:
    return BillingMonth.objects.filter(
        municipality_id=municipality_id, month=month_start(day), state__in=LOCKED_STATES
    ).exists()


def check(draft: Draft, *, pending: list[Draft] = ()) -> Checked:
    """Every rule for one delivery. ``pending``: the deliveries recorded together with this one
    and before it (a grid's other cells), which count towards the plan and duplicates."""
    problems: list[Problem] = []
    price = None
    day = draft.date

    found = minutes_problem(draft.minutes)
    if found:
        problems.append(found)
    for name in TEXT_LIMITS:
        found = text_problem(name, getattr(draft, name) or "")
        if found:
            problems.append(found)
    if draft.case.municipality_id != draft.municipality.pk:
        problems.append(problem("other_municipality"))
    if is_locked(draft.municipality.pk, day):
        problems.append(problem("locked", month=f"{day:%m.%Y}"))
    if not draft.case.participates_on(day):
        problems.append(problem("not_participant", date=_fmt(day)))
    if draft.specialist.provider_id != draft.provider.pk:
        problems.append(problem("specialist_other_provider", value=draft.specialist.name))
    elif not draft.specialist.is_qualified_for(draft.component, day):
        problems.append(
            problem("not_qualified", component=draft.component.code, specialist=draft.specialist.name,
                    qualification=draft.component.required_qualification.strip(), date=_fmt(day))
        )
    if draft.form not in ("I", "G"):
        problems.append(problem("form_invalid", value=draft.form))
    else:
        try:
            price = price_for(
                municipality=draft.municipality, provider=draft.provider, component=draft.component,
                on=day, form=draft.form,
            )
        except NoPrice as no_price:
            problems.append(
                problem("no_price", component=draft.component.code, date=_fmt(day), reason=no_price.message)
            )

    same = Delivery.objects.exclude(pk=draft.pk) if draft.pk else Delivery.objects.all()
    if _is_recorded(draft, same) or any(_same_session(draft, other) for other in pending):
        problems.append(problem("already_recorded"))
    if draft.start_time and not minutes_problem(draft.minutes):
        clash = _overlap(draft, same, pending)
        if clash:
            problems.append(problem("overlap", time=f"{clash:%H:%M}", date=_fmt(day)))

    if draft.form in ("I", "G") and not minutes_problem(draft.minutes):
        problems.extend(_plan_problems(draft, same, pending))
    return Checked(problems=in_catalogue_order(problems), price=price, minutes=draft.minutes or 0)


_ORDER = {code: index for index, code in enumerate(RULES)}


def in_catalogue_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (_ORDER[p.code], p.message))


def _identity(d) -> tuple:
    return (d.case.pk if hasattr(d, "case") else d.case_id, d.component.pk, d.provider.pk, d.specialist.pk,
            d.date, d.start_time, d.minutes, d.form, d.recipient_name)


def _same_session(draft: Draft, other: Draft) -> bool:
    return _identity(draft) == _identity(other)


def _is_recorded(draft: Draft, same) -> bool:
    return same.filter(
        case=draft.case, component=draft.component, provider=draft.provider, specialist=draft.specialist,
        date=draft.date, start_time=draft.start_time, minutes=draft.minutes, form=draft.form,
        recipient_name=draft.recipient_name,
    ).exists()


def _overlap(draft: Draft, same, pending) -> dt.time | None:
    """The start of another session of the same specialist that overlaps this one."""
    start = dt.datetime.combine(draft.date, draft.start_time)
    end = start + dt.timedelta(minutes=draft.minutes)
    others = [
        (o.start_time, o.minutes)
        for o in same.filter(specialist=draft.specialist, date=draft.date, start_time__isnull=False)
        .exclude(session_key=draft.session_key).only("start_time", "minutes")
    ] + [
        (o.start_time, o.minutes) for o in pending
        if o.specialist.pk == draft.specialist.pk and o.date == draft.date and o.start_time
        and o.session_key != draft.session_key
    ]
    for other_time, other_minutes in sorted(others):
        other_start = dt.datetime.combine(draft.date, other_time)
        if other_start < end and start < other_start + dt.timedelta(minutes=other_minutes):
            return other_time
    return None


def _plan_problems(draft: Draft, same, pending) -> list[Problem]:
    lines = plans.lines_for(case=draft.case, day=draft.date, component_id=draft.component.pk,
                            provider_id=draft.provider.pk)
    if not lines:
        if plans.is_planning_by_base_provider(
            case=draft.case, day=draft.date, component=draft.component, provider_id=draft.provider.pk
        ):
            return []
        return _not_on_plan(draft, same, pending)
    if not any(line.form == draft.form for line in lines):
        planned = {line.form for line in lines}.pop()
        return [problem("form_not_on_plan", component=draft.component.code,
                        planned=_form_name(planned), form=_form_name(draft.form))]
    first, last = month_start(draft.date), month_end(draft.date)
    group = same.filter(
        case=draft.case, component=draft.component, provider=draft.provider, form=draft.form,
        date__gte=first, date__lte=last,
    )
    month_total = sum(group.values_list("minutes", flat=True)) + draft.minutes + sum(
        o.minutes for o in pending
        if (o.case.pk, o.component.pk, o.provider.pk, o.form) ==
        (draft.case.pk, draft.component.pk, draft.provider.pk, draft.form)
        and first <= o.date <= last
    )
    if draft.pk:  # a recorded session: the ones recorded before it
        before = sum(group.filter(pk__lt=draft.pk).values_list("minutes", flat=True))
    else:  # a new session comes after everything recorded
        before = month_total - draft.minutes
    planned_hours = plans.planned_hours(
        case=draft.case, month=first, component_id=draft.component.pk, provider_id=draft.provider.pk,
        form=draft.form,
    )
    return _beyond_plan(before, draft.minutes, month_total, planned_hours, component=draft.component.code,
                        form=draft.form, month=first)


def _not_on_plan(draft: Draft, same, pending) -> list[Problem]:
    """One warning per plan line (case, component, provider, form) and month for the sessions
    on no plan: on the first of them, naming the month's hours of such sessions, so that the
    coordinator accepts them at once and more of them reopen the warning."""
    first, last = month_start(draft.date), month_end(draft.date)
    off = plans.off_plan_days(case=draft.case, month=first, component=draft.component, provider_id=draft.provider.pk)
    group = same.filter(case=draft.case, component=draft.component, provider=draft.provider, form=draft.form,
                        date__gte=first, date__lte=last, date__in=off)
    earlier_pending = [
        o.minutes for o in pending
        if (o.case.pk, o.component.pk, o.provider.pk, o.form) ==
        (draft.case.pk, draft.component.pk, draft.provider.pk, draft.form) and o.date in off
        and not minutes_problem(o.minutes)  # a row that cannot be recorded holds no warning
    ]
    earlier = group.filter(pk__lt=draft.pk) if draft.pk else group
    if earlier_pending or earlier.exists():
        return []
    # The first: a new session has nothing recorded before it; a recorded one names the month's hours.
    minutes = draft.minutes + (sum(group.values_list("minutes", flat=True)) if draft.pk else 0)
    return [not_on_plan_problem(minutes=minutes, component=draft.component.code, form=draft.form,
                                month=first, first_day=draft.date)]


def not_on_plan_problem(*, minutes: int, component: str, form: str, month: dt.date, first_day: dt.date) -> Problem:
    return problem("not_on_plan", hours=_hours(Fraction(minutes, 60)), component=component, form=form,
                   month=f"{month:%m.%Y}", date=_fmt(first_day))


def _beyond_plan(before: int, minutes: int, month_total: int, planned_hours: Fraction, *, component: str,
                 form: str, month) -> list[Problem]:
    """One warning per plan line (component, provider, form) and month: on the session that
    takes the month past the plan, naming the month's total, not on every session after it."""
    planned_minutes = planned_hours * 60
    if before <= planned_minutes < before + minutes:
        return [problem("beyond_plan", hours=_hours(Fraction(month_total, 60)), component=component, form=form,
                        month=f"{month:%m.%Y}", planned=_hours(planned_hours))]
    return []


def _form_name(form: str) -> str:
    return str(_("individual") if form == "I" else _("group"))


def draft_of(delivery: Delivery) -> Draft:
    return Draft(
        municipality=delivery.municipality, case=delivery.case, component=delivery.component,
        provider=delivery.provider, specialist=delivery.specialist, date=delivery.date,
        minutes=delivery.minutes, form=delivery.form, start_time=delivery.start_time,
        recipient_name=delivery.recipient_name, note=delivery.note, session_key=delivery.session_key,
        pk=delivery.pk,
    )


# --- A set of rows: the staging table (import, re-check)

#: The staging table's columns, in the order a COPY fills them.
STAGING_COLUMNS: list[tuple[str, str]] = [
    ("line", "integer NOT NULL"),
    ("case_id", "integer NOT NULL"),
    ("component_id", "integer NOT NULL"),
    ("provider_id", "integer NOT NULL"),
    ("specialist_id", "integer NOT NULL"),
    ("date", "date NOT NULL"),
    ("start_time", "time NULL"),
    ("minutes", "integer NOT NULL"),
    ("form", "varchar(1) NOT NULL"),
    ("recipient_name", "varchar(200) NOT NULL DEFAULT ''"),
    ("note", "text NOT NULL DEFAULT ''"),
    ("session_key", "uuid NOT NULL"),
]


def create_staging_table(cursor, name: str) -> None:
    """A TEMP table (dropped at commit) with :data:`STAGING_COLUMNS`."""
    if not name.isidentifier():
        raise ValueError(f"not a table name: {name!r}")
    columns = ", ".join(f"{column} {kind}" for column, kind in STAGING_COLUMNS)
    cursor.execute(f"CREATE TEMP TABLE {name} ({columns}) ON COMMIT DROP")
    cursor.execute(f"CREATE INDEX ON {name} (specialist_id, date)")


def check_staged(
    *, cursor, table: str, municipality_id: int, rechecking: bool = False
) -> dict[int, list[Problem]]:
    """Every delivery rule over the staged rows as a set, in SQL: line → its problems (lines
    without problems are left out). Rows count against the database and against each other: a
    row is checked as if the rows on earlier lines were already recorded, exactly as
    :func:`check` does with ``pending`` (a property test holds the two to the same verdicts)."""
    if not table.isidentifier():
        raise ValueError(f"not a table name: {table!r}")
    cursor.execute(f"ANALYZE {table}")
    # Re-checking recorded rows (``line`` is then the delivery's id): those rows are staged, so the
    # recorded side leaves them out, and "the month's hours" are the whole month's.
    parts = {
        "staged": table,
        "not_rechecked": f"d.id NOT IN (SELECT line FROM {table}) AND" if rechecking else "",
        "not_rechecked_o": f"o.id NOT IN (SELECT line FROM {table}) AND" if rechecking else "",
        "month_total": "staged_month_minutes" if rechecking else "staged_minutes",
        # the first session on no plan names the month's hours when re-checked, its own when new
        "off_total": "month_minutes" if rechecking else "minutes",
        "planning_s": _planning_sql("s"),
        "b_contract_in_force": contract_in_force_sql("ct", "b.date"),
        "b_price": price_on_sql("b"),
        "d_off_plan": _off_plan_sql("d"),
    }
    cursor.execute(STAGED_SQL.format(**parts), {"kov": municipality_id, "max": MAX_MINUTES,
                                                      "text_max": TEXT_LIMITS["note"],
                                                      "planning": list(plans.PLANNING_COMPONENTS)})
    verdicts: dict[int, list[Problem]] = {}
    for line, code, params in cursor.fetchall():
        params = json.loads(params) if isinstance(params, str) else params
        verdicts.setdefault(line, []).append(_staged_problem(code, params))
    return {line: in_catalogue_order(found) for line, found in sorted(verdicts.items())}


def _planning_sql(row: str) -> str:
    """SQL twin of :func:`billing.plans.is_planning_by_base_provider` for the row ``row``."""
    return f"""({row}.component_id IN (SELECT pk.id FROM components_component pk WHERE pk.code = ANY(%(planning)s))
        -- a base-support link in force (BaseProviderLink.objects.in_force_on)
        AND EXISTS (SELECT 1 FROM assessments_baseproviderlink bl
                    WHERE bl.case_id = {row}.case_id AND bl.provider_id = {row}.provider_id
                      AND bl.valid_from <= {row}.date AND (bl.valid_to IS NULL OR bl.valid_to >= {row}.date))
        AND NOT EXISTS (SELECT 1 FROM assessments_plan pp WHERE pp.case_id = {row}.case_id
                        AND pp.status = 'agreed' AND pp.valid_from <= {row}.date))"""


def _off_plan_sql(row: str) -> str:
    """SQL twin of :func:`billing.plans.off_plan_days` for the row ``row``: no plan line in force
    buys its component from its provider on its date, and it is not base-support planning."""
    return f"""NOT EXISTS (
        SELECT 1 FROM assessments_plan p
        JOIN assessments_planline l ON l.plan_id = p.id AND l.component_id = {row}.component_id
             AND l.provider_id = {row}.provider_id AND l.valid_from <= {row}.date
             AND (l.valid_to IS NULL OR l.valid_to >= {row}.date)
        WHERE p.case_id = {row}.case_id AND p.status = 'agreed' AND p.valid_from <= {row}.date
          AND (p.valid_to IS NULL OR p.valid_to >= {row}.date))
      AND NOT {_planning_sql(row)}"""


def _staged_problem(code: str, params: dict) -> Problem:
    if code == "no_price":
        params = {**params, "reason": NoPrice.MESSAGES[params["reason"]]}
    elif code == "form_not_on_plan":
        params = {**params, "planned": _form_name(params["planned"]), "form": _form_name(params["form"])}
    elif code == "beyond_plan":
        planned = Fraction(Decimal(params.pop("planned_day_hours"))) / params.pop("month_days")
        month = dt.date.fromisoformat(params["month"])
        return _beyond_plan(params["used"] - params["minutes"], params["minutes"], params["total"], planned,
                            component=params["component"], form=params["form"], month=month)[0]
    elif code == "not_on_plan":
        return not_on_plan_problem(minutes=params["minutes"], component=params["component"], form=params["form"],
                                   month=dt.date.fromisoformat(params["month"]),
                                   first_day=read_date(params["date"]))
    elif code == "text_too_long":
        params = {**params, "field": FIELD_NAMES["note"]}
    return problem(code, **params)


#: The rules of :func:`check`, one SELECT each, over the staged rows ``s`` (earlier lines count
#: as recorded). Each yields (line, code, parameters of the message).
def contract_in_force_sql(contract: str, day: str) -> str:
    """SQL twin of ``ContractQuerySet.in_force_on``: the contract row ``contract`` is in force on
    the date ``day``."""
    return f'{contract}.start <= {day} AND {contract}."end" >= {day}'


def price_on_sql(row: str, *, kov: str = "%(kov)s") -> str:
    """SQL twin of :func:`providers.pricing.price_for`'s choice of price: the FROM … LIMIT 1 that
    finds the contract price of ``row``'s component from its provider on its date (the latest
    contract, then the latest price version); select from ``cp`` and ``ct``."""
    return f"""FROM providers_contractprice cp JOIN providers_contract ct ON ct.id = cp.contract_id
         WHERE ct.municipality_id = {kov} AND ct.provider_id = {row}.provider_id
           AND {contract_in_force_sql("ct", f"{row}.date")} AND cp.component_id = {row}.component_id
           AND cp.valid_from <= {row}.date AND (cp.valid_to IS NULL OR cp.valid_to >= {row}.date)
         ORDER BY ct.start DESC, cp.valid_from DESC LIMIT 1"""


STAGED_SQL = """
WITH base AS MATERIALIZED (
    SELECT st.line, st.case_id, st.component_id, st.provider_id, st.specialist_id, st.date, st.start_time,
           st.minutes, st.form, st.recipient_name, st.note, st.session_key,
           c.municipality_id AS case_kov, c.entry_date, c.exit_date,
           k.code AS component_code, k.form AS component_form, k.retired_on,
           btrim(k.required_qualification) AS required, sp.provider_id AS specialist_provider,
           sp.name AS specialist_name,
           date_trunc('month', st.date)::date AS first,
           (date_trunc('month', st.date) + interval '1 month - 1 day')::date AS last,
           st.form IN ('I', 'G') AND st.minutes BETWEEN 1 AND %(max)s AS plannable,
           -- earlier lines count as recorded: the month's minutes so far, and repeats of a session
           sum(st.minutes) OVER (PARTITION BY st.case_id, st.component_id, st.provider_id, st.form,
                                 date_trunc('month', st.date) ORDER BY st.line) AS staged_minutes,
           sum(st.minutes) OVER (PARTITION BY st.case_id, st.component_id, st.provider_id, st.form,
                                 date_trunc('month', st.date)) AS staged_month_minutes,
           row_number() OVER (PARTITION BY st.case_id, st.component_id, st.provider_id, st.specialist_id, st.date,
                              st.start_time, st.minutes, st.form, st.recipient_name ORDER BY st.line) AS repeat
    FROM {staged} st
    JOIN cases_case c ON c.id = st.case_id
    JOIN components_component k ON k.id = st.component_id
    JOIN providers_specialist sp ON sp.id = st.specialist_id
),
s AS MATERIALIZED (
    SELECT b.*, lines_on.lines, lines_on.has_form, lines_on.other_form,
      -- the plan line's month: minutes recorded, and plan hours × days in force
      CASE WHEN b.plannable THEN
        (SELECT coalesce(sum(d.minutes), 0) FROM billing_delivery d
         WHERE {not_rechecked} d.case_id = b.case_id AND d.component_id = b.component_id AND d.provider_id = b.provider_id
           AND d.form = b.form AND d.date BETWEEN b.first AND b.last) END AS recorded,
      CASE WHEN b.plannable THEN
        (SELECT coalesce(sum(l.monthly_quantity * greatest(0,
                   least(b.last, l.valid_to, p.valid_to) - greatest(b.first, l.valid_from, p.valid_from) + 1)), 0)
         FROM assessments_plan p
         JOIN assessments_planline l ON l.plan_id = p.id AND l.component_id = b.component_id
              AND l.provider_id = b.provider_id AND l.form = b.form AND l.valid_from <= b.last
              AND (l.valid_to IS NULL OR l.valid_to >= b.first)
         WHERE p.case_id = b.case_id AND p.status = 'agreed' AND p.valid_from <= b.last
           AND (p.valid_to IS NULL OR p.valid_to >= b.first)) END AS day_hours,
      CASE
        WHEN b.form NOT IN ('I', 'G') THEN ''
        WHEN b.retired_on IS NOT NULL AND b.retired_on <= b.date THEN 'component_retired'
        WHEN NOT (b.component_form = b.form OR b.component_form = 'IG') THEN 'form_not_offered'
        WHEN NOT EXISTS (SELECT 1 FROM providers_contract ct
                         WHERE ct.municipality_id = %(kov)s AND ct.provider_id = b.provider_id)
            THEN 'no_contract'
        WHEN NOT EXISTS (SELECT 1 FROM providers_contract ct
                         WHERE ct.municipality_id = %(kov)s AND ct.provider_id = b.provider_id
                           AND {b_contract_in_force})
            THEN 'contract_not_in_force'
        WHEN NOT EXISTS (SELECT 1 FROM providers_contractprice cp JOIN providers_contract ct ON ct.id = cp.contract_id
                         WHERE ct.municipality_id = %(kov)s AND ct.provider_id = b.provider_id
                           AND {b_contract_in_force} AND cp.component_id = b.component_id)
            THEN 'component_not_in_contract'
        ELSE coalesce(
            (SELECT CASE WHEN (CASE WHEN b.form = 'I' THEN cp.unit_price_individual ELSE cp.unit_price_group END)
                              IS NULL THEN 'form_not_offered' ELSE '' END
             {b_price}),
            'no_price_on_date')
      END AS price_reason,
      -- other sessions of the specialist that day, recorded or on earlier lines
      CASE WHEN b.start_time IS NOT NULL AND b.minutes BETWEEN 1 AND %(max)s THEN least(
        (SELECT min(o.start_time) FROM billing_delivery o
         WHERE {not_rechecked_o} o.specialist_id = b.specialist_id AND o.date = b.date AND o.start_time IS NOT NULL
           AND o.session_key <> b.session_key
           AND (o.date + o.start_time) < (b.date + b.start_time) + make_interval(mins => b.minutes)
           AND (b.date + b.start_time) < (o.date + o.start_time) + make_interval(mins => o.minutes)),
        (SELECT min(o.start_time) FROM {staged} o
         WHERE o.line < b.line AND o.specialist_id = b.specialist_id AND o.date = b.date
           AND o.start_time IS NOT NULL AND o.session_key <> b.session_key
           AND (o.date + o.start_time) < (b.date + b.start_time) + make_interval(mins => b.minutes)
           AND (b.date + b.start_time) < (o.date + o.start_time) + make_interval(mins => o.minutes))
      ) END AS overlap_time
    FROM base b
    LEFT JOIN LATERAL (  -- plan lines in force on the row's date buying its component from its provider
        SELECT count(*) AS lines, bool_or(l.form = b.form) AS has_form, min(l.form) AS other_form
        FROM assessments_plan p
        JOIN assessments_planline l ON l.plan_id = p.id AND l.component_id = b.component_id
             AND l.provider_id = b.provider_id AND l.valid_from <= b.date
             AND (l.valid_to IS NULL OR l.valid_to >= b.date)
        WHERE p.case_id = b.case_id AND p.status = 'agreed' AND p.valid_from <= b.date
          AND (p.valid_to IS NULL OR p.valid_to >= b.date)
    ) lines_on ON true
),
off AS (  -- sessions on no plan: one warning per plan line (case, component, provider, form) and month
    SELECT s.*, row_number() OVER w AS nth, sum(minutes) OVER w_all AS month_minutes
    FROM s
    WHERE plannable AND lines = 0 AND NOT {planning_s}
    WINDOW w_all AS (PARTITION BY case_id, component_id, provider_id, form, first),
           w AS (w_all ORDER BY line)
)
SELECT line, 'minutes_invalid', jsonb_build_object('value', minutes, 'max', %(max)s)
FROM s WHERE NOT minutes BETWEEN 1 AND %(max)s
UNION ALL
SELECT line, 'text_too_long', jsonb_build_object('length', length(note), 'max', %(text_max)s)
FROM s WHERE length(note) > %(text_max)s
UNION ALL
SELECT line, 'other_municipality', '{{}}'::jsonb FROM s WHERE case_kov <> %(kov)s
UNION ALL
SELECT line, 'locked', jsonb_build_object('month', to_char(s.date, 'MM.YYYY'))
FROM s WHERE s.first IN (SELECT m.month FROM billing_billingmonth m WHERE m.municipality_id = %(kov)s
                         AND m.state IN ('closed', 'submitted', 'returned', 'accepted'))
UNION ALL
SELECT line, 'not_participant', jsonb_build_object('date', to_char(s.date, 'DD.MM.YYYY'))
FROM s WHERE entry_date IS NULL OR s.date < entry_date OR s.date > exit_date
UNION ALL
SELECT line, 'specialist_other_provider', jsonb_build_object('value', specialist_name)
FROM s WHERE specialist_provider <> provider_id
UNION ALL
SELECT line, 'not_qualified', jsonb_build_object(
    'component', component_code, 'specialist', specialist_name, 'qualification', required,
    'date', to_char(s.date, 'DD.MM.YYYY'))
FROM s WHERE specialist_provider = provider_id AND required <> ''
  AND NOT EXISTS (SELECT 1 FROM providers_qualification q WHERE q.specialist_id = s.specialist_id
                  AND lower(btrim(q.name)) = lower(required)
                  AND (q.valid_from IS NULL OR q.valid_from <= s.date) AND (q.valid_to IS NULL OR s.date <= q.valid_to))
UNION ALL
SELECT line, 'form_invalid', jsonb_build_object('value', form) FROM s WHERE form NOT IN ('I', 'G')
UNION ALL
SELECT line, 'no_price', jsonb_build_object(
    'component', component_code, 'date', to_char(s.date, 'DD.MM.YYYY'), 'reason', price_reason)
FROM s WHERE price_reason <> ''
UNION ALL
SELECT line, 'already_recorded', '{{}}'::jsonb
FROM s WHERE repeat > 1 OR EXISTS (
    SELECT 1 FROM billing_delivery d
    WHERE {not_rechecked} d.case_id = s.case_id AND d.component_id = s.component_id AND d.provider_id = s.provider_id
      AND d.specialist_id = s.specialist_id AND d.date = s.date AND d.start_time IS NOT DISTINCT FROM s.start_time
      AND d.minutes = s.minutes AND d.form = s.form AND d.recipient_name = s.recipient_name
)
UNION ALL
SELECT line, 'overlap', jsonb_build_object('time', to_char(overlap_time, 'HH24:MI'),
                                           'date', to_char(s.date, 'DD.MM.YYYY'))
FROM s WHERE overlap_time IS NOT NULL
UNION ALL
SELECT line, 'not_on_plan', jsonb_build_object(
    'minutes', {off_total}, 'component', component_code, 'form', form, 'month', first,
    'date', to_char(off.date, 'DD.MM.YYYY'))
FROM off
WHERE nth = 1 AND NOT EXISTS (  -- a session on no plan recorded earlier in the month holds the warning
    SELECT 1 FROM billing_delivery d
    WHERE {not_rechecked} d.case_id = off.case_id AND d.component_id = off.component_id
      AND d.provider_id = off.provider_id AND d.form = off.form AND d.date BETWEEN off.first AND off.last
      AND {d_off_plan})
UNION ALL
SELECT line, 'form_not_on_plan', jsonb_build_object('component', component_code, 'form', form, 'planned', other_form)
FROM s WHERE plannable AND lines > 0 AND NOT has_form
UNION ALL
SELECT line, 'beyond_plan', jsonb_build_object(
    'used', recorded + staged_minutes, 'total', recorded + {month_total}, 'minutes', minutes, 'planned_day_hours', day_hours::text,
    'month_days', extract(day FROM last)::integer, 'component', component_code, 'form', form, 'month', first)
FROM s
WHERE plannable AND lines > 0 AND has_form
  AND (recorded + staged_minutes - minutes) * extract(day FROM last)::integer <= 60 * day_hours
  AND (recorded + staged_minutes) * extract(day FROM last)::integer > 60 * day_hours
"""


# --- The month as a whole, in SQL (the close must not loop over every delivery in Python).

#: The month's deliveries grouped as the price check reads them: one row per provider, component,
#: date, form and stored unit price (``n`` deliveries each), so that the price table is looked up
#: once per group, not once per delivery. Minutes and amount need not be in the group: the
#: database keeps every amount equal to its unit price × minutes / 60 (billing migration 0013).
PRICE_GROUP = ("provider_id", "component_id", "date", "form", "unit_price")


def mispriced_sql(groups: str) -> str:
    """How many deliveries of the month's price groups ``groups`` (the columns of
    :data:`PRICE_GROUP` and ``n``) have a stored unit price that differs from the price table's
    price on the date (and so an amount that differs from the price × minutes / 60, which the
    database keeps equal to the stored one × minutes / 60). Unpriced groups are counted as
    unpriced, not here."""
    return f"""SELECT coalesce(sum(g.n), 0)::bigint FROM {groups} g
     LEFT JOIN LATERAL (
         SELECT CASE WHEN g.form = 'I' THEN cp.unit_price_individual ELSE cp.unit_price_group END AS price
         {price_on_sql('g')}
     ) p ON true
     WHERE g.unit_price IS NOT NULL AND g.unit_price IS DISTINCT FROM p.price"""


#: One scan of a month's deliveries, grouped two ways: per person (``per_person``) and per price
#: group of :data:`PRICE_GROUP` with the contract. The close writes the per-person report from
#: the first, and sums the second's few hundred rows per component (the invoice lines) and per
#: contract (:data:`MONTH_CONTRACT_TOTALS`), and checks their prices; nothing else needs to read
#: every delivery. Deliveries without a contract make price groups whose ``contract_id`` is null.
MONTH_TOTALS_SQL = f"""
SELECT GROUPING(d.case_id) = 0 AS per_person, d.case_id, d.contract_id, {", ".join("d." + c for c in PRICE_GROUP)},
       count(*) AS sessions, sum(d.minutes) AS minutes, sum(d.amount) AS amount
FROM billing_delivery d
WHERE d.municipality_id = %(kov)s AND d.date >= %(first)s AND d.date <= %(last)s
GROUP BY GROUPING SETS ((d.case_id), (d.contract_id, {", ".join("d." + c for c in PRICE_GROUP)}))
"""

#: The price groups among the rows ``t`` of :data:`MONTH_TOTALS_SQL`, as :func:`mispriced_sql` reads them.
MONTH_PRICE_GROUPS = f"""(SELECT {", ".join("t." + c for c in PRICE_GROUP)}, t.sessions AS n
        FROM t WHERE NOT t.per_person)"""

#: The month summed per contract, from the rows ``t`` of :data:`MONTH_TOTALS_SQL`.
MONTH_CONTRACT_TOTALS = """(SELECT t.contract_id, sum(t.sessions) AS sessions, sum(t.amount) AS amount
        FROM t WHERE NOT t.per_person AND t.contract_id IS NOT NULL GROUP BY t.contract_id)"""

#: The month summed per component (the invoice's lines), from the rows ``t`` of :data:`MONTH_TOTALS_SQL`.
MONTH_COMPONENT_TOTALS = """(SELECT t.component_id, sum(t.sessions) AS sessions, sum(t.minutes) AS minutes,
        sum(t.amount) AS amount FROM t WHERE NOT t.per_person GROUP BY t.component_id)"""

#: The checks before a close: stored errors, unaccepted warnings and missing prices come from a
#: partial index (rows with a problem only); dates outside the person's participation can only
#: concern cases that entered or left during the month (or lost their entry date), so only their
#: deliveries are looked at. That a specialist works for the delivery's provider is checked by
#: the database trigger when a row is written.
_BLOCKER_COUNTS = """
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
       AND (status IN ('error', 'warning') OR amount IS NULL))"""

#: Every check before a close, the stored prices too: the month-end page shows these. The last
#: reads every delivery of the month once, grouped as :data:`PRICE_GROUP`.
_PRICE_GROUPS = f"""(SELECT {", ".join(PRICE_GROUP)}, count(*) AS n FROM billing_delivery
     WHERE municipality_id = %(kov)s AND date >= %(first)s AND date <= %(last)s AND unit_price IS NOT NULL
     GROUP BY {", ".join(PRICE_GROUP)})"""
BLOCKERS_SQL = f"""
SELECT {_BLOCKER_COUNTS},
    ({mispriced_sql(_PRICE_GROUPS)})
"""

#: The same without the prices: the close checks them in its own scan of the month
#: (:data:`billing.services.CLOSE_SQL`).
BLOCKERS_BUT_PRICES_SQL = f"SELECT {_BLOCKER_COUNTS}"


def month_params(municipality: Municipality, month: dt.date) -> dict:
    return {"kov": municipality.pk, "first": month_start(month), "last": month_end(month)}


def reasons_from(counts) -> list[str]:
    errors, warnings, not_participant, unpriced, *rest = counts
    mispriced = rest[0] if rest else 0
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
    if mispriced:
        reasons.append(
            ngettext(
                "%(n)s delivery has an amount that differs from the price list; check the month again.",
                "%(n)s deliveries have an amount that differs from the price list; check the month again.",
                mispriced,
            )
            % {"n": mispriced}
        )
    return reasons


def month_blockers(municipality: Municipality, month: dt.date, *, prices: bool = True) -> list[str]:
    """Why the month cannot be closed (empty when it can); ``prices=False`` leaves out the check
    of the stored prices, which the close makes in the same scan as its totals."""
    with connection.cursor() as cursor:
        cursor.execute(BLOCKERS_SQL if prices else BLOCKERS_BUT_PRICES_SQL, month_params(municipality, month))
        return reasons_from(cursor.fetchone())
