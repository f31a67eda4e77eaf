"""Services of the assessments app: every change to an assessment, a base-support link, a
plan, a review or a quality-of-life survey goes through one of these.

Each runs in a transaction, checks its rules and raises :class:`AssessmentError` with a
translatable message (naming the form field it belongs to, when there is one). The
case file learns of the dates through ``cases.services.record_*``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from cases import services as case_services
from cases.models import Case, CaseState
from cases.services import CaseError
from components.models import Component
from providers.models import Provider
from providers.pricing import NoPrice, price_for
from tugi.errors import DomainError, validated_save

from . import selectors
from .models import (
    Assessment,
    AssessmentAnswer,
    AssessmentStatus,
    BaseProviderLink,
    Goal,
    GoalProgress,
    InstrumentItem,
    InstrumentKind,
    Plan,
    PlanActivity,
    PlanKind,
    PlanLine,
    PlanReview,
    PlanStatus,
    QolAnswer,
    QolOccasion,
    QolSurvey,
    SubGoal,
)


class AssessmentError(DomainError):
    """A rule of assessments or plans was broken."""


class IncompleteAssessment(AssessmentError):
    """Finishing an assessment with domains whose level of need is not given; ``item_ids`` names
    them, so the form marks each missing field."""

    def __init__(self, message, *, item_ids: list[int]):
        super().__init__(message)
        self.item_ids = item_ids


def _d(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _save(obj) -> None:
    validated_save(obj, AssessmentError)


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("person").get(pk=case.pk)


def _require_entered(case: Case, on: date | None = None) -> None:
    if case.state == CaseState.EXITED:
        raise AssessmentError(_("The case file is closed: the person has exited."))
    if case.state == CaseState.CLOSED:
        raise AssessmentError(_("The case file is closed: the person did not enter."))
    if case.entry_date is None:
        raise AssessmentError(_("The person has not entered the programme yet."))
    if on is not None and on < case.entry_date:
        raise AssessmentError(
            _("The date is before the entry date (%(date)s).") % {"date": _d(case.entry_date)}, field="on"
        )


def _record(call, **kwargs) -> None:
    """Tell the case file; its refusal becomes ours."""
    try:
        call(**kwargs)
    except CaseError as exc:
        raise AssessmentError(exc.message) from exc


# ---------------------------------------------------------------- assessment


def known_data(case: Case) -> str:
    """What this case file already knows about the person, for the assessor to start from."""
    person = case
    lines = [f"{_('Degree of disability')}: {person.get_disability_degree_display()}"]
    if person.disability_valid_until:
        lines[-1] += f" ({_('valid until')} {_d(person.disability_valid_until)})"
    lines.append(f"{_('Work ability')}: {person.get_work_ability_display()}")
    if person.earlier_assessments:
        lines.append(f"{_('Earlier assessments')}: {person.earlier_assessments}")
    return "\n".join(lines)


@transaction.atomic
def start_assessment(*, case: Case, on: date, by: User) -> Assessment:
    """A new (re)assessment with the current instrument, pre-filled from the person's known
    data and from their previous assessment. A draft already in progress is returned."""
    case = _lock(case)
    _require_entered(case, on)
    draft = case.assessments.filter(status=AssessmentStatus.DRAFT).first()
    if draft:
        return draft
    instrument = selectors.current_instrument(InstrumentKind.NEEDS)
    if instrument is None:
        raise AssessmentError(_("No version of the assessment instrument is published yet."))
    previous = selectors.previous_assessment_of_person(case)
    assessment = Assessment(
        case=case, instrument=instrument, assessed_on=on, assessor=by, previous=previous,
        background=known_data(case),
        ready_to_cooperate=previous.ready_to_cooperate if previous else True,
    )
    _save(assessment)
    earlier = {}
    if previous:
        earlier = {a.item.code: a for a in previous.answers.select_related("item", "level")}
    levels = {level.value: level for level in instrument.levels.all()}
    for item in instrument.items.all():
        before = earlier.get(item.code)
        AssessmentAnswer.objects.create(
            assessment=assessment,
            item=item,
            level=levels.get(before.level.value) if before and before.level else None,
            notes=before.notes if before else "",
            sources=before.sources if before else [],
        )
    return assessment


@dataclass
class AnswerInput:
    item_id: int
    level_id: int | None
    notes: str
    sources: list


@transaction.atomic
def save_assessment(
    *,
    assessment: Assessment,
    assessed_on: date,
    background: str,
    summary: str,
    ready_to_cooperate: bool,
    answers: Iterable[AnswerInput],
) -> Assessment:
    assessment = Assessment.objects.select_for_update().select_related("case").get(pk=assessment.pk)
    if assessment.is_finished:
        raise AssessmentError(_("A finished assessment cannot be changed; start a reassessment."))
    _require_entered(assessment.case)
    if assessed_on < assessment.case.entry_date:
        raise AssessmentError(
            _("The date is before the entry date (%(date)s).") % {"date": _d(assessment.case.entry_date)},
            field="assessed_on",
        )
    assessment.assessed_on = assessed_on
    assessment.background = background
    assessment.summary = summary
    assessment.ready_to_cooperate = ready_to_cooperate
    _save(assessment)
    by_item = {a.item_id: a for a in assessment.answers.all()}
    for given in answers:
        answer = by_item.get(given.item_id)
        if answer is None:
            raise AssessmentError(_("This domain is not part of the assessment."))
        answer.level_id = given.level_id
        answer.notes = given.notes
        answer.sources = list(given.sources)
        _save(answer)
    return assessment


@transaction.atomic
def finish_assessment(*, assessment: Assessment) -> Assessment:
    """The assessment is done: the case becomes "assessed" and the 30-day plan deadline starts."""
    assessment = Assessment.objects.select_for_update().select_related("case").get(pk=assessment.pk)
    if assessment.is_finished:
        raise AssessmentError(_("The assessment is already finished."))
    missing = [a for a in assessment.answers.select_related("item") if a.level_id is None]
    if missing:
        raise IncompleteAssessment(
            _("Give the level of need in every domain. Missing: %(domains)s.")
            % {"domains": ", ".join(a.item.name for a in missing)},
            item_ids=[a.item_id for a in missing],
        )
    if not assessment.summary.strip():
        raise AssessmentError(_("Write a summary before finishing the assessment."), field="summary")
    assessment.status = AssessmentStatus.FINISHED
    _save(assessment)
    _record(case_services.record_assessment, case=assessment.case, on=assessment.assessed_on)
    return assessment


# ---------------------------------------------------------------- base-support provider


@transaction.atomic
def link_base_provider(
    *, case: Case, provider: Provider, on: date, choice_explained: bool, notes: str, by: User
) -> BaseProviderLink:
    """Seostamine: from ``on`` the person's base-support provider is ``provider``; an earlier
    link ends the day before."""
    case = _lock(case)
    _require_entered(case, on)
    if not choice_explained:
        raise AssessmentError(
            _("Explain the base-support providers of the area to the person and choose together."),
            field="choice_explained",
        )
    if not selectors.contracted_base_providers(municipality=case.municipality, on=on).filter(pk=provider.pk).exists():
        raise AssessmentError(
            _("%(provider)s is not a base-support provider with a contract in force on %(date)s.")
            % {"provider": provider, "date": _d(on)},
            field="provider",
        )
    current = case.base_provider_links.select_for_update().filter(valid_to__isnull=True).first()
    if current:
        if current.provider_id == provider.pk:
            raise AssessmentError(_("The person is already linked to this provider."), field="provider")
        if on <= current.valid_from:
            raise AssessmentError(
                _("The new link must start after the current one (%(date)s).") % {"date": _d(current.valid_from)},
                field="valid_from",
            )
        current.valid_to = on - timedelta(days=1)
        _save(current)
    link = BaseProviderLink(
        case=case, provider=provider, valid_from=on, choice_explained=True, notes=notes, linked_by=by
    )
    try:
        with transaction.atomic():
            _save(link)
    except IntegrityError as exc:
        raise AssessmentError(_("The person already has a base-support provider in this period.")) from exc
    _record(case_services.record_base_link, case=case, on=on)
    return link


# ---------------------------------------------------------------- plans


def _require_draft(plan: Plan) -> Plan:
    """The plan as it is now in the database, locked; refused unless it is a draft."""
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("case", "case__municipality", "assessment")
        .get(pk=plan.pk)
    )
    if not plan.is_draft:
        raise AssessmentError(_("An agreed plan is not changed; make a new version from a date."))
    return plan


@transaction.atomic
def start_plan(*, case: Case, kind: str, valid_from: date, by: User) -> Plan:
    """The first version of the person's action or support plan, as a draft."""
    case = _lock(case)
    _require_entered(case)
    assessment = selectors.latest_assessment(case)
    if assessment is None:
        raise AssessmentError(_("A plan cannot be made before an assessment."))
    if valid_from < assessment.assessed_on:
        raise AssessmentError(
            _("The plan cannot start before the assessment (%(date)s).") % {"date": _d(assessment.assessed_on)},
            field="valid_from",
        )
    if selectors.base_provider_on(case, valid_from) is None:
        raise AssessmentError(
            _("Link the person to a base-support provider first; the plan is made by its specialist."),
            field="valid_from",
        )
    if case.plans.exists():
        raise AssessmentError(_("The person already has a plan; change it by making a new version."))
    if kind not in PlanKind.values:
        raise AssessmentError(_("Choose an action plan or a support plan."), field="kind")
    plan = Plan(
        case=case, kind=kind, version=1, valid_from=valid_from, made_by=by, assessment=assessment,
    )
    _save(plan)
    return plan


