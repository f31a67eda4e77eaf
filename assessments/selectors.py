"""Reading assessments and plans: what a user may see, which lines are in force on a day,
and the personal budget of a month.

Billing validates attendance against :func:`plan_lines_on` and compares actual
cost with :func:`planned_cost`.

Who sees what (on top of ``cases.selectors``): case managers and coordinators see
everything of their KOV's cases; a specialist of the person's base-support provider
sees the person's assessments, plans, reviews and surveys; a specialist of an
additional-support provider sees only the person's name and code and the plan lines
of their own provider; SKA sees none of it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import KOV_ROLES, Role
from accounts.permissions import get_visible_or_404, has_role
from cases import selectors as case_selectors
from cases.models import Case
from providers.models import Contract, Provider
from providers.pricing import NoPrice, PriceRequest, prices_for
from tugi.charts import chart, series
from tugi.money import ZERO, round_cents
from tugi.workdays import add_months, month_end, month_start

from .models import (
    Assessment,
    AssessmentStatus,
    BaseProviderLink,
    InformationSource,
    Instrument,
    InstrumentKind,
    Plan,
    PlanLine,
    PlanReview,
    PlanStatus,
    QolAnswer,
    QolRespondent,
    QolSurvey,
    ScaleLevel,
)

# ---------------------------------------------------------------- plans in force and money


def plans_in_force(*, case: Case, start: date, end: date) -> QuerySet[Plan]:
    """Agreed plan versions of ``case`` overlapping ``start``..``end``."""
    return Plan.objects.in_force_between(start, end).filter(case=case)


def plan_lines_on(*, case: Case, day: date) -> QuerySet[PlanLine]:
    """Lines of the agreed plan in force on ``day`` whose own period covers ``day``."""
    return PlanLine.objects.filter(plan__case=case).in_force_on(day).select_related("component", "provider", "plan")


def _lines_cost(lines: Iterable[PlanLine], month: date) -> Decimal:
    """Hours a month × unit price of each line, in proportion to the days of ``month`` the
    line (and its plan version) is in force, each line rounded to cents, summed."""
    return sum((_line_cost(line, month) for line in lines), ZERO)


def line_days(line: PlanLine, month: date) -> int:
    """The days of ``month`` on which the line (and its plan version) is in force."""
    first, last = month_start(month), month_end(month)
    start = max(first, line.valid_from, line.plan.valid_from)
    end = min(d for d in (last, line.valid_to, line.plan.valid_to) if d is not None)
    return max(0, (end - start).days + 1)


def line_share(line: PlanLine, month: date) -> Decimal:
    """The share of ``month`` in which the line is in force: its days in force / the month's days."""
    return Decimal(line_days(line, month)) / Decimal(month_end(month).day)


def _line_cost(line: PlanLine, month: date) -> Decimal:
    """One line's share of ``month`` (0 when it is not in force in it), rounded to cents."""
    share = line_share(line, month)
    if not share:
        return ZERO
    return _share_cost(line.monthly_quantity * line.unit_price, line_days(line, month), month_end(month).day)


def _share_cost(full_month: Decimal, days: int, month_days: int) -> Decimal:
    """A line costing ``full_month`` a month, in force ``days`` of the month's ``month_days``."""
    share = Decimal(days) / Decimal(month_days)
    return round_cents(full_month * share)


def plan_lines_in_month(*, case: Case, month: date) -> QuerySet[PlanLine]:
    """Lines of agreed plan versions in force at some time in ``month`` whose own period
    overlaps it (the line is in force on at least one day of the month)."""
    return (
        PlanLine.objects.filter(plan__case=case).in_force_between(month_start(month), month_end(month))
        .select_related("component", "provider", "plan")
    )


def planned_cost(*, case: Case, month: date) -> Decimal:
    """The personal budget (isikustatud eelarve) of ``month``: hours a month × unit price of
    every line in force in that month, each rounded to cents, summed.

    A line in force for part of the month counts in proportion to its days, so a
    plan version that changes on the 15th gives each version its share."""
    lines = PlanLine.objects.filter(plan__case=case).in_force_between(month_start(month), month_end(month))
    return _lines_cost(lines.select_related("plan"), month)


