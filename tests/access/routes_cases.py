"""Every URL of the case file: only case managers and coordinators of the person's KOV."""

from tests.access.table import KOV_STAFF, Route


def _case(world):
    from cases.models import Case

    return Case.objects.filter(municipality=world.kov_a).first() or _make_case(world)


def _make_case(world):
    from tests.cases.factories import (
        DecisionFactory,
        EnteredCaseFactory,
        MeetingFactory,
        NoticingFactory,
    )

    case = EnteredCaseFactory(municipality=world.kov_a, case_manager=world.users["case_manager_a"])
    NoticingFactory(case=case)
    DecisionFactory(meeting=MeetingFactory(case=case))
    return case


def case_kwargs(world):
    return {"pk": _case(world).pk}


def meeting_kwargs(world):
    case = _case(world)
    return {"pk": case.pk, "meeting_pk": case.meetings.first().pk}


def decision_kwargs(world):
    case = _case(world)
    return {"pk": case.pk, "decision_pk": case.meetings.first().decisions.first().pk}


ROUTES = [
    Route("cases:home", roles=KOV_STAFF),
    Route("cases:deadlines", roles=KOV_STAFF),
    Route("cases:persons", roles=KOV_STAFF),
    Route("cases:notice", roles=KOV_STAFF),
    Route("cases:case_detail", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:person_edit", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:noticing_edit", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:relative_add", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:eligibility", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:entry", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:exit", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:close", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:initial_assessment", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:initial_action_add", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:action_plan_add", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:network_add", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:activity_add", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:meeting_add", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route("cases:meeting_detail", roles=KOV_STAFF, kwargs=meeting_kwargs, scoped=True),
    Route(
        "cases:decision_done",
        roles=KOV_STAFF,
        method="post",
        kwargs=decision_kwargs,
        scoped=True,
        ok=302,
    ),
]
