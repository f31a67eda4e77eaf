"""Every URL of assessments and plans.

Case managers and coordinators of the person's KOV see everything; the specialist of
the person's base-support provider (``provider_user``) sees and edits the plan side;
SKA and administrators get 403; another KOV's staff 404."""

from accounts.models import Role
from tests.access.table import KOV_STAFF, Route

PLAN_READERS = KOV_STAFF | {Role.PROVIDER}
PROVIDER = frozenset({Role.PROVIDER})


def _world_case(world):
    """A case of KOV A: assessed, linked to provider_user's provider, plan v1 agreed and v2 a draft."""
    from datetime import date
    from decimal import Decimal

    from assessments import selectors
    from assessments.models import (
        Assessment,
        AssessmentAnswer,
        BaseProviderLink,
        Goal,
        InstrumentKind,
        Plan,
        PlanLine,
        QolAnswer,
        QolSurvey,
    )
    from cases.models import Case
    from components.models import Component
    from tests.cases.factories import EnteredCaseFactory

    case = Case.objects.filter(municipality=world.kov_a, number="PLAN-1").first()
    if case:
        return case
    manager = world.users["case_manager_a"]
    specialist = world.users["provider_user"]
    case = EnteredCaseFactory(municipality=world.kov_a, case_manager=manager, number="PLAN-1", state="planned")
    needs = selectors.current_instrument(InstrumentKind.NEEDS)
    level = needs.levels.get(value=2)
    assessment = Assessment.objects.create(
        case=case, instrument=needs, assessed_on=date(2026, 1, 20), assessor=manager, status="finished",
        summary="Kokkuvõte",
    )
    draft = Assessment.objects.create(
        case=case, instrument=needs, assessed_on=date(2026, 6, 20), assessor=manager, previous=assessment
    )
    for item in needs.items.all():
        AssessmentAnswer.objects.create(assessment=assessment, item=item, level=level)
        AssessmentAnswer.objects.create(assessment=draft, item=item)
    BaseProviderLink.objects.create(
        case=case, provider=specialist.provider, valid_from=date(2026, 1, 21), choice_explained=True,
        linked_by=manager,
    )
    l01 = Component.objects.get(code="L01")
    for version, status in [(1, "agreed"), (2, "draft")]:
        plan = Plan.objects.create(
            case=case, version=version, valid_from=date(2026, version * 2, 1), status=status,
            agreed_on=date(2026, 1, 30) if status == "agreed" else None, made_by=specialist,
            assessment=assessment, previous=Plan.objects.filter(case=case, version=1).first(),
        )
        Goal.objects.create(plan=plan, domain=needs.items.first(), text="Eesmärk")
        PlanLine.objects.create(
            plan=plan, component=l01, provider=specialist.provider, form="I", monthly_quantity=Decimal(10),
            valid_from=plan.valid_from, unit_price=Decimal("32.00"),
        )
    qol = selectors.current_instrument(InstrumentKind.QOL)
    survey = QolSurvey.objects.create(
        case=case, instrument=qol, occasion="entry", respondent="person", answered_on=date(2026, 1, 15),
        recorded_by=manager,
    )
    for item in qol.items.all():
        QolAnswer.objects.create(survey=survey, item=item, level=qol.levels.first())
    return case


def case_kwargs(world):
    return {"pk": _world_case(world).pk}


def _plan(world, version):
    return _world_case(world).plans.get(version=version)


def agreed_kwargs(world):
    return {"pk": _plan(world, 1).pk}


def draft_kwargs(world):
    return {"pk": _plan(world, 2).pk}


def goal_kwargs(world):
    plan = _plan(world, 2)
    return {"pk": plan.pk, "goal_pk": plan.goals.get().pk}


def line_kwargs(world):
    plan = _plan(world, 2)
    return {"pk": plan.pk, "line_pk": plan.lines.get().pk}


def assessment_kwargs(world):
    return {"pk": _world_case(world).assessments.get(status="finished").pk}


def draft_assessment_kwargs(world):
    return {"pk": _world_case(world).assessments.get(status="draft").pk}


def survey_kwargs(world):
    return {"pk": _world_case(world).qol_surveys.get().pk}


ROUTES = [
    Route("assessments:my_persons", roles=PROVIDER),
    # Only the person's own providers: another provider of KOV A or of KOV B gets 404.
    Route("assessments:provider_person", roles=PROVIDER, kwargs=case_kwargs, scoped=True),
    Route("assessments:case", roles=PLAN_READERS, kwargs=case_kwargs, scoped=True),
    Route("assessments:assessment_start", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True, method="post", ok=302),
    Route("assessments:link_provider", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("assessments:plan_start", roles=PROVIDER, kwargs=case_kwargs, scoped=True),
    Route("assessments:survey_add", roles=PLAN_READERS, kwargs=case_kwargs, scoped=True),
    Route("assessments:assessment_detail", roles=PLAN_READERS, kwargs=assessment_kwargs, scoped=True),
    Route("assessments:assessment_edit", roles=KOV_STAFF, kwargs=draft_assessment_kwargs, scoped=True),
    Route("assessments:plan_detail", roles=PLAN_READERS, kwargs=draft_kwargs, scoped=True),
    Route("assessments:goal_add", roles=PROVIDER, kwargs=draft_kwargs, scoped=True),
    Route("assessments:plan_texts", roles=PROVIDER, kwargs=draft_kwargs, scoped=True),
    Route("assessments:subgoal_add", roles=PROVIDER, kwargs=goal_kwargs, scoped=True),
    Route("assessments:activity_add", roles=PROVIDER, kwargs=goal_kwargs, scoped=True),
    Route("assessments:goal_delete", roles=PROVIDER, kwargs=goal_kwargs, scoped=True, method="post", ok=302),
    Route("assessments:line_add", roles=PROVIDER, kwargs=draft_kwargs, scoped=True),
    Route("assessments:line_edit", roles=PROVIDER, kwargs=line_kwargs, scoped=True),
    Route("assessments:line_delete", roles=PROVIDER, kwargs=line_kwargs, scoped=True, method="post", ok=302),
    Route("assessments:plan_agree", roles=PROVIDER, kwargs=draft_kwargs, scoped=True),
    Route("assessments:plan_new_version", roles=PROVIDER, kwargs=agreed_kwargs, scoped=True),
    Route("assessments:plan_discard", roles=PROVIDER, kwargs=draft_kwargs, scoped=True, method="post", ok=302),
    Route("assessments:review_add", roles=PROVIDER, kwargs=agreed_kwargs, scoped=True),
    Route("assessments:survey_detail", roles=PLAN_READERS, kwargs=survey_kwargs, scoped=True),
]