#: The agreed lines in force in each month, as the few distinct (full-month cost, days in force,
#: days of the month) they come to, counted; per case when ``{case}`` is ``p.case_id``. The
#: database finds the lines and their days; :func:`_share_cost` prices each distinct kind once,
#: so the budgets of thousands of persons cost a few hundred multiplications, not a Python
#: object and 12 calculations per line.
LINE_SHARES_SQL = """
WITH months AS (
    SELECT first, (first + interval '1 month')::date - 1 AS last FROM unnest(%s::date[]) AS first
), shares AS (
    SELECT {case} AS case_id, months.first AS month, l.monthly_quantity * l.unit_price AS full_month,
           LEAST(months.last, l.valid_to, p.valid_to) - GREATEST(months.first, l.valid_from, p.valid_from) + 1
               AS days,
           months.last - months.first + 1 AS month_days
    FROM assessments_planline l
    JOIN assessments_plan p ON p.id = l.plan_id
    JOIN months ON l.valid_from <= months.last AND p.valid_from <= months.last
               AND (l.valid_to IS NULL OR l.valid_to >= months.first)
               AND (p.valid_to IS NULL OR p.valid_to >= months.first)
    WHERE p.status = %s AND p.case_id IN ({cases})
)
SELECT case_id, month, full_month, days, month_days, count(*) FROM shares WHERE days > 0
GROUP BY case_id, month, full_month, days, month_days
"""


def _line_shares(cases: QuerySet[Case], months: list[date], *, per_case: bool):
    from django.db import connection

    cases_sql, cases_params = cases.order_by().values("pk").query.sql_with_params()
    sql = LINE_SHARES_SQL.format(case="p.case_id" if per_case else "NULL::bigint", cases=cases_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [months, PlanStatus.AGREED, *cases_params])
        return cursor.fetchall()


def _summed(rows) -> dict[tuple[int | None, date], Decimal]:
    totals: dict[tuple[int | None, date], Decimal] = {}
    for case_id, month, full_month, days, month_days, count in rows:
        key = (case_id, month)
        totals[key] = totals.get(key, ZERO) + _share_cost(full_month, days, month_days) * count
    return totals


def planned_costs(*, cases: QuerySet[Case], months: list[date]) -> dict[tuple[int, date], Decimal]:
    """:func:`planned_cost` of many cases and months at once, keyed by (case id, month), in one
    query however many persons: each line's share of each month is priced as ``planned_cost``
    prices it (:func:`_share_cost`). A case with no line in force in a month has no key."""
    months = [month_start(m) for m in months]
    if not months:
        return {}
    return _summed(_line_shares(cases, months, per_case=True))


def planned_totals(*, cases: QuerySet[Case], months: list[date]) -> dict[date, Decimal]:
    """The personal budgets of all ``cases`` summed per month (the sum of :func:`planned_costs`
    over the cases), in one query whose result does not grow with the persons."""
    months = [month_start(m) for m in months]
    if not months:
        return {}
    return {month: total for (_, month), total in _summed(_line_shares(cases, months, per_case=False)).items()}


def version_cost(*, plan: Plan, month: date) -> Decimal:
    """What this one version (a draft too) costs in ``month`` within its own period."""
    return _lines_cost(plan.lines.select_related("plan"), month)


@dataclass(frozen=True)
class BudgetMonth:
    month: date
    amount: Decimal


def budget_months(*, case: Case, start: date, months: int = 12, plan: Plan | None = None) -> list[BudgetMonth]:
    """The personal budget month by month from ``start``; of one version when ``plan`` is given."""
    first = month_start(start)
    result = []
    for n in range(months):
        month = add_months(first, n)
        amount = version_cost(plan=plan, month=month) if plan else planned_cost(case=case, month=month)
        result.append(BudgetMonth(month, amount))
    return result


