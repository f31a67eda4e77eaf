"""Changing billing data: recording attendance, the month-end close, submission, SKA's review,
reopening, corrections after acceptance. Views, the import and the management commands all
call these functions; every rule about a delivery comes from :mod:`billing.rules`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Municipality
from accounts.permissions import can_record_for
from tugi.errors import DomainError
from tugi.money import ZERO, hours_from_minutes, minutes_amount, round_cents
from tugi.money import format_money as money
from tugi.workdays import due_date, month_end, month_start, next_month

from . import rules, signals
from .locks import hold_months_for_share
from .models import (
    LOCKED_STATES,
    Adjustment,
    BillingMonth,
    Delivery,
    FundingAgreement,
    InterimEvaluation,
    Invoice,
    InvoiceLine,
    MonthState,
    Payer,
    Status,
)
from .rules import Draft
from .selectors import agreement_for, participants_in_month

LOCK_SQLSTATE = "TU423"
SPECIALIST_SQLSTATE = "TU409"
HOURS = Decimal("0.0001")


class BillingError(DomainError):
    """A billing rule refused the change; ``messages`` says why, ``rows`` lists (index, problems)."""

    def __init__(self, messages, *, rows=None):
        messages = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        super().__init__(" ".join(messages))
        self.messages = messages
        self.rows = rows or []


def locked_message(day: dt.date) -> str:
    """The catalogue's "locked" message: the same whether a check, the lock or the trigger refuses."""
    return rules.problem("locked", month=f"{day:%m.%Y}").message


@contextmanager
def database_rules() -> Iterator[None]:
    """Turn the database's refusals (month lock, duplicate, overlap) into a BillingError."""
    try:
        yield
    except DatabaseError as exc:
        cause = exc.__cause__
        # psycopg2 calls it pgcode, psycopg 3 sqlstate.
        if LOCK_SQLSTATE in (getattr(cause, "pgcode", None), getattr(cause, "sqlstate", None)):
            detail = getattr(getattr(cause, "diag", None), "message_detail", None)
            day = dt.date.fromisoformat(detail) if detail else timezone.localdate()
            raise BillingError(locked_message(day)) from exc
        constraint = getattr(getattr(cause, "diag", None), "constraint_name", None)
        if SPECIALIST_SQLSTATE in (getattr(cause, "pgcode", None), getattr(cause, "sqlstate", None)):
            raise BillingError(_("The specialist does not work for this provider.")) from exc
        if constraint == "delivery_no_exact_duplicate":
            raise BillingError(_("This session has already been recorded.")) from exc
        if constraint == "delivery_specialist_sessions_do_not_overlap":
            raise BillingError(_("The specialist already has a session at this time.")) from exc
        raise


# --- Attendance


def record_deliveries(*, drafts: list[Draft], by, source: str = Delivery.Source.FORM) -> list[Delivery]:
    """Record the drafts all together or not at all. Errors refuse; warnings are kept on the row."""
    checked = []
    failures = []
    for index, draft in enumerate(drafts):
        if by is not None and not can_record_for(by, draft.case, draft.date):
            result = rules.Checked([rules.problem("person_not_reachable", value=draft.case.person.isikukood or "—")])
        else:
            result = rules.check(draft, pending=drafts[:index])
        if result.errors:
            failures.append((index, result.errors))
        checked.append(result)
    if failures:
        raise BillingError(
            [p.message for _index, problems in failures for p in problems], rows=failures
        )
    deliveries = []
    with database_rules(), transaction.atomic():
        _hold(drafts)
        for draft, result in zip(drafts, checked, strict=True):
            delivery = Delivery(
                municipality=draft.municipality, case=draft.case, component=draft.component,
                provider=draft.provider, specialist=draft.specialist, contract=result.price.contract,
                date=draft.date, start_time=draft.start_time, minutes=draft.minutes, form=draft.form,
                session_key=draft.session_key, recipient_name=draft.recipient_name, note=draft.note,
                unit_price=result.price.amount, amount=result.amount, status=result.status,
                problems=[p.as_dict() for p in result.problems], source=source, created_by=by,
            )
            delivery.full_clean(validate_unique=False, validate_constraints=False)
            delivery.save()
            deliveries.append(delivery)
        refresh_plan_warnings(deliveries)
    return deliveries


