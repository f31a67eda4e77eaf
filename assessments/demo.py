"""Demo assessments, base-support links, agreed plans and quality-of-life surveys for the demo
persons that cases/demo.py brought to the "assessed" and "planned" states.

Everything goes through the services, with the demo providers and contract prices of
providers/demo.py. Dates follow the case's own dates; a plan line never starts before
the contracts (1 January of this year). Safe to run twice: a case that already has
an assessment is left alone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from cases.models import Case, CaseState
from components.models import Component
from providers.models import Contract

from . import selectors, services
from .models import InstrumentKind, QolOccasion, QolRespondent

# municipality code: (base-support provider's contract, [(component, contract, form, hours)])
LINES = {
    "9901": ("MK-2026-01", [
        ("B1", "MK-2026-01", "I", "2"), ("B2", "MK-2026-01", "I", "4"), ("L01", "MK-2026-01", "I", "8"),
        ("L13", "MK-2026-06", "G", "6"), ("L18", "MK-2026-02", "G", "20"),
    ]),
    "9902": ("JR-2026-01", [
        ("B1", "JR-2026-01", "I", "2"), ("B2", "JR-2026-01", "I", "3"), ("L01", "JR-2026-01", "I", "6"),
        ("L04", "JR-2026-03", "I", "2"),
    ]),
}

GOALS = [
    ("daily_living", "Valmistan endale ise sooja toidu.", "Teeb süüa vähemalt 3 korda nädalas", "L01"),
    ("occupation", "Käin regulaarselt tööl või rakendustegevuses.", "Osaleb 4 päeval nädalas", "L18"),
    ("physical_health", "Liigun rohkem ja tunnen end tervemana.", "Käib 2 korda nädalas trennis", "L13"),
]


def _contract(number: str) -> Contract | None:
    return Contract.objects.filter(number=number).select_related("provider", "municipality").first()


def _assess(case: Case, index: int) -> None:
    on = case.latest_assessment_date
    assessment = services.start_assessment(case=case, on=on, by=case.case_manager)
    levels = {level.value: level.pk for level in assessment.instrument.levels.all()}
    answers = [
        services.AnswerInput(
            item_id=answer.item_id,
            level_id=levels[(index + n) % 5],
            notes="Info isikult ja lähedaselt." if (index + n) % 5 >= 2 else "",
            sources=["person", "network"] if n % 2 else ["person", "documents"],
        )
        for n, answer in enumerate(assessment.answers.all())
    ]
    services.save_assessment(
        assessment=assessment, assessed_on=on, background=assessment.background,
        summary="Vajab toetust igapäevaelus ja tegevuses; soovib rohkem iseseisvust.",
        ready_to_cooperate=index % 7 != 3, answers=answers,
    )
    services.finish_assessment(assessment=assessment)


def _plan(case: Case, base: Contract, lines, made_by: User, index: int) -> None:
    year_start = base.start
    assessment = selectors.latest_assessment(case)
    start = max(case.latest_plan_date or assessment.assessed_on, year_start)
    kind = "action" if assessment.ready_to_cooperate else "support"
    plan = services.start_plan(case=case, kind=kind, valid_from=start, by=made_by)
    items = {item.code: item for item in assessment.instrument.items.all()}
    components = {c.code: c for c in Component.objects.filter(code__in=[code for code, *_ in lines])}
    for code, text, measure, component_code in GOALS[: 2 + index % 2]:
        goal = services.add_goal(plan=plan, domain=items[code], text=text)
        services.add_subgoal(goal=goal, text=text.rstrip("."), measure=measure, target_date=start + timedelta(days=180))
        services.add_activity(goal=goal, text=f"Komponent {component_code}", schedule="iga nädal", responsible="isik ja tugiisik")
    for n, (code, number, form, hours) in enumerate(lines):
        if n >= 3 + index % 3:
            break
        contract = _contract(number)
        if contract is None:
            continue
        services.add_line(
            plan=plan, component=components[code], provider=contract.provider, form=form,
            monthly_quantity=Decimal(hours), valid_from=start,
        )
    services.agree_plan(plan=plan, agreed_on=max(case.latest_plan_date or start, assessment.assessed_on))


def _surveys(case: Case, specialist: User | None, index: int, today) -> None:
    qol = selectors.current_instrument(InstrumentKind.QOL)
    levels = list(qol.levels.all())
    items = list(qol.items.all())
    occasions = [(QolOccasion.ENTRY, case.entry_date + timedelta(days=3), 0)]
    if case.entry_date + timedelta(days=365) <= today:
        occasions.append((QolOccasion.YEAR, case.entry_date + timedelta(days=365), 1))
    for occasion, on, better in occasions:
        for respondent, by in [(QolRespondent.PERSON, case.case_manager), (QolRespondent.SPECIALIST, specialist)]:
            if by is None:
                continue
            answers = {
                item.pk: levels[min(4, (index + n) % 3 + better + (respondent == QolRespondent.SPECIALIST))].pk
                for n, item in enumerate(items)
            }
            services.record_survey(
                case=case, occasion=occasion, respondent=respondent, answered_on=on, answers=answers, notes="",
                by=by,
            )


@transaction.atomic
def load(*, stdout=None) -> dict:
    today = timezone.localdate()
    if selectors.current_instrument(InstrumentKind.NEEDS) is None:
        return {}
    done = 0
    for code, (base_number, lines) in LINES.items():
        base = _contract(base_number)
        if base is None:
            continue
        specialist = User.objects.filter(role=Role.PROVIDER, provider=base.provider).first()
        cases = (
            Case.objects.filter(municipality__code=code, state__in=[CaseState.ASSESSED, CaseState.PLANNED])
            .filter(assessments__isnull=True)
            .select_related("person", "case_manager", "municipality")
            .order_by("pk")
        )
        for index, case in enumerate(cases):
            if case.latest_assessment_date is None:
                continue
            _assess(case, index)
            if case.state == CaseState.PLANNED or index % 2 == 0:
                on = max(case.latest_assessment_date + timedelta(days=1), base.start)
                services.link_base_provider(
                    case=case, provider=base.provider, on=on, choice_explained=True,
                    notes=_presented(case), by=case.case_manager,
                )
            if case.state == CaseState.PLANNED:
                # Järveranna's base-support provider has no demo login: its plans are entered by the case manager.
                _plan(case, base, lines, specialist or case.case_manager, index)
                _surveys(case, specialist, index, today)
            done += 1
    if stdout:
        stdout.write(f"Hindamised ja plaanid: {done} isikut.")
    return {"done": done}


def _presented(case: Case) -> str:
    names = selectors.contracted_base_providers(municipality=case.municipality, on=timezone.localdate())
    return "Tutvustatud: " + ", ".join(p.name for p in names) if names else ""