def line_monthly_cost(line: PlanLine) -> Decimal:
    """A full month of one line."""
    return round_cents(line.monthly_quantity * line.unit_price)


@dataclass(frozen=True)
class PriceEndWarning:
    """A plan line that runs on past the contract price it was priced with (the price's
    own end or the contract's end): the budget after ``price_until`` still counts the old
    unit price, which no contract covers. ``price_until`` is None when no contract price
    covers the line's start any more; ``reason`` then says why."""

    line: PlanLine
    price_until: date | None
    reason: str = ""

    @property
    def message(self) -> str:
        names = {"component": self.line.component.code, "provider": self.line.provider}
        if self.price_until is None:
            return _(
                "%(component)s from %(provider)s: no contract price covers this plan line any more. "
                "%(reason)s The budget still counts the price it was planned with."
            ) % {**names, "reason": self.reason}
        return _(
            "%(component)s from %(provider)s: the contract price is valid until %(date)s, but the plan "
            "line continues after that. The budget after %(date)s is only an estimate at this price: "
            "the contract or its price must be renewed, or the plan changed."
        ) % {**names, "date": date_format(self.price_until, "SHORT_DATE_FORMAT")}


def price_end_warnings(*, lines: Iterable[PlanLine], until: date) -> list[PriceEndWarning]:
    """The lines whose contract price ends before they do, within a budget shown up to ``until``.

    A line keeps the unit price found on its start date; when that price (or its
    contract) ends earlier than the line, the projection after that day has no
    contract behind it."""
    shown = []
    for line in lines:
        end = min(d for d in (line.ends_on, until) if d is not None)
        if end >= line.valid_from:
            shown.append((line, end))
    prices = prices_for([  # every line's price at once: two queries however many lines
        PriceRequest(line.plan.case.municipality_id, line.provider_id, line.component, line.valid_from, line.form)
        for line, _end in shown
    ])
    warnings = []
    for (line, end), price in zip(shown, prices, strict=True):
        if isinstance(price, NoPrice):
            warnings.append(PriceEndWarning(line, None, str(price.message)))
        elif price.source.effective_end < end:
            warnings.append(PriceEndWarning(line, price.source.effective_end))
    return warnings


def _with_price_context(lines: QuerySet[PlanLine]) -> QuerySet[PlanLine]:
    return lines.select_related("component", "provider", "plan", "plan__case__municipality").order_by(
        "valid_from", "component__code", "pk"
    )


def version_price_warnings(*, plan: Plan, until: date) -> list[PriceEndWarning]:
    """:func:`price_end_warnings` of one version's lines."""
    return price_end_warnings(lines=_with_price_context(plan.lines.all()), until=until)


def budget_lines(*, case: Case, start: date, until: date) -> QuerySet[PlanLine]:
    """The agreed lines counted in the personal budget from ``start`` to ``until``, with what
    their costs and price warnings read."""
    return _with_price_context(PlanLine.objects.in_force_between(start, until).filter(plan__case=case))


def budget_price_warnings(*, case: Case, start: date, until: date) -> list[PriceEndWarning]:
    """:func:`price_end_warnings` of :func:`budget_lines`."""
    return price_end_warnings(lines=budget_lines(case=case, start=start, until=until), until=until)


# ---------------------------------------------------------------- instruments and assessments


def current_instrument(kind: str) -> Instrument | None:
    """The newest published version of an instrument."""
    return (
        Instrument.objects.filter(kind=kind, published_on__isnull=False)
        .order_by("-version")
        .first()
    )


def finished_assessments(case: Case) -> QuerySet[Assessment]:
    return case.assessments.filter(status=AssessmentStatus.FINISHED).order_by("-assessed_on", "-pk")


def latest_assessment(case: Case) -> Assessment | None:
    return finished_assessments(case).select_related("instrument").first()