#: The warnings kept once per plan line (case, component, provider, form) and month, on one
#: session, naming the month's hours: they are checked again when the month's sessions change.
PLAN_WARNINGS = ("not_on_plan", "beyond_plan")


def refresh_plan_warnings(deliveries: list[Delivery]) -> int:
    """After sessions were added to a plan line's month: the month's one "beyond plan" and one
    "not on plan" warning (each on one session) are checked again, so that they name the month's
    hours with the new sessions and an acceptance given for fewer hours no longer holds. Call
    inside the writing transaction (the import does too). Returns how many rows changed."""
    groups = {(d.case_id, d.component_id, d.provider_id, d.form, month_start(d.date)) for d in deliveries}
    holds = Q()
    for code in PLAN_WARNINGS:
        holds |= Q(problems__contains=[{"code": code}])
    changed = 0
    for case_id, component_id, provider_id, form, month in sorted(groups):
        changed += _recheck(
            Delivery.objects.filter(
                case_id=case_id, component_id=component_id, provider_id=provider_id, form=form,
                date__gte=month, date__lte=month_end(month),
            ).filter(holds)
        )
    return changed


def _hold(drafts: list[Draft]) -> None:
    months: dict[int, set] = defaultdict(set)
    for draft in drafts:
        months[draft.municipality.pk].add(draft.date)
    for municipality_id in sorted(months):
        hold_months_for_share(municipality_id, months[municipality_id])


def update_delivery(*, delivery: Delivery, by, **changes) -> Delivery:
    """Change a delivery's date, time, minutes, recipient or note, re-checking every rule."""
    draft = rules.draft_of(delivery)
    for name, value in changes.items():
        setattr(draft, name, value)
    if by is not None and not can_record_for(by, draft.case, draft.date):
        result = rules.Checked([rules.problem("person_not_reachable", value=draft.case.person.isikukood or "—")])
    else:
        result = rules.check(draft)
    if result.errors:
        raise BillingError([p.message for p in result.errors], rows=[(0, result.errors)])
    with database_rules(), transaction.atomic():
        hold_months_for_share(delivery.municipality_id, {delivery.date, draft.date})
        moved_from = [Delivery(case_id=delivery.case_id, component_id=delivery.component_id,
                               provider_id=delivery.provider_id, form=delivery.form, date=delivery.date)]
        for name, value in changes.items():
            setattr(delivery, name, value)
        delivery.contract = result.price.contract
        delivery.unit_price = result.price.amount
        delivery.amount = result.amount
        delivery.status = result.status
        delivery.problems = [p.as_dict() for p in result.problems]
        delivery.accepted_reason, delivery.accepted_by = "", None
        delivery.full_clean(validate_unique=False, validate_constraints=False)
        delivery.save()
        _recheck_plan_months([*moved_from, delivery], exclude=[delivery.pk])
    return delivery


def delete_delivery(*, delivery: Delivery, by) -> None:
    delete_deliveries(deliveries=[delivery], by=by)


def delete_deliveries(*, deliveries: list[Delivery], by) -> None:
    """Delete sessions (the page one, the admin several) holding their months, and check their
    plan lines' months again: a plan warning held by a deleted session moves to another."""
    with database_rules(), transaction.atomic():
        for municipality_id in sorted({d.municipality_id for d in deliveries}):
            hold_months_for_share(municipality_id, [d.date for d in deliveries if d.municipality_id == municipality_id])
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).delete()
        _recheck_plan_months(deliveries)


def _recheck_plan_months(deliveries, *, exclude=()) -> int:
    """Check again every session of the plan lines' months the deliveries belong to (where the
    month's one "beyond plan" warning sits may move when a session changes or goes)."""
    changed = 0
    for case_id, component_id, provider_id, form, month in sorted(
        {(d.case_id, d.component_id, d.provider_id, d.form, month_start(d.date)) for d in deliveries}
    ):
        changed += _recheck(Delivery.objects.filter(
            case_id=case_id, component_id=component_id, provider_id=provider_id, form=form,
            date__gte=month, date__lte=month_end(month),
        ).exclude(pk__in=list(exclude)))
    return changed


