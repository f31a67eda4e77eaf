"""Demo case files: ~30 fictional persons in Metsaküla vald in every state, a few in
Järveranna linn. Dates are relative to today, so some deadlines are always overdue.
Names are made up; isikukoodid have a valid checksum but invented birth dates and serials."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Municipality, User

from . import services
from .isikukood import make_isikukood
from .models import (
    CaseActivity,
    Decision,
    EntryQuestionnaire,
    ExitQuestionnaire,
    NetworkMeeting,
    NetworkMember,
    Noticing,
    Person,
)

FIRST = {
    "F": [
        "Kadri",
        "Liis",
        "Maie",
        "Reet",
        "Helle",
        "Triin",
        "Ülle",
        "Eha",
        "Siiri",
        "Tiina",
        "Anneli",
        "Kärt",
    ],
    "M": [
        "Tarmo",
        "Urmas",
        "Margus",
        "Rein",
        "Priit",
        "Indrek",
        "Jüri",
        "Toomas",
        "Vello",
        "Ain",
        "Siim",
        "Ott",
    ],
}
LAST = [
    "Kaasik",
    "Sarapuu",
    "Lõhmus",
    "Vaher",
    "Pihlakas",
    "Kuusik",
    "Raudsepp",
    "Tõnisson",
    "Ilves",
    "Männik",
    "Ojamaa",
    "Rebane",
    "Nurmsalu",
    "Kivistik",
    "Põder",
    "Sepp",
    "Laanemets",
]

# state, days since entry (None: not entered), days from entry to assessment, to plan; overdue decisions
METSAKULA = (
    [("noticed", None, None, None)] * 5
    + [
        ("entered", 5, None, None),
        ("entered", 12, None, None),
        ("entered", 25, None, None),
        ("entered", 29, None, None),
        ("entered", 38, None, None),
        ("entered", 52, None, None),
        ("entered", 75, None, None),
    ]
    + [
        ("assessed", 20, 10, None),
        ("assessed", 40, 18, None),
        ("assessed", 70, 25, None),
        ("assessed", 45, 28, None),
        ("assessed", 33, 5, None),
    ]
    + [
        ("planned", 90, 20, 45),
        ("planned", 150, 25, 50),
        ("planned", 200, 28, 55),
        ("planned", 300, 20, 40),
        ("planned", 350, 27, 55),
        ("planned", 380, 25, 50),
        ("planned", 420, 20, 45),
        ("planned", 500, 28, 58),
        ("planned", 120, 15, 30),
    ]
    + [
        ("exited", 200, 25, 50),
        ("exited", 400, 20, 45),
        ("exited", 60, None, None),
        ("closed", None, None, None),
    ]
)
JARVERANNA = [
    ("noticed", None, None, None),
    ("entered", 40, None, None),
    ("assessed", 35, 20, None),
    ("planned", 380, 25, 50),
]


def _questionnaire(person: Person, details: dict, on) -> EntryQuestionnaire:
    return EntryQuestionnaire(
        filled_on=on,
        employment_status="unemployed",
        education_level="secondary",
        household_situation="alone",
        disability_degree=details["disability_degree"],
        work_ability=details["work_ability"],
        consent_given_on=on,
        consent_scope="Isikuandmete, sh terviseandmete töötlemine ja edastamine juhtumikorralduseks.",
        consent_signed_by="person",
        signer_name=person.full_name,
        cooperation_agreement_signed_on=on,
    )


def _make(municipality: Municipality, manager: User, index: int, spec, today) -> bool:
    state, since_entry, to_assessment, to_plan = spec
    sex = "F" if index % 2 else "M"
    born = today.replace(year=today.year - (22 + (index * 7) % 40), day=1) - timedelta(
        days=index * 11
    )
    code = make_isikukood(born, sex, 900 + index)  # serials 900+ are kept for demo data
    if Person.objects.filter(isikukood=code).exists():
        return False
    person = Person(
        isikukood=code,
        birth_date=born,
        first_name=FIRST[sex][index % len(FIRST[sex])],
        last_name=LAST[(index * 5) % len(LAST)],
    )
    details = {
        "actual_address": f"{municipality.name}, Kase tn {index + 1}",
        "disability_degree": ["severe", "moderate", "profound", "none"][index % 4],
        "work_ability": ["partial", "none", "partial", "not_assessed"][index % 4],
        "citizenship": "estonian",
        "marital_status": ["single", "married", "divorced", "cohabiting"][index % 4],
    }
    entry = today - timedelta(days=since_entry) if since_entry is not None else None
    noticed = (entry or today - timedelta(days=3 + index)) - timedelta(days=10)
    case = services.notice(
        person=person,
        noticing=Noticing(
            noticer_kind=["hospital", "relative", "tootukassa", "police", "self"][index % 5],
            noticer_name=["Metsaküla haigla", "Lähedane", "Töötukassa", "Politsei", "Isik ise"][
                index % 5
            ],
            noticed_on=noticed,
            channel="phone",
            reason="Igapäevaeluga toimetulek on raskendatud",
            first_contact_on=noticed + timedelta(days=2),
        ),
        municipality=municipality,
        case_manager=manager,
        details=details,
    )
    if entry is not None:
        services.check_eligibility(
            case=case,
            entry_date=entry,
            primary_diagnosis="other",
            condition="c",
            concurrent_state_service=False,
            by=manager,
        )
        services.enter(case=case, questionnaire=_questionnaire(person, details, entry), entry_date=entry)
        services.record_qol_survey(
            case=case, on=entry + timedelta(days=3), occasion="entry", respondent="person"
        )
        if to_assessment is not None:
            services.record_assessment(case=case, on=entry + timedelta(days=to_assessment))
        if to_plan is not None:
            services.record_plan(case=case, on=entry + timedelta(days=to_plan))
        _network(case, manager, index, entry, today)
    if state == "exited":
        services.exit_case(
            case=case,
            questionnaire=ExitQuestionnaire(
                exit_date=today - timedelta(days=5), reason="moved_away", situation="moved_away"
            ),
        )
    if state == "closed":
        services.close_without_entry(
            case=case, on=today - timedelta(days=5), reason="declined", note="Ei soovi teenust."
        )
    return True


def _network(case, manager, index, entry, today) -> None:
    relative = NetworkMember.objects.create(
        case=case,
        kind="informal",
        name=f"{LAST[(index * 5) % len(LAST)]} (lähedane)",
        relation="ema",
        relationship_note="Käib külas iga nädal.",
    )
    NetworkMember.objects.create(
        case=case,
        kind="formal",
        name="Perearst Tamme",
        position="perearst",
        institution="Metsaküla perearstikeskus",
    )
    CaseActivity.objects.create(
        case=case,
        on=entry,
        activity="Sissejuhatav kohtumine",
        responsible=str(manager),
        comment="Tutvustasin teenust ja allkirjastasime koostöölepe.",
    )
    if index % 3 == 0:
        when = timezone.make_aware(datetime.combine(entry + timedelta(days=7), time(10)))
        meeting = services.plan_meeting(
            case=case,
            meeting=NetworkMeeting(
                goal="Toetuse kokkuleppimine",
                chair=str(manager),
                starts_at=when,
                place="Vallamaja",
                agenda="Olukorra ülevaade\nJärgmised sammud",
            ),
            members=[relative],
        )
        Decision.objects.create(
            meeting=meeting,
            text="Leppida kokku aeg psühhiaatri juures",
            responsible=relative.name,
            deadline=max(entry + timedelta(days=21), today - timedelta(days=4)),
        )


@transaction.atomic
def load(*, stdout=None) -> dict:
    today = timezone.localdate()
    created = 0
    for code, specs, offset in (("9901", METSAKULA, 0), ("9902", JARVERANNA, 100)):
        municipality = Municipality.objects.filter(code=code).first()
        manager = User.objects.filter(municipality=municipality, role="case_manager").first()
        if municipality is None or manager is None:
            continue
        for i, spec in enumerate(specs):
            created += _make(municipality, manager, offset + i, spec, today)
    if stdout:
        stdout.write(f"Toimikud: {created} uut näidisisikut.")
    return {"created": created}
