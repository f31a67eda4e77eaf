"""Reading billing data for a user, already scoped (accounts.permissions) and with joins chosen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import KOV_ROLES, Municipality, Role
from accounts.permissions import deliverable_cases_for, has_role, scope
from cases.models import Case, participating_q
from providers.models import Contract
from tugi.money import ZERO
from tugi.workdays import add_months, month_end, month_start

from . import plans
from .models import (
    COUNTED_INVOICE_STATES,
    Adjustment,
    BillingMonth,
    Delivery,
    FundingAgreement,
    InterimEvaluation,
    Invoice,
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


#: The deliveries of each contract in the municipality's months whose invoice SKA counts
#: (``Invoice.objects.counted_by_ska()``: the same states), summed per contract: the months are
#: joined as date ranges, so the (municipality, date) index reads only their rows (a month
#: truncated per row could not use it, and its estimate spilled sorts to disk).
CONTRACTS_DELIVERED_SQL = """
SELECT d.contract_id, sum(d.amount)
FROM (SELECT DISTINCT i.month FROM billing_invoice i
      WHERE i.municipality_id = %(kov)s AND i.state = ANY(%(counted)s)) m
JOIN billing_delivery d ON d.municipality_id = %(kov)s
     AND d.date >= m.month AND d.date < (m.month + interval '1 month')::date
JOIN providers_contract k ON k.id = d.contract_id AND k.municipality_id = %(kov)s
WHERE true {only}
GROUP BY d.contract_id
"""


def contracts_invoiced(municipality_id: int, *, contract_ids=None) -> dict[int, Decimal]:
    """:func:`contract_invoiced` of every contract of the municipality (or of ``contract_ids``)
    by contract id, in two queries however many contracts: the database sums the deliveries of
    the counted months and the adjustments invoiced in them, grouped by contract. (A delivery's
    contract is its own municipality's: pricing looks it up there.)"""
    from django.db import connection

    counted_months = Invoice.objects.filter(municipality_id=municipality_id).counted_by_ska().values("month")
    adjustments = Adjustment.objects.filter(delivery__contract__municipality_id=municipality_id)
    params = {"kov": municipality_id, "counted": list(COUNTED_INVOICE_STATES)}
    only = ""
    if contract_ids is not None:
        adjustments = adjustments.filter(delivery__contract_id__in=contract_ids)
        params["contracts"] = list(contract_ids)
        only = "AND d.contract_id = ANY(%(contracts)s)"
    with connection.cursor() as cursor:
        cursor.execute(CONTRACTS_DELIVERED_SQL.format(only=only), params)
        delivered = cursor.fetchall()
    adjusted = (
        adjustments.filter(month__in=counted_months)
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


def _deliveries_in(municipality: Municipality, months: list[dt.date]) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        municipality=municipality, date__gte=month_start(min(months)), date__lte=month_end(max(months))
    )


def spend_per_component_by_month(*, municipality: Municipality, months: list[dt.date]) -> list[dict]:
    """Delivered cost of each component in each month: one row per component (catalogue
    order) with ``amounts`` aligned with ``months``; one query."""
    months = [month_start(m) for m in months]
    if not months:
        return []
    sums = (
        _deliveries_in(municipality, months)
        .annotate(month=TruncMonth("date"))
        .values("month", "component__code", "component__name", "component__order")
        .annotate(amount=_amount())
        .order_by("component__order", "component__code", "month")
    )
    rows: dict[str, dict] = {}
    for s in sums:
        row = rows.setdefault(
            s["component__code"],
            {"code": s["component__code"], "name": s["component__name"], "amounts": [ZERO] * len(months)},
        )
        row["amounts"][months.index(s["month"])] = s["amount"]
    for row in rows.values():
        row["total"] = sum(row["amounts"], ZERO)
    return list(rows.values())


def budget_totals_by_month(*, municipality: Municipality, months: list[dt.date]) -> list[dict]:
    """The personal budgets of all the municipality's persons summed per month, beside the
    actual cost of their deliveries; two queries."""
    months = [month_start(m) for m in months]
    if not months:
        return []
    planned = plans.planned_budget_totals(cases=Case.objects.filter(municipality=municipality), months=months)
    actual = dict(
        _deliveries_in(municipality, months)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(amount=_amount())
        .values_list("month", "amount")
        .order_by()
    )
    return [
        {
            "month": m,
            "planned": planned.get(m, ZERO),
            "actual": actual.get(m, ZERO),
        }
        for m in months
    ]


def budgets_planned_vs_actual(*, municipality: Municipality, month: dt.date) -> list[dict]:
    """Per person of the month: the personal budget against the actual cost; persons with
    either, by name; three queries however many persons."""
    month = month_start(month)
    cases = Case.objects.filter(municipality=municipality)
    planned = {case_id: v for (case_id, _), v in plans.planned_budgets(cases=cases, months=[month]).items()}
    actual = dict(
        month_deliveries(municipality, month).values("case_id").annotate(amount=_amount())
        .values_list("case_id", "amount").order_by()
    )
    shown = cases.filter(pk__in={*actual, *(k for k, v in planned.items() if v)}).select_related("person")
    rows = []
    for case in shown.order_by("person__last_name", "person__first_name", "number"):
        p, a = planned.get(case.pk, ZERO), actual.get(case.pk, ZERO)
        rows.append({
            "case_id": case.pk, "number": case.number, "person": str(case.person),
            "person_record": case.person,
            "planned": p, "actual": a, "difference": a - p, "over": a > p,
        })
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