def accept_warning(*, delivery: Delivery, reason: str, by) -> Delivery:
    """The coordinator accepts a delivery's warnings (e.g. beyond the plan) with a reason."""
    accept_warnings(deliveries=[delivery], reason=reason, by=by)
    return delivery


def accept_warnings(*, deliveries: list[Delivery], reason: str, by) -> int:
    """The coordinator accepts several deliveries' warnings at once with one reason."""
    reason = (reason or "").strip()
    if not reason:
        raise BillingError(_("Give the reason for accepting the warning."))
    if not deliveries or any(d.status != Status.WARNING for d in deliveries):
        raise BillingError(_("This delivery has no warning to accept."))
    with database_rules(), transaction.atomic():
        for municipality_id in sorted({d.municipality_id for d in deliveries}):
            hold_months_for_share(municipality_id, [d.date for d in deliveries if d.municipality_id == municipality_id])
        for delivery in deliveries:
            delivery.status = Status.ACCEPTED
            delivery.accepted_reason = reason
            delivery.accepted_by = by
            delivery.save(update_fields=["status", "accepted_reason", "accepted_by"])
    return len(deliveries)


def recheck_month(*, municipality: Municipality, month: dt.date) -> int:
    """Run every rule again on the month's deliveries (plans, prices or dates may have changed),
    as a set in SQL (rules.check_staged), and give each the price valid on its date.

    Accepted warnings stay accepted while the warnings are the same. Returns how many changed."""
    month = month_start(month)
    with database_rules(), transaction.atomic():
        hold_months_for_share(municipality.pk, [month])
        rows = list(Delivery.objects.filter(municipality=municipality, date__gte=month, date__lte=month_end(month))
                    .select_related("component", "provider").order_by("pk"))
        if not rows:
            return 0
        with connection.cursor() as cursor:
            rules.create_staging_table(cursor, "recheck_rows")
            names = [column for column, _kind in rules.STAGING_COLUMNS]
            cursor.executemany(
                f"INSERT INTO recheck_rows ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})",
                [(d.pk, d.case_id, d.component_id, d.provider_id, d.specialist_id, d.date, d.start_time, d.minutes,
                  d.form, d.recipient_name, d.note, d.session_key) for d in rows],
            )
            verdicts = rules.check_staged(cursor=cursor, table="recheck_rows", municipality_id=municipality.pk,
                                          rechecking=True)
            cursor.execute("DROP TABLE recheck_rows")
        prices = _PriceCache(municipality)
        changed = 0
        for delivery in rows:
            problems = verdicts.get(delivery.pk, [])
            price = prices.get(delivery)
            changed += _store_verdict(delivery, rules.Checked(problems, price=price, minutes=delivery.minutes))
        return changed


class _PriceCache:
    """price_for once per (provider, component, date, form) of a month's deliveries."""

    def __init__(self, municipality: Municipality):
        self.municipality, self.prices = municipality, {}

    def get(self, delivery: Delivery):
        from providers.pricing import NoPrice, price_for

        key = (delivery.provider_id, delivery.component_id, delivery.date, delivery.form)
        if key not in self.prices:
            try:
                self.prices[key] = price_for(municipality=self.municipality, provider=delivery.provider,
                                             component=delivery.component, on=delivery.date, form=delivery.form)
            except (NoPrice, ValueError):
                self.prices[key] = None
        return self.prices[key]


def _store_verdict(delivery: Delivery, result: rules.Checked) -> int:
    """Keep the verdict and the price on the row (1 if anything changed); an accepted warning
    stays accepted while the problems are word for word the same."""
    problems = [p.as_dict() for p in result.problems]
    status = result.status
    if status == Status.WARNING and delivery.status == Status.ACCEPTED and problems == delivery.problems:
        status = Status.ACCEPTED
    price = result.price
    new = {
        "status": status,
        "problems": problems,
        "unit_price": price.amount if price else None,
        "amount": result.amount,
        "contract": price.contract if price else None,
    }
    if not any(getattr(delivery, k) != v for k, v in new.items()):
        return 0
    for k, v in new.items():
        setattr(delivery, k, v)
    delivery.save(update_fields=list(new))
    return 1


