"""Reading billing data for a user, already scoped (accounts.permissions) and with joins chosen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import KOV_ROLES, Municipality, Role
from accounts.permissions import deliverable_cases_for, has_role, scope
from cases.models import Case, Person, participating_q
from providers.models import Contract
from tugi.money import ZERO
from tugi.workdays import add_months, month_end, month_start

from . import plans
from .models import (
    COUNTED_INVOICE_STATES,
    LOCKED_STATES,
    Adjustment,
    BillingMonth,
    Delivery,
    FundingAgreement,
    InterimEvaluation,
    Invoice,
    InvoiceContractTotal,
    InvoiceLine,
    InvoicePersonLine,
    MonthState,
    Status,
)

WARN_SHARE = Decimal("0.90")


def deliveries_for(user) -> QuerySet[Delivery]:
    """KOV staff: their municipality's deliveries; provider specialists: their provider's only;
    SKA and administrators see invoices and reports, not attendance rows of case files."""
    qs = Delivery.objects.select_related("case__person", "component", "provider", "specialist")
    if has_role(user, Role.PROVIDER):
        return qs.filter(provider_id=user.provider_id)
    return scope(qs, user, roles=KOV_ROLES)


def cases_for_attendance(user, *, today: dt.date | None = None) -> QuerySet[Case]:
    """Whom the user may record sessions for, offered on the session form: the persons
    :func:`accounts.permissions.deliverable_cases_for` reaches from the start of the month before
    last to the end of this month (the service checks each session's own date again)."""
    today = today or timezone.localdate()
    reach = deliverable_cases_for(user, start=add_months(month_start(today), -2), end=month_end(today))
    return reach.filter(entry_date__isnull=False).select_related("person", "municipality")


def minutes_recorded(user, first: dt.date, last: dt.date) -> dict[tuple[int, int, dt.date], int]:
    """Minutes the user's provider (or KOV) recorded per (case, component, day), for the week grid."""
    rows = (
        deliveries_for(user).filter(date__gte=first, date__lte=last)
        .values("case_id", "component_id", "date").annotate(minutes=Sum("minutes")).order_by()
    )
    return {(r["case_id"], r["component_id"], r["date"]): r["minutes"] for r in rows}


def invoices_for(user) -> QuerySet[Invoice]:
    """Coordinators: their municipality's invoices. SKA: every submitted (and reviewed) version."""
    qs = Invoice.objects.select_related("municipality", "closed_by", "reviewed_by")
    if has_role(user, Role.SKA):
        # SKA sees what reached it: counted versions and the ones it returned.
        return qs.filter(state__in=[*COUNTED_INVOICE_STATES, Invoice.State.RETURNED])
    return scope(qs, user, roles=[Role.COORDINATOR, Role.ADMIN])


def invoices_awaiting_review(user) -> QuerySet[Invoice]:
    """Submitted versions SKA has neither accepted nor returned yet, the longest waiting first."""
    return invoices_for(user).filter(state=Invoice.State.SUBMITTED).order_by("submitted_at", "pk")


def month_at_a_glance(user, month: dt.date, municipalities: QuerySet[Municipality]) -> dict:
    """``month`` of ``municipalities`` (those that invoice SKA for it) in figures: how many
    months are in each state (open counts those not yet started), and the total of the
    invoices SKA counts. Three queries."""
    month = month_start(month)
    ids = list(municipalities.values_list("pk", flat=True))
    states = dict(
        BillingMonth.objects.filter(month=month, municipality__in=ids)
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    states[MonthState.OPEN] = len(ids) - sum(n for state, n in states.items() if state != MonthState.OPEN)
    total = (
        invoices_for(user).counted_by_ska().filter(month=month, municipality__in=ids).aggregate(total=_amount("total"))
    )["total"]
    return {
        "municipalities": len(ids),
        "states": [(state, label, states.get(state, 0)) for state, label in MonthState.choices],
        "total": total,
    }


def month_deliveries(municipality: Municipality, month: dt.date) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        municipality=municipality, date__gte=month_start(month), date__lte=month_end(month)
    ).select_related("case__person", "component", "provider", "specialist")


def month_state(municipality: Municipality, month: dt.date) -> BillingMonth | None:
    return BillingMonth.objects.filter(municipality=municipality, month=month_start(month)).first()


def problem_deliveries(municipality: Municipality, month: dt.date) -> QuerySet[Delivery]:
    return month_deliveries(municipality, month).filter(
        status__in=[Status.ERROR, Status.WARNING, Status.ACCEPTED]
    ).order_by("status", "date", "pk")


def municipalities_with_accepted_month(month: dt.date) -> set[int]:
    """Ids of the municipalities whose ``month`` SKA has accepted (its deliveries are corrected
    only by an adjustment in a later month)."""
    return set(
        BillingMonth.objects.filter(month=month_start(month), state=MonthState.ACCEPTED).values_list(
            "municipality_id", flat=True
        )
    )


def adjustments_invoiced_in(municipality: Municipality, month: dt.date) -> QuerySet[Adjustment]:
    """Corrections of accepted months that go (or went) into the invoice of ``month``."""
    return Adjustment.objects.filter(municipality=municipality, month=month_start(month)).select_related(
        "delivery__case__person", "delivery__component"
    ).order_by("original_month", "delivery__date", "pk")


def totals_by_component(municipality: Municipality, month: dt.date):
    return (
        month_deliveries(municipality, month)
        .values("component__code", "component__name", "component__order")
        .annotate(sessions=Count("pk"), minutes=Sum("minutes"), amount=Sum("amount"))
        .order_by("component__order", "component__code")
    )


def totals_by_provider(municipality: Municipality, month: dt.date):
    return (
        month_deliveries(municipality, month)
        .values("provider__name")
        .annotate(sessions=Count("pk"), minutes=Sum("minutes"), amount=Sum("amount"))
        .order_by("provider__name")
    )


# --- Maximum amounts


def _usage(total: Decimal, maximum: Decimal) -> dict:
    share = (total / maximum) if maximum else Decimal(0)
    return {
        "used": total,
        "maximum": maximum,
        "remaining": maximum - total,
        "percent": (share * 100).quantize(Decimal("0.1")),
        "warning": share >= WARN_SHARE,
    }


def funding_usage(agreement: FundingAgreement) -> dict:
    """Invoiced so far under the agreement (the invoices SKA counts) against its maximum."""
    total = Invoice.objects.filter(
        municipality_id=agreement.municipality_id, month__gte=month_start(agreement.start_date)
    ).counted_by_ska().aggregate(s=Sum("total"))["s"] or ZERO
    return _usage(total, agreement.maximum_amount)


def contract_invoiced(contract: Contract) -> Decimal:
    """Delivery lines under the contract in months whose invoice SKA counts, plus the
    adjustments invoiced in such months."""
    return contracts_invoiced(contract.municipality_id, contract_ids=[contract.pk]).get(contract.pk, ZERO)


def contracts_invoiced(municipality_id: int, *, contract_ids=None) -> dict[int, Decimal]:
    """:func:`contract_invoiced` of every contract of the municipality (or of ``contract_ids``)
    by contract id, in two queries however many contracts and deliveries: the per-contract
    totals stored by the close of the counted invoices, and the adjustments invoiced in those
    months, each summed by the database per contract. (A delivery's contract is its own
    municipality's: pricing looks it up there.)"""
    counted = Invoice.objects.filter(municipality_id=municipality_id).counted_by_ska()
    # The month's deliveries per contract, as the close stored them (a few rows per invoice,
    # however many deliveries and months); at most one version per month is counted.
    delivered = InvoiceContractTotal.objects.filter(invoice__in=counted)
    adjustments = Adjustment.objects.filter(delivery__contract__municipality_id=municipality_id)
    if contract_ids is not None:
        delivered = delivered.filter(contract_id__in=contract_ids)
        adjustments = adjustments.filter(delivery__contract_id__in=contract_ids)
    delivered = delivered.values("contract_id").annotate(s=Sum("amount")).values_list("contract_id", "s").order_by()
    adjusted = (
        adjustments.filter(month__in=counted.values("month"))
        .values("delivery__contract_id")
        .annotate(s=Sum("amount"))
        .values_list("delivery__contract_id", "s")
        .order_by()
    )
    totals: dict[int, Decimal] = {}
    for contract_id, amount in [*delivered, *adjusted]:
        totals[contract_id] = totals.get(contract_id, ZERO) + (amount or ZERO)
    return totals


def contract_usages(municipality: Municipality) -> list[dict]:
    """Each contract of the municipality against its maximum amount; three queries."""
    contracts = Contract.objects.filter(municipality=municipality).select_related("provider").order_by("-end")
    invoiced = contracts_invoiced(municipality.pk)
    return [{"contract": c, **_usage(invoiced.get(c.pk, ZERO), c.maximum_amount)} for c in contracts]


# --- Funding agreements: the coordinator keeps them, SKA reads them


def agreements_for(user) -> QuerySet[FundingAgreement]:
    """Coordinators: their municipality's agreements; SKA and administrators: every one."""
    return scope(
        FundingAgreement.objects.select_related("municipality"), user,
        roles=[Role.COORDINATOR, Role.SKA, Role.ADMIN],
    ).order_by("municipality__name", "-start_date")


def agreement_history(agreement: FundingAgreement) -> list[dict]:
    """Who changed what and when in the agreement and its interim evaluations, newest first."""
    from providers.selectors import HISTORY_ACTIONS, _changes

    records = [(r, None) for r in agreement.history.select_related("history_user")] + [
        (r, f"{r.date:%d.%m.%Y}")
        for r in InterimEvaluation.history.filter(agreement_id=agreement.pk).select_related("history_user")
    ]
    return sorted(
        (
            {
                "at": record.history_date, "user": record.history_user,
                "action": HISTORY_ACTIONS[record.history_type], "evaluation": label,
                "changes": _changes(record),
            }
            for record, label in records
        ),
        key=lambda e: e["at"],
        reverse=True,
    )


# --- The coordinator's dashboard: fill rate and the stage I target


def agreement_for(municipality: Municipality, month: dt.date) -> FundingAgreement | None:
    first, last = month_start(month), month_end(month)
    return (
        FundingAgreement.objects.filter(municipality=municipality, start_date__lte=last)
        .exclude(end_date__lt=first)
        .order_by("-start_date")
        .first()
    )



def _participating_in(month: dt.date):
    """Case files whose person participates on at least one day of the month."""
    return participating_q(month_start(month), month_end(month))


def participants_in_month(municipality: Municipality, month: dt.date) -> int:
    """The month's participants (a person counts once): the figure of the month-end page's
    fill-rate table and of the month's invoice."""
    return (
        Case.objects.filter(municipality=municipality)
        .filter(_participating_in(month))
        .aggregate(n=Count("person", distinct=True))["n"]
    )


def participants_on(municipality: Municipality, day: dt.date) -> int:
    return Case.objects.filter(municipality=municipality).participating_on(day).count()


def funding_dashboard(municipality: Municipality, *, today: dt.date) -> dict | None:
    agreement = agreement_for(municipality, today) or FundingAgreement.objects.filter(
        municipality=municipality
    ).order_by("-start_date").first()
    if agreement is None:
        return None
    now = participants_on(municipality, today)
    stage_end = agreement.stage_one_end
    entered_by_stage_end = Case.objects.filter(
        municipality=municipality, entry_date__gte=agreement.start_date, entry_date__lte=stage_end
    ).count()
    target = agreement.target_participants
    latest = agreement.evaluations.order_by("-date").first()
    return {
        "agreement": agreement,
        "participants": now,
        "fill_rate": (Decimal(now) * 100 / agreement.planned_places).quantize(Decimal("0.1")),
        "stage_one_end": stage_end,
        "in_stage_one": today <= stage_end,
        "entered_in_stage_one": entered_by_stage_end,
        "target": target,
        "target_met": entered_by_stage_end >= target,
        "latest_evaluation": latest,
        "usage": funding_usage(agreement),
    }


# --- Dashboards: the figures behind the charts. Each is a fixed number of queries however
# many persons or deliveries there are (the database sums; Python only arranges the result).

MONEY_SUM = DecimalField(max_digits=14, decimal_places=2)


def months_ending(month: dt.date, count: int = 12) -> list[dt.date]:
    """``count`` first-of-month dates ending with ``month``, oldest first."""
    last = month_start(month)
    return [add_months(last, n - count + 1) for n in range(count)]


def _amount(field: str = "amount"):
    return Coalesce(Sum(field), Value(ZERO), output_field=MONEY_SUM)


def fill_rate_by_month(*, agreement: FundingAgreement, months: list[dt.date]) -> list[dict]:
    """Participants of each month (persons with a case file entered by the month's last day and
    not exited before its first; a person counts once) against the agreement's planned places P
    and the stage-I target of 90 % of P; one query."""
    months = [month_start(m) for m in months]
    in_month = {
        f"m{i}": Count(
            "person",
            distinct=True,
            filter=participating_q(m, month_end(m)),
        )
        for i, m in enumerate(months)
    }
    counts = Case.objects.filter(municipality_id=agreement.municipality_id).aggregate(**in_month) if months else {}
    places = agreement.planned_places
    return [
        {
            "month": m,
            "participants": counts[f"m{i}"],
            "planned_places": places,
            "target": agreement.target_participants,
            "fill_rate": (Decimal(counts[f"m{i}"]) * 100 / places).quantize(Decimal("0.1")),
        }
        for i, m in enumerate(months)
    ]


def standing_invoices(municipality: Municipality, months: list[dt.date]) -> dict[dt.date, int]:
    """The invoice standing for each of ``months`` that is locked (closed, submitted, returned or
    accepted): its newest version, by month; one query. A locked month's deliveries cannot
    change, so what its close stored (the component lines, the per-person lines, the contract
    totals) equals their sum, and the pages read those few rows instead of every delivery."""
    rows = (
        Invoice.objects.live()
        .filter(municipality=municipality, month__in=[month_start(m) for m in months],
                billing_month__state__in=LOCKED_STATES)
        .order_by("month", "-version")
        .distinct("month")
        .values_list("month", "pk")
    )
    return dict(rows)


def component_sums_by_month(*, municipality: Municipality, months: list[dt.date]) -> list[dict]:
    """The delivered cost of each component in each of ``months`` (rows of month, code, name,
    position, amount): a locked month from its invoice's component lines, an open one from its
    deliveries; three queries however many months and deliveries."""
    months = [month_start(m) for m in months]
    if not months:
        return []
    standing = standing_invoices(municipality, months)
    stored = (
        InvoiceLine.objects.filter(invoice_id__in=standing.values(), kind=InvoiceLine.Kind.COMPONENT)
        .values(month=F("invoice__month"), code=F("component__code"), name=F("component__name"),
                position=F("component__order"))
        .annotate(amount=_amount())
        .order_by()
    )
    open_months = [m for m in months if m not in standing]
    rows = list(stored) if standing else []
    if open_months:
        in_open_months = Q()
        for m in open_months:
            in_open_months |= Q(date__gte=m, date__lte=month_end(m))
        rows += list(
            Delivery.objects.filter(in_open_months, municipality=municipality)
            .annotate(month=TruncMonth("date"))
            .values("month", code=F("component__code"), name=F("component__name"), position=F("component__order"))
            .annotate(amount=_amount())
            .order_by()
        )
    return rows


def spend_per_component_by_month(
    *, municipality: Municipality, months: list[dt.date], sums: list[dict] | None = None
) -> list[dict]:
    """Delivered cost of each component in each month: one row per component (catalogue
    order) with ``amounts`` aligned with ``months``; :func:`component_sums_by_month` (or its
    ``sums``, already read)."""
    months = [month_start(m) for m in months]
    if not months:
        return []
    if sums is None:
        sums = component_sums_by_month(municipality=municipality, months=months)
    rows: dict[str, dict] = {}
    for s in sorted(sums, key=lambda s: (s["position"], s["code"], s["month"])):
        row = rows.setdefault(s["code"], {"code": s["code"], "name": s["name"], "amounts": [ZERO] * len(months)})
        row["amounts"][months.index(s["month"])] += s["amount"]
    for row in rows.values():
        row["total"] = sum(row["amounts"], ZERO)
    return list(rows.values())


def budget_totals_by_month(
    *, municipality: Municipality, months: list[dt.date], sums: list[dict] | None = None
) -> list[dict]:
    """The personal budgets of all the municipality's persons summed per month, beside the
    actual cost of their deliveries (:func:`component_sums_by_month`, or its ``sums``)."""
    months = [month_start(m) for m in months]
    if not months:
        return []
    planned = plans.planned_budget_totals(cases=Case.objects.filter(municipality=municipality), months=months)
    if sums is None:
        sums = component_sums_by_month(municipality=municipality, months=months)
    actual: dict[dt.date, Decimal] = {}
    for s in sums:
        actual[s["month"]] = actual.get(s["month"], ZERO) + s["amount"]
    return [
        {
            "month": m,
            "planned": planned.get(m, ZERO),
            "actual": actual.get(m, ZERO),
        }
        for m in months
    ]


def actual_by_case(municipality: Municipality, month: dt.date) -> dict[int, Decimal]:
    """The month's actual cost per case file: a locked month from its invoice's per-person
    lines, an open one from its deliveries; two queries."""
    month = month_start(month)
    invoice_id = standing_invoices(municipality, [month]).get(month)
    if invoice_id is not None:
        return dict(InvoicePersonLine.objects.filter(invoice_id=invoice_id).values_list("case_id", "amount"))
    return dict(
        month_deliveries(municipality, month).values("case_id").annotate(amount=_amount())
        .values_list("case_id", "amount").order_by()
    )


class PersonBudgetRow(dict):
    """A row of :func:`budgets_planned_vs_actual`. Its ``person_record`` (the person, for the
    access log of the rows a page shows) is made from the names already read, on first use and
    without a query: a municipality has thousands of rows, a page shows 25."""

    def __missing__(self, key):
        if key != "person_record":
            raise KeyError(key)
        person = self["person_record"] = Person(
            pk=self["person_id"], first_name=self["first_name"], last_name=self["last_name"]
        )
        return person


def budgets_planned_vs_actual(*, municipality: Municipality, month: dt.date) -> list[dict]:
    """Per person of the month: the personal budget against the actual cost; persons with
    either, by name; four queries however many persons, and no model instance per row."""
    month = month_start(month)
    cases = Case.objects.filter(municipality=municipality)
    planned = {case_id: v for (case_id, _), v in plans.planned_budgets(cases=cases, months=[month]).items()}
    actual = actual_by_case(municipality, month)
    shown = cases.filter(pk__in={*actual, *(k for k, v in planned.items() if v)}).order_by(
        "person__last_name", "person__first_name", "number"
    ).values_list("pk", "number", "person_id", "person__first_name", "person__last_name")
    rows = []
    for case_id, number, person_id, first_name, last_name in shown:
        p, a = planned.get(case_id, ZERO), actual.get(case_id, ZERO)
        rows.append(PersonBudgetRow(
            case_id=case_id, number=number, person=f"{first_name} {last_name}", person_id=person_id,
            first_name=first_name, last_name=last_name,
            planned=p, actual=a, difference=a - p, over=a > p,
        ))
    return rows


def case_budget_by_month(*, case: Case, months: list[dt.date]) -> list[dict]:
    """One person's personal budget and actual cost per month; two queries."""
    months = [month_start(m) for m in months]
    if not months:
        return []
    planned = plans.planned_budgets(cases=Case.objects.filter(pk=case.pk), months=months)
    actual = dict(
        Delivery.objects.filter(case=case, date__gte=months[0], date__lte=month_end(months[-1]))
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(amount=_amount())
        .values_list("month", "amount")
        .order_by()
    )
    rows = [{"month": m, "planned": planned.get((case.pk, m), ZERO), "actual": actual.get(m, ZERO)} for m in months]
    return [{**r, "difference": r["actual"] - r["planned"]} for r in rows]


def case_budget_months(case: Case, *, today: dt.date, count: int = 12) -> list[dt.date]:
    """The months a case file's budget chart shows: up to ``count`` months ending with this
    month (or the exit month), not before the entry month; none before entry."""
    if case.entry_date is None:
        return []
    last = month_start(min(today, case.exit_date) if case.exit_date else today)
    first = month_start(case.entry_date)
    return [m for m in months_ending(last, count) if m >= first]


def spend_per_municipality_by_month(*, user, months: list[dt.date]) -> list[dict]:
    """The invoiced total (the invoices SKA counts, of the municipalities the user may see) of
    each municipality per month; aggregates only, no person appears; one query."""
    months = [month_start(m) for m in months]
    if not months:
        return []
    sums = (
        invoices_for(user)
        .counted_by_ska()
        .filter(month__gte=months[0], month__lte=months[-1])
        .values("municipality__name", "municipality__code", "month")
        .annotate(amount=_amount("total"))
        .order_by("municipality__name", "month")
    )
    rows: dict[str, dict] = {}
    for s in sums:
        row = rows.setdefault(
            s["municipality__code"],
            {"name": s["municipality__name"], "code": s["municipality__code"], "amounts": [ZERO] * len(months)},
        )
        row["amounts"][months.index(s["month"])] = s["amount"]
    for row in rows.values():
        row["total"] = sum(row["amounts"], ZERO)
    return list(rows.values())


@dataclass(frozen=True)
class PlanProgress:
    """One plan line's month for the provider: the hours the plan buys (pro rata to the days the
    line is in force, as the rule catalogue's "beyond plan" counts them) and the minutes recorded."""

    month: dt.date
    planned_hours: Fraction
    recorded_minutes: int

    @property
    def planned(self) -> Decimal:
        return _hours_shown(self.planned_hours)

    @property
    def recorded(self) -> Decimal:
        return _hours_shown(Fraction(self.recorded_minutes, 60))

    @property
    def planned_minutes(self) -> int:
        """Whole minutes, for the grid's running total (it adds minutes as they are typed)."""
        return round(self.planned_hours * 60)

    @property
    def beyond(self) -> bool:
        return self.recorded_minutes > self.planned_hours * 60


def _hours_shown(hours: Fraction) -> Decimal:
    return Decimal(hours.numerator) / Decimal(hours.denominator) if hours else Decimal(0)


def plan_progress(
    *, provider_id: int, lines, months: list[dt.date]
) -> dict[tuple[int, int, str, dt.date], PlanProgress]:
    """Plan hours against recorded hours of the provider's plan lines (the week grid's rows, the
    specialist's start page), keyed by (case id, component id, form, month). Lines of one person,
    component and form share their month, as the "beyond plan" rule counts them. Two queries a
    month, however many lines."""
    case_ids = sorted({line.plan.case_id for line in lines})
    result = {}
    for month in sorted({month_start(m) for m in months}):
        planned = plans.planned_hours_of_provider(provider_id=provider_id, case_ids=case_ids, month=month)
        recorded = {
            (r["case_id"], r["component_id"], r["form"]): r["minutes"]
            for r in Delivery.objects.filter(
                provider_id=provider_id, case_id__in=case_ids, date__gte=month, date__lte=month_end(month)
            ).values("case_id", "component_id", "form").annotate(minutes=Sum("minutes")).order_by()
        }
        for line in lines:
            key = (line.plan.case_id, line.component_id, line.form)
            result[(*key, month)] = PlanProgress(month, planned.get(key, Fraction(0)), recorded.get(key, 0))
    return result
