"""Factories of the reporting app."""

from datetime import date

import factory

from reporting import services
from reporting.models import ReportJob
from tests.factories import MunicipalityFactory


class ReportJobFactory(factory.django.DjangoModelFactory):
    """A queued job for a municipality's month (the access-log kind needs nothing else)."""

    class Meta:
        model = ReportJob

    kind = "access_log"
    municipality = factory.SubFactory(MunicipalityFactory)
    month = date(2026, 10, 1)
    status = ReportJob.Status.QUEUED


def done_job(**kwargs) -> ReportJob:
    """A job generated for real (through the service the task calls), with its file."""
    job = ReportJobFactory(**kwargs)
    return services.run_job(job_id=job.pk)


# --- A case file with something in every section of the case documentation form -----------


def full_case(*, municipality, case_manager, number="9101-2026-0007", entered=date(2026, 3, 2)):
    """An entered case of “Õnne Pärnapuu” with noticing, eligibility, entry questionnaire,
    a representative, network, activities and a network meeting with minutes."""
    from datetime import UTC, datetime

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

    person = Person.objects.create(
        isikukood=make_isikukood(date(1988, 4, 12), "F", 21),
        birth_date=date(1988, 4, 12),
        sex="F",
        first_name="Õnne",
        last_name="Pärnapuu",
    )
    case = Case.objects.create(
        municipality=municipality,
        person=person,
        case_manager=case_manager,
        number=number,
        state=CaseState.ENTERED,
        noticed_on=date(2026, 2, 10),
        entry_date=entered,
        registered_address="Kase 3, Alfa küla",
        phone="+372 5000 0000",
    )
    Noticing.objects.create(
        case=case,
        noticer_kind=Noticing.NoticerKind.HOSPITAL,
        noticer_name="Alfa haigla",
        noticed_on=date(2026, 2, 10),
        channel=Noticing.Channel.PHONE,
        reason="Vajab igapäevaelus tuge",
        description="Kolm kuud kodus, suhtleb vähe.",
        first_contact_on=date(2026, 2, 12),
    )
    EligibilityCheck.objects.create(
        case=case,
        entry_date=entered,
        primary_diagnosis=EligibilityCheck.Diagnosis.OTHER,
        condition=EligibilityCheck.Condition.C,
        eligible=True,
        reasons=[{"code": "age", "ok": True, "reason": "Vanus sobib."}],
        checked_by=case_manager,
    )
    EntryQuestionnaire.objects.create(
        case=case,
        filled_on=entered,
        employment_status=EntryQuestionnaire.Employment.UNEMPLOYED,
        education_level=EntryQuestionnaire.Education.VOCATIONAL,
        household_situation=EntryQuestionnaire.Household.WITH_FAMILY,
        disability_degree=Person.DisabilityDegree.SEVERE,
        work_ability=Person.WorkAbility.PARTIAL,
        has_health_insurance=True,
        consent_given_on=entered,
        consent_scope="Andmed juhtumikorralduseks ja SKA seireks.",
        consent_signed_by=EntryQuestionnaire.Signer.REPRESENTATIVE,
        signer_name="Ülo Pärnapuu",
        cooperation_agreement_signed_on=entered,
    )
    Relative.objects.create(
        case=case,
        kind=Relative.Kind.LEGAL_REPRESENTATIVE,
        name="Ülo Pärnapuu",
        relation="isa",
    )
    mother = NetworkMember.objects.create(
        case=case, kind=NetworkMember.Kind.INFORMAL, name="Ene Pärnapuu", relation="ema"
    )
    NetworkMember.objects.create(
        case=case,
        kind=NetworkMember.Kind.FORMAL,
        name="Tiit Töö",
        position="karjäärinõustaja",
        institution="Töötukassa",
    )
    CaseActivity.objects.create(
        case=case, on=date(2026, 3, 5), activity="Kodukülastus", responsible="Anu Alfa"
    )
    meeting = NetworkMeeting.objects.create(
        case=case,
        number=1,
        chair="Anu Alfa",
        goal="Tööle naasmise kokkulepe",
        starts_at=datetime(2026, 3, 16, 8, 0, tzinfo=UTC),
        place="Alfa vallamaja",
        agenda="Olukord\nJärgmised sammud",
        minutes_written_on=date(2026, 3, 17),
        minutes_notes="Kõik olid nõus.",
    )
    MeetingInvitee.objects.create(
        meeting=meeting, name="Ene Pärnapuu", member=mother, attended=True
    )
    MeetingInvitee.objects.create(meeting=meeting, name="Tiit Töö", attended=False)
    AgendaItem.objects.create(meeting=meeting, title="Olukord", discussion="Arutati tööd.")
    Decision.objects.create(
        meeting=meeting,
        text="Registreeruda töötukassas",
        responsible="Õnne Pärnapuu",
        deadline=date(2026, 4, 1),
    )
    return case
