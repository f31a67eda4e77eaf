"""Case documentation form (handbook A–D) as PDF: seconds per form.

Each form is generated the way a worker does it (``reporting.services.run_job``: read the case
file, render the template with WeasyPrint, publish the file atomically) for case files with
a realistic amount of data: noticing, eligibility, entry questionnaire, a representative,
4 network members, 12 activities and 2 network meetings with invitees, agenda and decisions."""

from __future__ import annotations

import statistics
import tempfile
from datetime import UTC, date, datetime, timedelta

TITLE = "Case documentation form PDF (handbook A–D)"
FORMS = 20
WARM_UP = 2


def _load() -> list:
    from accounts.models import Municipality, Role, User
    from cases.isikukood import make_isikukood
    from cases.models import (
        AgendaItem,
        Case,
        CaseActivity,
        CaseState,
        Decision,
        EligibilityCheck,
        EntryQuestionnaire,
        MeetingInvitee,
        NetworkMeeting,
        NetworkMember,
        Noticing,
        Person,
        Relative,
    )

    kov = Municipality.objects.create(name="Pingivald", code="9991")
    manager = User.objects.create_user(
        "bench_pdf_kj", role=Role.CASE_MANAGER, municipality=kov, password="x"
    )
    cases = []
    for i in range(FORMS + WARM_UP):
        born = date(1970, 1, 1) + timedelta(days=97 * i)
        person = Person.objects.create(
            isikukood=make_isikukood(born, "MF"[i % 2], i),
            birth_date=born,
            first_name=f"Õie{i}",
            last_name=f"Pärnamäe{i}",
        )
        entry = date(2026, 2, 2)
        case = Case.objects.create(
            municipality=kov,
            person=person,
            case_manager=manager,
            number=f"9991-2026-{i:04d}",
            state=CaseState.ENTERED,
            noticed_on=date(2026, 1, 12),
            entry_date=entry,
            registered_address=f"Kase tn {i}, Pingiküla",
            earlier_assessments="Hooldusvajaduse hindamine 2025, kehtib 2027. aastani.",
        )
        Noticing.objects.create(
            case=case,
            noticer_kind=Noticing.NoticerKind.HOSPITAL,
            noticer_name="Pingiküla haigla",
            noticed_on=date(2026, 1, 12),
            channel=Noticing.Channel.PHONE,
            reason="Vajab igapäevaelus tuge",
            description="Pikem kirjeldus olukorrast, kestusest ja muutustest. " * 6,
        )
        EligibilityCheck.objects.create(
            case=case,
            entry_date=entry,
            primary_diagnosis=EligibilityCheck.Diagnosis.OTHER,
            condition=EligibilityCheck.Condition.B,
            eligible=True,
            reasons=[{"code": "age", "ok": True, "reason": "Vanus sobib."}],
            checked_by=manager,
        )
        EntryQuestionnaire.objects.create(
            case=case,
            filled_on=entry,
            employment_status=EntryQuestionnaire.Employment.UNEMPLOYED,
            education_level=EntryQuestionnaire.Education.SECONDARY,
            household_situation=EntryQuestionnaire.Household.ALONE,
            disability_degree=Person.DisabilityDegree.SEVERE,
            work_ability=Person.WorkAbility.PARTIAL,
            consent_given_on=entry,
            consent_scope="Juhtumikorraldus, teenuste korraldamine ja SKA seire.",
            consent_signed_by=EntryQuestionnaire.Signer.PERSON,
            signer_name=str(person),
            cooperation_agreement_signed_on=entry,
        )
        Relative.objects.create(
            case=case, kind=Relative.Kind.HOUSEHOLD_MEMBER, name="Ema Pärnamäe", relation="ema"
        )
        members = [
            NetworkMember.objects.create(
                case=case,
                kind=NetworkMember.Kind.INFORMAL if k < 2 else NetworkMember.Kind.FORMAL,
                name=f"Liige {k}",
                relation="sõber" if k < 2 else "",
                position="" if k < 2 else "spetsialist",
                institution="" if k < 2 else "Töötukassa",
            )
            for k in range(4)
        ]
        CaseActivity.objects.bulk_create(
            CaseActivity(
                case=case,
                on=entry + timedelta(days=3 * k),
                activity=f"Kohtumine nr {k}",
                responsible="Juhtumikorraldaja",
                comment="Kokkulepped said tehtud.",
            )
            for k in range(12)
        )
        for m in range(2):
            meeting = NetworkMeeting.objects.create(
                case=case,
                number=m + 1,
                chair="Juhtumikorraldaja",
                goal=f"Võrgustiku kohtumine {m}",
                starts_at=datetime(2026, 3, 2 + 7 * m, 9, 0, tzinfo=UTC),
                place="Vallamaja",
                agenda="Olukord\nPlaan\nVastutajad",
                minutes_written_on=date(2026, 3, 3 + 7 * m),
                minutes_notes="Koosolek toimus plaanipäraselt.",
            )
            for member in members:
                MeetingInvitee.objects.create(
                    meeting=meeting, name=member.name, member=member, attended=True
                )
            AgendaItem.objects.create(meeting=meeting, title="Olukord", discussion="Arutelu.")
            for d in range(3):
                Decision.objects.create(
                    meeting=meeting,
                    text=f"Otsus {d}",
                    responsible="Liige 1",
                    deadline=date(2026, 4, 1 + d),
                )
        cases.append(case)
    return cases


def run() -> dict:
    from django.conf import settings

    from benchmarks.harness import timer

    media = tempfile.TemporaryDirectory()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media.name, "base_url": None},
        },
    }
    from pypdf import PdfReader

    from reporting import services
    from reporting.models import ReportJob

    with timer() as load_time:
        cases = _load()
    seconds, sizes, pages = [], [], []
    for index, case in enumerate(cases):
        job = ReportJob.objects.create(
            kind="case_documentation_form",
            municipality=case.municipality,
            subject_type_id=_case_type_id(),
            subject_id=case.pk,
        )
        with timer() as took:
            job = services.run_job(job_id=job.pk)
        assert job.status == ReportJob.Status.DONE, job.error
        if index < WARM_UP:
            continue
        seconds.append(took())
        sizes.append(job.size)
        with job.file.open("rb") as handle:
            pages.append(len(PdfReader(handle).pages))
    media.cleanup()
    return {
        "rows": [
            ("forms generated (after warm-up)", FORMS),
            ("pages per form", f"{min(pages)}–{max(pages)}"),
            ("file size (kB, median)", round(statistics.median(sizes) / 1024, 1)),
            ("seconds per form (mean)", round(statistics.mean(seconds), 3)),
            ("seconds per form (median)", round(statistics.median(seconds), 3)),
            ("seconds per form (slowest)", round(max(seconds), 3)),
            ("data load time (s)", round(load_time(), 2)),
        ],
        "notes": (
            "Timed through `reporting.services.run_job` (what the Celery task runs): "
            "reading the case file, WeasyPrint rendering and the atomic publish."
        ),
    }


def _case_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    from cases.models import Case

    return ContentType.objects.get_for_model(Case).pk