def _price(*, case: Case, provider: Provider, component: Component, form: str, on: date) -> Decimal:
    try:
        return price_for(
            municipality=case.municipality, provider=provider, component=component, on=on, form=form
        ).amount
    except NoPrice as exc:
        if exc.reason in (NoPrice.NO_CONTRACT, NoPrice.CONTRACT_NOT_IN_FORCE, NoPrice.COMPONENT_NOT_IN_CONTRACT):
            raise AssessmentError(
                _("%(provider)s has no contract for %(component)s on %(date)s: %(reason)s")
                % {"provider": provider, "component": component.code, "date": _d(on), "reason": exc.message},
                field="provider",
            ) from exc
        raise AssessmentError(
            _("There is no valid price for %(component)s on %(date)s: %(reason)s")
            % {"component": component.code, "date": _d(on), "reason": exc.message},
            field="form" if exc.reason == NoPrice.FORM_NOT_OFFERED else "valid_from",
        ) from exc


def _checked_price(
    *, plan: Plan, component: Component, provider: Provider, form: str, valid_from: date, valid_to: date | None
) -> Decimal:
    """Every rule of a plan line; the unit price of the contract at the line's start."""
    if valid_to is not None and valid_to < valid_from:
        raise AssessmentError(_("A plan line cannot end before it starts."), field="valid_to")
    if valid_from < plan.valid_from or (plan.valid_to and valid_from > plan.valid_to):
        raise AssessmentError(
            _("The line must start within the plan's period (from %(date)s).") % {"date": _d(plan.valid_from)},
            field="valid_from",
        )
    if component.is_base_support:
        base = selectors.base_provider_on(plan.case, valid_from)
        if base is None or base.pk != provider.pk:
            raise AssessmentError(
                _("%(component)s is base support: only the person's base-support provider (%(base)s) delivers it.")
                % {"component": component.code, "base": base or "—"},
                field="provider",
            )
    return _price(case=plan.case, provider=provider, component=component, form=form, on=valid_from)