def _recheck(qs) -> int:
    """Check the deliveries of ``qs`` again one by one (a few rows: a plan line's month) and
    store the verdict and the price."""
    changed = 0
    for delivery in qs.select_related("case", "component", "provider", "specialist", "municipality"):
        changed += _store_verdict(delivery, rules.check(rules.draft_of(delivery)))
    return changed


# --- Prices always current


@dataclass(frozen=True)
class Repriced:
    """What a price change did to recorded deliveries: how many got a new amount, the total
    change, and the closed months it did not touch (corrected by adjustments, never re-priced)."""

    count: int
    change: Decimal
    closed_months: tuple[dt.date, ...] = ()


def reprice_deliveries(
    *, municipality_id: int, provider_id: int, component_id: int | None, start: dt.date, end: dt.date | None
) -> Repriced:
    """Give the recorded deliveries of open months dated ``start``..``end`` the price now valid
    on their date (rules.check prices them), in the caller's transaction. Closed months keep
    theirs: the invoice they went out with stands, and a correction is an adjustment later."""
    qs = Delivery.objects.filter(municipality_id=municipality_id, provider_id=provider_id, date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    if component_id is not None:
        qs = qs.filter(component_id=component_id)
    months = sorted({month_start(day) for day in qs.values_list("date", flat=True).distinct()})
    closed = set(BillingMonth.objects.filter(
        municipality_id=municipality_id, month__in=months, state__in=LOCKED_STATES
    ).values_list("month", flat=True))
    open_months = [m for m in months if m not in closed]
    if not open_months:
        return Repriced(0, ZERO, tuple(sorted(closed)))
    with database_rules(), transaction.atomic():
        hold_months_for_share(municipality_id, open_months)
        rows = qs.filter(_in_months(open_months))
        before = dict(rows.values_list("pk", "amount"))
        _recheck(rows)
        after = dict(rows.values_list("pk", "amount"))
    changed = [pk for pk in before if before[pk] != after.get(pk)]
    change = sum(((after[pk] or ZERO) - (before[pk] or ZERO) for pk in changed), ZERO)
    return Repriced(len(changed), change, tuple(sorted(closed)))


def _in_months(months: list[dt.date]) -> Q:
    condition = Q(pk__in=[])
    for month in months:
        condition |= Q(date__gte=month, date__lte=month_end(month))
    return condition


def on_prices_changed(sender, *, municipality_id, provider_id, component_id, start, end, **kwargs) -> Repriced:
    """Receiver of :data:`providers.signals.prices_changed`."""
    return reprice_deliveries(
        municipality_id=municipality_id, provider_id=provider_id, component_id=component_id, start=start, end=end
    )


# --- Funding agreement and the case-management fee


@dataclass(frozen=True)
class Fee:
    """The month's case-management fee and, in words, why it is that amount."""

    amount: Decimal
    basis: str


def _euros(amount: Decimal) -> str:
    return f"{money(amount)}"


def case_management_fee_for(*, agreement: FundingAgreement, month: dt.date) -> Fee:
    """The fee rule, in one place (pilot conditions, ch. 3, funding):

    - stage I (the agreement's first four months) pays F;
    - afterwards the latest interim evaluation on or before the month's end decides: an amount
      SKA decided is paid as it is; otherwise at least 90 % of the planned places P counted
      keeps F (the conditions allow a 10 % fluctuation), fewer pays F × counted / P, rounded
      half-up to cents once."""
    month = month_start(month)
    fee = round_cents(agreement.monthly_fee)
    if agreement.in_stage_one(month):
        return Fee(fee, _("Stage I of the funding agreement (until %(end)s): the full monthly fee %(fee)s.")
                   % {"end": f"{agreement.stage_one_end:%d.%m.%Y}", "fee": _euros(fee)})
    evaluation = agreement.latest_evaluation(month)
    if evaluation is None:
        raise BillingError(
            _("Stage I has ended: enter the interim evaluation (participants counted) before closing.")
        )
    facts = {
        "date": f"{evaluation.date:%d.%m.%Y}", "counted": evaluation.participants,
        "places": agreement.planned_places, "fee": _euros(fee),
        "share": f"{(Decimal(evaluation.participants) * 100 / agreement.planned_places).quantize(Decimal('0.1'))}",
    }
    if evaluation.decided_fee is not None:
        amount = round_cents(evaluation.decided_fee)
        return Fee(amount, _("Interim evaluation of %(date)s: the monthly fee SKA decided, %(amount)s.")
                   % {**facts, "amount": _euros(amount)})
    if evaluation.participants >= agreement.target_participants:
        return Fee(fee, _(
            "Interim evaluation of %(date)s: %(counted)s participants of %(places)s planned places "
            "(%(share)s %%), at least 90 %%: the full monthly fee %(fee)s."
        ) % facts)
    amount = round_cents(agreement.monthly_fee * evaluation.participants / agreement.planned_places)
    return Fee(amount, _(
        "Interim evaluation of %(date)s: %(counted)s participants of %(places)s planned places "
        "(%(share)s %%), under 90 %%: %(fee)s × %(counted)s / %(places)s = %(amount)s."
    ) % {**facts, "amount": _euros(amount)})


def case_management_fee(*, municipality: Municipality, month: dt.date) -> Decimal:
    """The fee of ``month`` under the agreement in force (see :func:`case_management_fee_for`)."""
    return case_management_fee_for(agreement=_agreement_in_force(municipality, month), month=month).amount


def _agreement_in_force(municipality: Municipality, month: dt.date) -> FundingAgreement:
    agreement = agreement_for(municipality, month)
    if agreement is None:
        raise BillingError(_("There is no funding agreement with SKA for this month."))
    return agreement


def save_funding_agreement(*, agreement: FundingAgreement, by) -> FundingAgreement:
    """Create or change the KOV's funding agreement (history keeps every version; invoices
    already closed keep the figures and the seller details they were closed with)."""
    with transaction.atomic():
        agreement.full_clean()
        agreement.save()
    return agreement


def save_interim_evaluation(*, evaluation: InterimEvaluation, by) -> InterimEvaluation:
    """Record or correct an interim evaluation; it decides the fee of months not yet closed."""
    with transaction.atomic():
        evaluation.full_clean()
        evaluation.save()
    return evaluation


def invoice_preview(*, municipality: Municipality, month: dt.date) -> dict:
    """What closing ``month`` now would invoice: the fee (None, with the reason, when it cannot
    be computed yet), the month's delivery lines and the adjustments from earlier months."""
    month = month_start(month)
    try:
        decided = case_management_fee_for(agreement=_agreement_in_force(municipality, month), month=month)
        fee, fee_basis, fee_problem = decided.amount, decided.basis, ""
    except BillingError as error:
        fee, fee_basis, fee_problem = None, "", error.message
    components = Delivery.objects.filter(
        municipality=municipality, date__gte=month, date__lte=month_end(month)
    ).aggregate(s=Sum("amount"))["s"] or ZERO
    adjustments = Adjustment.objects.filter(municipality=municipality, month=month).aggregate(
        s=Sum("amount")
    )["s"] or ZERO
    return {
        "fee": fee, "fee_basis": fee_basis, "fee_problem": fee_problem, "components": components,
        "adjustments": adjustments,
        "total": (fee or ZERO) + components + adjustments,
    }


# --- Month end

#: An invoice's month summed per contract, from the month's totals ``t``
#: (:data:`billing.rules.MONTH_TOTALS_SQL`).
INSERT_CONTRACT_TOTALS = f"""
INSERT INTO billing_invoicecontracttotal (invoice_id, contract_id, sessions, amount)
SELECT %(invoice)s, c.contract_id, c.sessions, coalesce(c.amount, 0) FROM {rules.MONTH_CONTRACT_TOTALS} c
"""

#: The invoice's figures in one statement over one scan of the month: the per-person report and
#: the contract totals are written, and the component totals come back, each row with the number
#: of persons and of deliveries whose stored price differs from the price table (the close is
#: refused, and rolled back, when there are any).
CLOSE_SQL = f"""
WITH t AS MATERIALIZED ({rules.MONTH_TOTALS_SQL}),
persons AS (
    INSERT INTO billing_invoicepersonline (invoice_id, case_id, hours, sessions, amount)
    SELECT %(invoice)s, case_id, round(minutes / 60.0, 4), sessions, amount
    FROM t WHERE t.per_person
    RETURNING 1
),
contracts AS ({INSERT_CONTRACT_TOTALS} RETURNING 1),
mispriced AS ({rules.mispriced_sql(rules.MONTH_PRICE_GROUPS)})
SELECT c.component_id, c.sessions, c.minutes, c.amount, (SELECT count(*) FROM persons),
       (SELECT * FROM mispriced)
FROM {rules.MONTH_COMPONENT_TOTALS} c
"""


def store_contract_totals(invoice: Invoice) -> None:
    """Store the invoice month's deliveries summed per contract, as the close does in its one
    statement (:data:`CLOSE_SQL`), for an invoice made another way (test and benchmark data): a
    contract's usage against its maximum sums these few rows of the counted invoices
    (``selectors.contracts_invoiced``), not every delivery of those months."""
    with connection.cursor() as cursor:
        cursor.execute(f"WITH t AS ({rules.MONTH_TOTALS_SQL}) {INSERT_CONTRACT_TOTALS}",
                       {**rules.month_params(invoice.municipality, invoice.month), "invoice": invoice.pk})


def _lock_open_month(municipality: Municipality, month: dt.date) -> BillingMonth:
    """The month's row, created if need be and locked (select_for_update) inside the caller's
    transaction, so two coordinators pressing "close" at once get one invoice and one "already
    closed", and a refused close leaves no row behind."""
    locked = BillingMonth.objects.select_for_update().filter(municipality=municipality, month=month)
    billing_month = locked.first()  # one query when the month has a row (any delivery made one)
    if billing_month is None:
        BillingMonth.objects.get_or_create(municipality=municipality, month=month)
        billing_month = locked.get()
    if billing_month.is_locked:
        raise BillingError(
            _("Month %(month)s is already closed (%(state)s).")
            % {"month": f"{month:%m.%Y}", "state": billing_month.get_state_display()}
        )
    return billing_month


def _fee_or_refusals(municipality: Municipality, month: dt.date) -> tuple[FundingAgreement, Fee]:
    """The agreement and the fee, or every reason the month cannot be closed, all at once."""
    # The stored prices are checked by the close's own scan of the month (CLOSE_SQL); a close
    # refused for another reason names them too, so that every reason is said at once.
    blockers = rules.month_blockers(municipality, month, prices=False)
    agreement = fee = None
    fee_reasons = []
    try:
        agreement = _agreement_in_force(municipality, month)
        with translation.override("et"):  # the invoice is an Estonian document
            fee = case_management_fee_for(agreement=agreement, month=month)
    except BillingError as error:
        fee_reasons = error.messages
    if blockers or fee_reasons:
        raise BillingError(rules.month_blockers(municipality, month) + fee_reasons)
    return agreement, fee


def _fee_line(invoice: Invoice, fee: Fee) -> InvoiceLine:
    return InvoiceLine(
        invoice=invoice, kind=InvoiceLine.Kind.FEE, description=str(_("Case-management fee")),
        amount=fee.amount, order=0,
    )


def _component_lines(invoice: Invoice, municipality: Municipality, month: dt.date) -> list[InvoiceLine]:
    """One line per component of the month's deliveries (catalogue order); writes the
    per-person report rows in the same statement."""
    from components.models import Component

    with connection.cursor() as cursor:
        cursor.execute(CLOSE_SQL, {**rules.month_params(municipality, month), "invoice": invoice.pk})
        fetched = cursor.fetchall()
    if fetched and fetched[0][5]:  # the caller's transaction is rolled back: nothing is written
        raise BillingError(rules.reasons_from((0, 0, 0, 0, fetched[0][5])))
    rows = [row[:4] for row in fetched]
    components = Component.objects.in_bulk([row[0] for row in rows])
    rows.sort(key=lambda r: (components[r[0]].order, components[r[0]].code))
    return [
        InvoiceLine(
            invoice=invoice, kind=InvoiceLine.Kind.COMPONENT, component=components[component_id],
            description=str(components[component_id]), sessions=sessions,
            hours=hours_from_minutes(minutes).quantize(HOURS), amount=amount, order=order,
        )
        for order, (component_id, sessions, minutes, amount) in enumerate(rows, start=1)
    ]


def _adjustment_lines(invoice: Invoice, municipality: Municipality, month: dt.date, *, first_order: int):
    """One line per correction of an accepted month invoiced in ``month``, naming the original."""
    adjustments = Adjustment.objects.filter(municipality=municipality, month=month).select_related(
        "delivery__component"
    )
    lines = []
    for order, adjustment in enumerate(adjustments, start=first_order):
        original = adjustment.delivery
        lines.append(
            InvoiceLine(
                invoice=invoice, kind=InvoiceLine.Kind.ADJUSTMENT, component=original.component,
                description=str(
                    _("Correction of %(date)s %(code)s (month %(month)s): %(reason)s")
                    % {"date": f"{original.date:%d.%m.%Y}", "code": original.component.code,
                       "month": f"{adjustment.original_month:%m.%Y}", "reason": adjustment.reason}
                ),
                amount=adjustment.amount, original_month=adjustment.original_month,
                adjustment=adjustment, order=order,
            )
        )
    return lines


def close_month(*, municipality: Municipality, month: dt.date, by, today: dt.date | None = None) -> Invoice:
    """Compute the consolidated invoice of ``month`` and lock the month, in one transaction:
    lock the month's row, check (refusing writes nothing), then the fee, the component lines
    and the adjustments of earlier months."""
    month = month_start(month)
    today = today or timezone.localdate()
    if month_end(month) >= today:
        raise BillingError(_("A month can be closed only after it has ended."))
    with transaction.atomic():
        billing_month = _lock_open_month(municipality, month)
        agreement, fee = _fee_or_refusals(municipality, month)
        agreement.municipality = municipality  # the seller's name and code, without a query
        version = billing_month.invoices.count() + 1
        invoice = Invoice.objects.create(
            billing_month=billing_month, municipality=municipality, month=month, version=version,
            number=f"{municipality.code}-{month:%Y%m}-{version}", due_date=due_date(month), issue_date=today,
            case_management_fee=fee.amount, fee_basis=fee.basis, components_total=ZERO, adjustments_total=ZERO,
            total=ZERO, participants=participants_in_month(municipality, month), closed_by=by,
            seller=agreement.seller_party(), buyer=Payer.objects.get(is_default=True).as_party(),
            reference_number=agreement.reference_number,
        )
        components = _component_lines(invoice, municipality, month)  # and the contract totals
        adjustments = _adjustment_lines(invoice, municipality, month, first_order=len(components) + 1)
        InvoiceLine.objects.bulk_create([_fee_line(invoice, fee), *components, *adjustments])
        invoice.components_total = sum((line.amount for line in components), ZERO)
        invoice.adjustments_total = sum((line.amount for line in adjustments), ZERO)
        invoice.total = fee.amount + invoice.components_total + invoice.adjustments_total
        invoice.save(update_fields=["components_total", "adjustments_total", "total"])
        billing_month.state = MonthState.CLOSED
        billing_month.save(update_fields=["state"])
        # In the same transaction: the month's report jobs commit with the close (one commit,
        # not one per job), and their messages go to the queue after it (on_commit).
        signals.month_closed.send_robust(sender=Invoice, invoice=invoice, by=by)
    return invoice


def submit_invoice(*, invoice: Invoice, by, now: dt.datetime | None = None) -> Invoice:
    """Send the closed invoice to SKA; records the time and whether it beat the due date."""
    now = now or timezone.now()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.state != Invoice.State.CLOSED:
            raise BillingError(_("Only a closed invoice that has not been submitted can be submitted."))
        invoice.state = Invoice.State.SUBMITTED
        invoice.submitted_at = now
        invoice.submitted_by = by
        invoice.submitted_on_time = timezone.localdate(now) <= invoice.due_date
        invoice.save(update_fields=["state", "submitted_at", "submitted_by", "submitted_on_time"])
        BillingMonth.objects.filter(pk=invoice.billing_month_id).update(state=MonthState.SUBMITTED)
    return invoice


def review_invoice(*, invoice: Invoice, by, accept: bool, remarks: str = "") -> Invoice:
    """SKA accepts the invoice, or returns it with remarks (the month stays locked until reopened)."""
    remarks = (remarks or "").strip()
    if not accept and not remarks:
        raise BillingError(_("Write the remarks: what must the municipality correct?"))
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.state != Invoice.State.SUBMITTED:
            raise BillingError(_("Only a submitted invoice can be reviewed."))
        invoice.state = Invoice.State.ACCEPTED if accept else Invoice.State.RETURNED
        invoice.reviewed_at = timezone.now()
        invoice.reviewed_by = by
        invoice.remarks = remarks
        invoice.save(update_fields=["state", "reviewed_at", "reviewed_by", "remarks"])
        BillingMonth.objects.filter(pk=invoice.billing_month_id).update(
            state=MonthState.ACCEPTED if accept else MonthState.RETURNED
        )
    return invoice


def reopen_month(*, municipality: Municipality, month: dt.date, by) -> BillingMonth:
    """Open a closed (not yet submitted) or returned month for corrections; its invoice versions stay."""
    with transaction.atomic():
        billing_month = BillingMonth.objects.select_for_update().filter(
            municipality=municipality, month=month_start(month)
        ).first()
        if billing_month is None or not billing_month.may_reopen:
            raise BillingError(_("Only a closed or returned month can be reopened."))
        billing_month.invoices.filter(state=Invoice.State.CLOSED).update(state=Invoice.State.WITHDRAWN)
        billing_month.state = MonthState.OPEN
        billing_month.save(update_fields=["state"])
    return billing_month


def correct_after_acceptance(*, delivery: Delivery, new_minutes: int, reason: str, by) -> Adjustment:
    """A delivery of an accepted month was wrong: the difference goes into the first later open
    month as an adjustment line that names the original delivery and month."""
    reason = (reason or "").strip()
    if not reason:
        raise BillingError(_("Give the reason for the correction."))
    if new_minutes is None or new_minutes < 0:
        raise BillingError(_("Minutes cannot be negative."))
    original_month = month_start(delivery.date)
    state = BillingMonth.objects.filter(municipality_id=delivery.municipality_id, month=original_month).values_list(
        "state", flat=True
    ).first()
    if state != MonthState.ACCEPTED:
        raise BillingError(_("Only deliveries of a month SKA has accepted are corrected with an adjustment."))
    current = (delivery.amount or ZERO) + (delivery.adjustments.aggregate(s=Sum("amount"))["s"] or ZERO)
    corrected = minutes_amount(delivery.unit_price, new_minutes)
    target = next_month(original_month)
    while rules.is_locked(delivery.municipality_id, target):
        target = next_month(target)
    with database_rules(), transaction.atomic():
        adjustment = Adjustment(
            municipality_id=delivery.municipality_id, month=target, delivery=delivery,
            original_month=original_month, new_minutes=new_minutes, amount=corrected - current,
            reason=reason, created_by=by,
        )
        adjustment.full_clean()
        adjustment.save()
    return adjustment


def consistency_check(invoice: Invoice) -> list[dict]:
    """SKA's automatic check: invoice total = sum of its lines; per-person report = component
    lines = the month's delivery lines; the fee is the one the funding agreement gives."""
    lines_total = invoice.lines.aggregate(s=Sum("amount"))["s"] or ZERO
    component_lines = invoice.lines.filter(kind=InvoiceLine.Kind.COMPONENT).aggregate(s=Sum("amount"))["s"] or ZERO
    persons_total = invoice.person_lines.aggregate(s=Sum("amount"))["s"] or ZERO
    deliveries_total = Delivery.objects.filter(
        municipality_id=invoice.municipality_id, date__gte=invoice.month, date__lte=month_end(invoice.month)
    ).aggregate(s=Sum("amount"))["s"] or ZERO
    try:
        expected_fee = case_management_fee(municipality=invoice.municipality, month=invoice.month)
    except BillingError:
        expected_fee = None
    return [
        {"label": _("Invoice total = sum of its lines"), "ok": lines_total == invoice.total,
         "left": invoice.total, "right": lines_total},
        {"label": _("Per-person report = component lines"), "ok": persons_total == component_lines,
         "left": persons_total, "right": component_lines},
        {"label": _("Component lines = the month's delivery lines"), "ok": deliveries_total == component_lines,
         "left": component_lines, "right": deliveries_total},
        {"label": _("Case-management fee as the funding agreement gives"),
         "ok": expected_fee == invoice.case_management_fee, "left": invoice.case_management_fee,
         "right": expected_fee},
    ]