def previous_assessment_of_person(case: Case, *, before: Assessment | None = None) -> Assessment | None:
    """The person's latest finished assessment in any of their case files of the same municipality
    (another municipality's assessment is not theirs to see, so it is neither copied nor compared)."""
    qs = Assessment.objects.filter(
        case__person_id=case.person_id, case__municipality_id=case.municipality_id,
        status=AssessmentStatus.FINISHED,
    )
    if before is not None and before.pk:
        qs = qs.exclude(pk=before.pk)
    return qs.order_by("-assessed_on", "-pk").first()


@dataclass(frozen=True)
class DomainChange:
    name: str
    level: object
    previous_level: object
    notes: str
    sources: list

    @property
    def change(self) -> int | None:
        if self.level is None or self.previous_level is None:
            return None
        return self.level.value - self.previous_level.value

    @property
    def sources_display(self) -> str:
        labels = dict(InformationSource.choices)
        return ", ".join(str(labels.get(s, s)) for s in self.sources)


def assessment_rows(assessment: Assessment) -> list[DomainChange]:
    """Each domain of the assessment beside the previous assessment's level (matched by code,
    so a reassessment with a newer instrument version still compares)."""
    previous = {}
    if assessment.previous_id:
        previous = {
            a.item.code: a.level
            for a in assessment.previous.answers.select_related("item", "level")
        }
    return [
        DomainChange(a.item.name, a.level, previous.get(a.item.code), a.notes, a.sources)
        for a in assessment.answers.select_related("item", "level")
    ]


# ---------------------------------------------------------------- base-support provider


def base_link_on(case: Case, day: date) -> BaseProviderLink | None:
    return case.base_provider_links.in_force_on(day).select_related("provider").first()


def base_provider_on(case: Case, day: date) -> Provider | None:
    link = base_link_on(case, day)
    return link.provider if link else None


@dataclass(frozen=True)
class PlanMaker:
    """Who makes a person's plan and how far it is: the base-support provider linked on the
    day (or the coming one), and the draft version's start, if one is begun."""

    provider: Provider | None
    draft_since: date | None


def plan_makers(cases: Iterable[Case], day: date) -> dict[int, PlanMaker]:
    """:class:`PlanMaker` per case (keyed by pk), for a list of cases in two queries."""
    ids = [case.pk for case in cases]
    providers: dict[int, Provider] = {}
    links = (
        BaseProviderLink.objects.filter(case__in=ids)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("provider")
        .order_by("case_id", "valid_from")
    )
    for link in links:  # the link in force on the day, else the first coming one
        if link.case_id not in providers or link.valid_from <= day:
            providers[link.case_id] = link.provider
    drafts = dict(
        Plan.objects.filter(case__in=ids, status=PlanStatus.DRAFT)
        .values_list("case_id")
        .annotate(since=Min("created_at"))
    )
    return {
        pk: PlanMaker(providers.get(pk), timezone.localdate(drafts[pk]) if pk in drafts else None)
        for pk in ids
    }


def contracted_base_providers(*, municipality, on: date) -> QuerySet[Provider]:
    """The municipality's base-support providers with a contract in force on ``on``."""
    contracts = Contract.objects.in_force_on(on).filter(municipality=municipality, provider=OuterRef("pk"))
    return Provider.objects.filter(offers_base_support=True).filter(Exists(contracts)).order_by("name")


# ---------------------------------------------------------------- access


def _current_links(user) -> QuerySet[BaseProviderLink]:
    today = timezone.localdate()
    return BaseProviderLink.objects.in_force_between(today, date.max).filter(provider_id=user.provider_id)


def base_cases_for(user) -> QuerySet[Case]:
    """Cases whose current (or coming) base-support provider is the user's provider."""
    if not has_role(user, Role.PROVIDER) or not user.provider_id:
        return Case.objects.none()
    return Case.objects.filter(
        pk__in=_current_links(user).values("case_id")
    ).select_related("person", "case_manager", "municipality")