@transaction.atomic
def add_line(
    *,
    plan: Plan,
    component: Component,
    provider: Provider,
    form: str,
    monthly_quantity: Decimal,
    valid_from: date,
    valid_to: date | None = None,
) -> PlanLine:
    plan = _require_draft(plan)
    unit_price = _checked_price(
        plan=plan, component=component, provider=provider, form=form, valid_from=valid_from, valid_to=valid_to
    )
    line = PlanLine(
        plan=plan, component=component, provider=provider, form=form, monthly_quantity=monthly_quantity,
        valid_from=valid_from, valid_to=valid_to, unit_price=unit_price,
    )
    _save(line)
    return line


@transaction.atomic
def change_line(
    *, line: PlanLine, form: str, monthly_quantity: Decimal, valid_from: date, valid_to: date | None
) -> PlanLine:
    """A line of a draft version: the same rules as a new line, the price looked up again."""
    line = PlanLine.objects.select_for_update().select_related("component", "provider").get(pk=line.pk)
    plan = _require_draft(line.plan)
    line.unit_price = _checked_price(
        plan=plan, component=line.component, provider=line.provider, form=form,
        valid_from=valid_from, valid_to=valid_to,
    )
    line.form, line.monthly_quantity, line.valid_from, line.valid_to = form, monthly_quantity, valid_from, valid_to
    _save(line)
    return line


@transaction.atomic
def remove_line(*, line: PlanLine) -> None:
    _require_draft(line.plan)
    line.delete()


def _require_assessed_domain(plan: Plan, domain: InstrumentItem) -> None:
    if plan.assessment_id is None or domain.instrument_id != plan.assessment.instrument_id:
        raise AssessmentError(_("Choose a domain of the assessment the plan is based on."), field="domain")


@transaction.atomic
def set_plan_texts(*, plan: Plan, resources: str, obstacles: str) -> Plan:
    """Handbook form B's resources and obstacles of a draft version."""
    plan = _require_draft(plan)
    plan.resources, plan.obstacles = resources.strip(), obstacles.strip()
    _save(plan)
    return plan


@transaction.atomic
def add_goal(*, plan: Plan, domain: InstrumentItem, text: str) -> Goal:
    plan = _require_draft(plan)
    _require_assessed_domain(plan, domain)
    goal = Goal(plan=plan, domain=domain, text=text, order=plan.goals.count() + 1)
    _save(goal)
    return goal


@transaction.atomic
def remove_goal(*, goal: Goal) -> None:
    _require_draft(goal.plan)
    goal.delete()


@transaction.atomic
def add_subgoal(*, goal: Goal, text: str, measure: str, target_date: date | None) -> SubGoal:
    _require_draft(goal.plan)
    subgoal = SubGoal(goal=goal, text=text, measure=measure, target_date=target_date)
    _save(subgoal)
    return subgoal


@transaction.atomic
def add_activity(*, goal: Goal, text: str, schedule: str, responsible: str) -> PlanActivity:
    _require_draft(goal.plan)
    activity = PlanActivity(goal=goal, text=text, schedule=schedule, responsible=responsible)
    _save(activity)
    return activity


@transaction.atomic
def agree_plan(*, plan: Plan, agreed_on: date) -> Plan:
    """The person agreed to the plan on ``agreed_on``. The previous version ends the day
    before this one starts; the case file records the plan."""
    case = _lock(plan.case)
    plan = _require_draft(plan)
    _require_entered(case)
    if not plan.goals.exists():
        raise AssessmentError(_("Add at least one goal before agreeing the plan."))
    if plan.assessment_id and agreed_on < plan.assessment.assessed_on:
        raise AssessmentError(
            _("The plan cannot be agreed before the assessment (%(date)s).") % {"date": _d(plan.assessment.assessed_on)},
            field="agreed_on",
        )
    previous = plan.previous
    if previous and previous.status == PlanStatus.AGREED and (
        previous.valid_to is None or previous.valid_to >= plan.valid_from
    ):
        previous.valid_to = plan.valid_from - timedelta(days=1)
        _save(previous)
    plan.status = PlanStatus.AGREED
    plan.agreed_on = agreed_on
    try:
        with transaction.atomic():
            _save(plan)
    except IntegrityError as exc:
        raise AssessmentError(_("Another agreed version of this plan is in force in this period.")) from exc
    _record(case_services.record_plan, case=case, on=agreed_on)
    return plan


def _map_domain(domain: InstrumentItem, assessment: Assessment | None) -> InstrumentItem:
    if assessment is None or domain.instrument_id == assessment.instrument_id:
        return domain
    return assessment.instrument.items.filter(code=domain.code).first() or domain


@transaction.atomic
def new_version(*, plan: Plan, valid_from: date, reason: str, by: User) -> Plan:
    """A change of an agreed plan: a draft copy (goals and lines) in force from ``valid_from``.
    Lines that end before it are left out; the others start on it at the price of that day.

    A line with no valid price on that day (its contract or price has ended) is left out
    too, rather than blocking every change of the plan: the new version's
    ``lines_left_out`` names them, so the caller can say so and they can be added again
    from a provider with a contract."""
    case = _lock(plan.case)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_entered(case)
    if plan.status != PlanStatus.AGREED:
        raise AssessmentError(_("Finish and agree this version first."))
    if case.plans.filter(version__gt=plan.version).exists():
        raise AssessmentError(_("There is already a newer version of this plan."))
    if valid_from <= plan.valid_from:
        raise AssessmentError(
            _("The new version must start after the current one (%(date)s).") % {"date": _d(plan.valid_from)},
            field="valid_from",
        )
    if plan.valid_to and valid_from > plan.valid_to:
        raise AssessmentError(
            _("The plan ended on %(date)s.") % {"date": _d(plan.valid_to)}, field="valid_from"
        )
    if not reason.strip():
        raise AssessmentError(_("Say what changes and why."), field="reason")
    assessment = selectors.latest_assessment(case) or plan.assessment
    new = Plan(
        case=case, kind=plan.kind, version=plan.version + 1, valid_from=valid_from, valid_to=plan.valid_to,
        made_by=by, previous=plan, assessment=assessment, change_reason=reason.strip(),
        resources=plan.resources, obstacles=plan.obstacles,
    )
    _save(new)
    for goal in plan.goals.prefetch_related("subgoals", "activities"):
        copy = Goal.objects.create(
            plan=new, domain=_map_domain(goal.domain, assessment), text=goal.text, order=goal.order
        )
        for sub in goal.subgoals.all():
            SubGoal.objects.create(goal=copy, text=sub.text, measure=sub.measure, target_date=sub.target_date)
        for act in goal.activities.all():
            PlanActivity.objects.create(goal=copy, text=act.text, schedule=act.schedule, responsible=act.responsible)
    left_out = []
    for line in plan.lines.select_related("component", "provider"):
        if line.valid_to and line.valid_to < valid_from:
            continue
        start = max(line.valid_from, valid_from)
        unit_price = line.unit_price
        if start != line.valid_from:
            try:
                unit_price = _price(
                    case=case, provider=line.provider, component=line.component, form=line.form, on=start
                )
            except AssessmentError:
                left_out.append(line)
                continue
        PlanLine.objects.create(
            plan=new, component=line.component, provider=line.provider, form=line.form,
            monthly_quantity=line.monthly_quantity, valid_from=start, valid_to=line.valid_to,
            unit_price=unit_price,
        )
    new.lines_left_out = left_out
    return new