def additional_cases_for(user) -> QuerySet[Case]:
    """Cases with an agreed plan line of the user's provider that is not over yet."""
    if not has_role(user, Role.PROVIDER) or not user.provider_id:
        return Case.objects.none()
    today = timezone.localdate()
    lines = PlanLine.objects.filter(provider_id=user.provider_id).in_force_between(today, date.max)
    return Case.objects.filter(pk__in=lines.values("plan__case_id")).select_related("person", "municipality")


def plan_cases_for(user) -> QuerySet[Case]:
    """Cases whose assessments, plans, reviews and surveys the user may see."""
    if has_role(user, *KOV_ROLES):
        return case_selectors.cases_for(user)
    return base_cases_for(user)


def case_for(user, pk) -> Case:
    """One case whose plan side the user may see, or 404."""
    return get_visible_or_404(plan_cases_for(user), pk=pk)


def additional_case_for(user, pk) -> Case:
    return get_visible_or_404(additional_cases_for(user), pk=pk)


def is_base_specialist(user, case: Case) -> bool:
    """May ``user`` edit the plans and reviews of ``case``?"""
    return has_role(user, Role.PROVIDER) and _current_links(user).filter(case=case).exists()


def may_assess(user) -> bool:
    return has_role(user, *KOV_ROLES)


def plans_for(user) -> QuerySet[Plan]:
    return Plan.objects.filter(case__in=plan_cases_for(user)).select_related(
        "case", "case__person", "made_by", "assessment"
    )


def plan_for(user, pk) -> Plan:
    return get_visible_or_404(plans_for(user), pk=pk)


def assessment_for(user, pk) -> Assessment:
    qs = Assessment.objects.filter(case__in=plan_cases_for(user)).select_related(
        "case", "case__person", "instrument", "assessor", "previous"
    )
    return get_visible_or_404(qs, pk=pk)


def survey_for(user, pk) -> QolSurvey:
    qs = QolSurvey.objects.filter(case__in=plan_cases_for(user)).select_related(
        "case", "case__person", "instrument", "recorded_by"
    )
    return get_visible_or_404(qs, pk=pk)


def lines_of_provider(*, case: Case, provider_id: int) -> QuerySet[PlanLine]:
    """The agreed plan lines of ``case`` that concern one provider."""
    return PlanLine.objects.filter(
        plan__case=case, plan__status=PlanStatus.AGREED, provider_id=provider_id
    ).select_related("component", "plan").order_by("valid_from", "component__code")


def current_plan(case: Case) -> Plan | None:
    """The agreed version in force today, else the newest agreed one, else the newest draft."""
    today = timezone.localdate()
    in_force = plans_in_force(case=case, start=today, end=today).first()
    if in_force:
        return in_force
    return case.plans.order_by("-version").first()


@dataclass(frozen=True)
class ItemChange:
    name: str
    level: object
    previous_level: object

    @property
    def change(self) -> int | None:
        if self.level is None or self.previous_level is None:
            return None
        return self.level.value - self.previous_level.value


def previous_survey(survey: QolSurvey) -> QolSurvey | None:
    """The same respondent's survey of this person before this one, in the same municipality."""
    return (
        QolSurvey.objects.filter(
            case__person_id=survey.case.person_id, case__municipality_id=survey.case.municipality_id,
            respondent=survey.respondent,
        )
        .filter(Q(answered_on__lt=survey.answered_on) | Q(answered_on=survey.answered_on, pk__lt=survey.pk))
        .order_by("-answered_on", "-pk")
        .first()
    )


def survey_rows(survey: QolSurvey) -> tuple[QolSurvey | None, list[ItemChange]]:
    before = previous_survey(survey)
    previous = {}
    if before:
        previous = {a.item.code: a.level for a in before.answers.select_related("item", "level")}
    rows = [
        ItemChange(a.item.name, a.level, previous.get(a.item.code))
        for a in survey.answers.select_related("item", "level")
    ]
    return before, rows