@transaction.atomic
def discard_draft(*, plan: Plan) -> None:
    """Throw away a draft version (never an agreed one)."""
    plan = _require_draft(plan)
    plan.lines.all().delete()
    plan.goals.all().delete()
    plan.delete()


# ---------------------------------------------------------------- review


@transaction.atomic
def add_review(
    *,
    plan: Plan,
    kind: str,
    period_start: date,
    period_end: date,
    overall: str,
    recommendations: str,
    reviewed_on: date,
    progress: Mapping[int, tuple[str, str]],
    by: User,
) -> PlanReview:
    """Vahe- või järelhindamine (handbook B1). Restarts the yearly reassessment clock."""
    case = _lock(plan.case)
    plan = Plan.objects.get(pk=plan.pk)
    _require_entered(case, reviewed_on)
    if plan.status != PlanStatus.AGREED:
        raise AssessmentError(_("Only an agreed plan is reviewed."))
    if period_end < period_start:
        raise AssessmentError(_("The period cannot end before it starts."), field="period_end")
    goals = list(plan.goals.all())
    missing = [g for g in goals if g.pk not in progress or not progress[g.pk][0]]
    if missing:
        raise AssessmentError(_("Assess the progress of every goal."))
    sequence = PlanReview.objects.filter(plan__case=case).count() + 1
    review = PlanReview(
        plan=plan, kind=kind, sequence=sequence, period_start=period_start, period_end=period_end,
        overall=overall, recommendations=recommendations, reviewed_on=reviewed_on, reviewed_by=by,
    )
    _save(review)
    for goal in goals:
        value, comment = progress[goal.pk]
        _save(GoalProgress(review=review, goal=goal, progress=value, comment=comment))
    _record(case_services.record_review, case=case, on=reviewed_on)
    return review


# ---------------------------------------------------------------- quality of life


@transaction.atomic
def record_survey(
    *,
    case: Case,
    occasion: str,
    respondent: str,
    answered_on: date,
    answers: Mapping[int, int],
    notes: str,
    by: User,
) -> QolSurvey:
    """A quality-of-life survey with an answer to every item of the current questionnaire."""
    case = _lock(case)
    if case.entry_date is None:
        raise AssessmentError(_("The person has not entered the programme yet."))
    if answered_on < case.entry_date:
        raise AssessmentError(
            _("The date is before the entry date (%(date)s).") % {"date": _d(case.entry_date)}, field="answered_on"
        )
    if case.state == CaseState.EXITED and occasion != QolOccasion.EXIT:
        raise AssessmentError(_("The case file is closed: the person has exited."))
    instrument = selectors.current_instrument(InstrumentKind.QOL)
    if instrument is None:
        raise AssessmentError(_("No version of the quality-of-life questionnaire is published yet."))
    items = list(instrument.items.all())
    levels = {level.pk: level for level in instrument.levels.all()}
    if any(not answers.get(item.pk) or answers[item.pk] not in levels for item in items):
        raise AssessmentError(_("Answer every question."))
    survey = QolSurvey(
        case=case, instrument=instrument, occasion=occasion, respondent=respondent, answered_on=answered_on,
        notes=notes, recorded_by=by,
    )
    try:
        with transaction.atomic():
            _save(survey)
    except IntegrityError as exc:
        raise AssessmentError(_("This survey has already been recorded for this occasion.")) from exc
    for item in items:
        QolAnswer.objects.create(survey=survey, item=item, level=levels[answers[item.pk]])
    _record(case_services.record_qol_survey, case=case, on=answered_on, occasion=occasion, respondent=respondent)
    return survey