def qol_instrument() -> Instrument | None:
    return current_instrument(InstrumentKind.QOL)


def needs_instrument() -> Instrument | None:
    return current_instrument(InstrumentKind.NEEDS)


def reviews_of(case: Case) -> QuerySet[PlanReview]:
    return (
        PlanReview.objects.filter(plan__case=case)
        .select_related("plan", "reviewed_by")
        .prefetch_related("progress__goal")
        .order_by("-reviewed_on", "-pk")
    )


@dataclass(frozen=True)
class QolChange:
    """Every quality-of-life survey of a case side by side: ``surveys`` in column order (the
    person's, then the specialist's, each by date) and one row per question with the value of
    each survey (None where it has no answer), in question order."""

    surveys: list
    rows: list  # [(item name, [value or None per survey])]
    scale_max: int | None = None  # the top of the questionnaires' scale


def qol_change(*, case: Case) -> QolChange:
    """The person's and the specialist's ratings per question across the case's surveys, in
    three queries however many surveys there are."""
    order = {QolRespondent.PERSON: 0, QolRespondent.SPECIALIST: 1}
    surveys = sorted(
        QolSurvey.objects.filter(case=case), key=lambda s: (order.get(s.respondent, 9), s.answered_on, s.pk)
    )
    column = {s.pk: i for i, s in enumerate(surveys)}
    items: dict[str, tuple] = {}
    answers = QolAnswer.objects.filter(survey__case=case).select_related("item", "level")
    for answer in answers.order_by("item__order", "item__code"):
        _, values = items.setdefault(answer.item.code, (answer.item.name, [None] * len(surveys)))
        values[column[answer.survey_id]] = answer.level.value
    top = ScaleLevel.objects.filter(instrument_id__in={s.instrument_id for s in surveys}).aggregate(m=Max("value"))
    return QolChange(surveys, list(items.values()), top["m"])


# ---------------------------------------------------------------- the case file's section


def plan_summary(case: Case) -> dict:
    """The case file's "assessment, plan and personal budget" section (``case`` has been
    scoped by the case file's view)."""
    today = timezone.localdate()
    plan = current_plan(case)
    start, until = month_start(today), month_end(add_months(today, 1))
    # The agreed lines of this month and the next, once: each month's budget counts the days a
    # line is in force in it (0 outside), and the warnings read the same lines.
    lines = list(budget_lines(case=case, start=start, until=until))
    return {
        "assessment": latest_assessment(case),
        "draft_assessment": case.assessments.filter(status="draft").first(),
        "base_link": base_link_on(case, today)
        or case.base_provider_links.filter(valid_from__gt=today).select_related("provider").first(),
        "plan": plan,
        "agreed": plan if plan is not None and not plan.is_draft else None,
        "draft": case.plans.filter(status=PlanStatus.DRAFT).order_by("-version").first(),
        "this_month": _lines_cost(lines, today),
        "next_month": _lines_cost(lines, add_months(today, 1)),
        "next_month_date": add_months(today, 1),
        "price_warnings": price_end_warnings(lines=lines, until=until),
    }


def qol_change_chart(case: Case) -> dict:
    """The quality-of-life ratings per question across the case's surveys, as table and chart."""
    change = qol_change(case=case)
    columns = [f"{s.get_respondent_display()}, {s.get_occasion_display()} ({s.answered_on:%d.%m.%Y})" for s in change.surveys]
    datasets = [
        series(label, [values[i] for _, values in change.rows], dashed=survey.respondent == QolRespondent.SPECIALIST)
        for i, (label, survey) in enumerate(zip(columns, change.surveys, strict=True))
    ]
    return {
        "columns": columns,
        "rows": change.rows,
        "chart": chart(
            "bar", [name for name, _ in change.rows], datasets, horizontal=True, y_max=change.scale_max
        ) if change.surveys else None,
        # Room for every question's label (up to three lines on a phone) beside its bars.
        "height": 120 + len(change.rows) * max(64, 14 * len(change.surveys)),
    }
