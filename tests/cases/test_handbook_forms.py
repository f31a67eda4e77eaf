"""The handbook's forms (case documentation form A–D) complete: every field is editable in
the case file, refused with an Estonian message when wrong, and printed in the PDF."""

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import services
from cases.forms import CaseDetailsForm, MeetingForm
from cases.models import (
    ActionPlanItem,
    AgendaItem,
    Case,
    InitialAction,
    InitialInformation,
    NetworkMeeting,
    PreparationTask,
)
from cases.services import CaseError
from reporting.models import ReportJob
from tests.cases.factories import EnteredCaseFactory, MeetingFactory, NetworkMemberFactory
from tests.reporting.test_case_documents import generate, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(kov_a, case_manager_a):
    return EnteredCaseFactory(municipality=kov_a, case_manager=case_manager_a)


@pytest.fixture
def kj(client, case_manager_a):
    client.force_login(case_manager_a)
    return client


DETAILS = {
    "language": "et",
    "disability_degree": "severe",
    "work_ability": "partial",
    "citizenship": "estonian",
    "id_document": "id_card",
    "id_document_number": "AB0000001",
    "id_document_valid_until": "2030-01-31",
    "marital_status": "divorced",
    "incapacity_percent": "60",
}


def test_form_a_details_other_citizenship_needs_the_country():
    form = CaseDetailsForm({**DETAILS, "citizenship": "other"})
    assert not form.is_valid()
    assert form.errors["citizenship_other"] == ["Sisestage isiku kodakondsus."]
    assert CaseDetailsForm(
        {**DETAILS, "citizenship": "other", "citizenship_other": "Läti"}
    ).is_valid()


@pytest.mark.parametrize(("percent", "ok"), [("0", True), ("100", True), ("101", False)])
def test_incapacity_for_work_is_a_percentage_up_to_100(percent, ok):
    assert CaseDetailsForm({**DETAILS, "incapacity_percent": percent}).is_valid() is ok


def test_the_database_refuses_an_incapacity_over_100(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(incapacity_percent=101)


def test_the_personal_data_page_saves_form_a_details_on_the_case(kj, case):
    response = kj.post(
        reverse("cases:person_edit", kwargs={"pk": case.pk}),
        {
            "isikukood": case.person.isikukood,
            "first_name": case.person.first_name,
            "last_name": case.person.last_name,
            **DETAILS,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.citizenship, case.id_document, case.id_document_number) == (
        "estonian",
        "id_card",
        "AB0000001",
    )
    assert (case.id_document_valid_until, case.marital_status, case.incapacity_percent) == (
        date(2030, 1, 31),
        "divorced",
        60,
    )
    page = kj.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).content.decode()
    for shown in ("Eesti kodakondsus", "ID-kaart AB0000001", "31.01.2030", "lahutatud", "60 %"):
        assert shown in page, shown


def test_the_initial_assessment_keeps_each_domain_from_the_person_and_the_network(kj, case):
    url = reverse("cases:initial_assessment", kwargs={"pk": case.pk})
    assert (
        "Majanduslik toimetulek ja sissetulekuallikad: info teenuse saajalt"
        in kj.get(url).content.decode()
    )
    response = kj.post(
        url,
        {
            "economic_person": "Elab töövõimetoetusest.",
            "economic_network": "Ema aitab üüriga.",
            "housing_person": "Üürikorter.",
            "initial_summary": "Vajab tuge igapäevaelus.",
            "problems_to_solve": "Võlad\nÜksildus",
            "initial_decision": "case_management",
            "a1_needs": "Igapäevaelu toetus",
            "legal_basis": "Sotsiaalhoolekande seadus",
            "initial_info_comment": "Kohtusime kodus.",
        },
    )
    assert response.status_code == 302
    rows = {
        i.domain: (i.from_person, i.from_network)
        for i in InitialInformation.objects.filter(case=case)
    }
    assert rows == {
        "economic": ("Elab töövõimetoetusest.", "Ema aitab üüriga."),
        "housing": ("Üürikorter.", ""),
    }
    case.refresh_from_db()
    assert (case.initial_decision, case.legal_basis) == (
        "case_management",
        "Sotsiaalhoolekande seadus",
    )
    page = kj.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).content.decode()
    assert "vajab juhtumikorralduse teenust, täita A1 ja A2" in page
    assert "Ema aitab üüriga." in page


def test_an_unknown_initial_decision_gets_an_estonian_message_and_changes_nothing(kj, case):
    response = kj.post(
        reverse("cases:initial_assessment", kwargs={"pk": case.pk}), {"initial_decision": "x"}
    )
    assert response.status_code == 200
    assert "Valige korrektne väärtus" in response.content.decode()
    case.refresh_from_db()
    assert case.initial_decision == ""


def test_a1_rows_and_the_case_managers_action_plan_are_added_to_the_case(kj, case):
    kj.post(
        reverse("cases:initial_action_add", kwargs={"pk": case.pk}),
        {"action": "Suunata võlanõustaja juurde", "due_on": "2026-02-01", "performer": "Anu Alfa"},
    )
    kj.post(
        reverse("cases:action_plan_add", kwargs={"pk": case.pk}),
        {"goal": "Võlad korras", "activity": "Maksegraafik", "due_on": "2026-03-01"},
    )
    assert InitialAction.objects.get(case=case).due_on == date(2026, 2, 1)
    assert ActionPlanItem.objects.get(case=case).activity == "Maksegraafik"
    refused = kj.post(
        reverse("cases:action_plan_add", kwargs={"pk": case.pk}), {"goal": "", "activity": "x"}
    )
    assert refused.status_code == 200
    assert "goal" in refused.context["form"].errors
    assert ActionPlanItem.objects.count() == 1


def test_meetings_are_numbered_per_case_file_and_have_a_chair(case):
    def plan(day):
        return services.plan_meeting(
            case=case,
            meeting=NetworkMeeting(
                goal="Kokkulepe",
                chair="Anu Alfa",
                starts_at=datetime(2026, 2, day, 9, tzinfo=UTC),
                place="Vallamaja",
                agenda="Olukord",
            ),
            members=[],
        )

    assert [plan(3).number, plan(10).number] == [1, 2]
    other = EnteredCaseFactory(municipality=case.municipality)
    assert MeetingFactory(case=other, number=1).number == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(case=case, number=1)


def test_a_meeting_ending_before_it_starts_is_refused_by_form_service_and_database(case):
    data = {
        "goal": "x",
        "chair": "Anu",
        "starts_at": "2026-02-03T10:00",
        "ends_at": "2026-02-03T09:00",
        "place": "Vallamaja",
    }
    form = MeetingForm(data, case=case)
    assert not form.is_valid()
    assert form.errors["ends_at"] == ["Koosolek peab lõppema pärast algust."]
    meeting = NetworkMeeting(
        goal="x",
        chair="Anu",
        place="y",
        starts_at=datetime(2026, 2, 3, 10, tzinfo=UTC),
        ends_at=datetime(2026, 2, 3, 10, tzinfo=UTC),
    )
    with pytest.raises(CaseError):
        services.plan_meeting(case=case, meeting=meeting, members=[])
    assert not NetworkMeeting.objects.filter(case=case).exists()
    existing = MeetingFactory(case=case)
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkMeeting.objects.filter(pk=existing.pk).update(ends_at=existing.starts_at)


def test_d2_notification_is_recorded_per_invitee_and_not_after_the_meeting(case):
    member = NetworkMemberFactory(case=case, name="Ema Test")
    meeting = services.plan_meeting(
        case=case,
        meeting=NetworkMeeting(
            goal="x", chair="Anu", place="y", starts_at=datetime(2026, 2, 10, 9, tzinfo=UTC)
        ),
        members=[member],
    )
    invitee = meeting.invitees.get()
    with pytest.raises(CaseError) as late:
        services.record_notification(
            invitee=invitee, notified_on=date(2026, 2, 11), notified_by="Anu", confirmed=True
        )
    assert late.value.field == "notified_on"
    services.record_notification(
        invitee=invitee, notified_on=date(2026, 2, 10), notified_by="Anu Alfa", confirmed=True
    )
    invitee.refresh_from_db()
    assert (invitee.notified_on, invitee.notified_by, invitee.confirmed) == (
        date(2026, 2, 10),
        "Anu Alfa",
        True,
    )


def test_d2_preparation_tasks_are_due_by_the_meeting(case):
    meeting = MeetingFactory(case=case, starts_at=datetime(2026, 2, 10, 9, tzinfo=UTC))
    with pytest.raises(CaseError):
        services.add_preparation_task(
            meeting=meeting,
            task=PreparationTask(task="Ruum", performer="Anu", due_on=date(2026, 2, 11)),
        )
    services.add_preparation_task(
        meeting=meeting,
        task=PreparationTask(task="Broneerida ruum", performer="Anu", due_on=date(2026, 2, 10)),
    )
    assert [t.task for t in meeting.preparation_tasks.all()] == ["Broneerida ruum"]


def test_the_meeting_page_records_speakers_notifications_and_tasks(kj, case):
    member = NetworkMemberFactory(case=case, name="Ema Test")
    meeting = services.plan_meeting(
        case=case,
        meeting=NetworkMeeting(
            goal="x",
            chair="Anu Juhataja",
            place="y",
            starts_at=datetime(2026, 2, 10, 9, tzinfo=UTC),
        ),
        members=[member],
    )
    url = reverse("cases:meeting_detail", kwargs={"pk": case.pk, "meeting_pk": meeting.pk})
    kj.post(
        url,
        {"agenda-title": "Olukord", "agenda-speaker": "Ema Test", "agenda-schedule": "9.00–9.20"},
    )
    kj.post(
        url,
        {
            "notify-invitee": meeting.invitees.get().pk,
            "notify-notified_on": "2026-02-01",
            "notify-notified_by": "Anu Alfa",
            "notify-confirmed": "on",
        },
    )
    kj.post(url, {"task-task": "Broneerida ruum", "task-performer": "Anu Alfa"})
    page = kj.get(url).content.decode()
    assert "Võrgustiku koosolek nr 1" in page
    assert "Anu Juhataja" in page
    assert "9.00–9.20 Olukord — Ema Test" in page
    assert "01.02.2026" in page and "Broneerida ruum" in page
    assert AgendaItem.objects.get(meeting=meeting).speaker == "Ema Test"


def test_the_case_documentation_pdf_prints_every_handbook_field(
    case, case_manager_a, django_capture_on_commit_callbacks
):
    Case.objects.filter(pk=case.pk).update(
        citizenship="other",
        citizenship_other="Läti",
        id_document="passport",
        id_document_number="LV123",
        marital_status="widowed",
        incapacity_percent=80,
        initial_summary="Pikk kirjeldus juhtumist.",
        problems_to_solve="Võlad",
        initial_decision="single_service",
        legal_basis="SHS § 3",
        a1_needs="Võlanõustamine",
        initial_info_comment="Kodukülastusel.",
    )
    InitialInformation.objects.create(
        case=case, domain="leisure", from_person="Joonistab.", from_network="Käib ringis."
    )
    InitialAction.objects.create(case=case, action="Võlanõustaja", performer="OÜ Nõu")
    ActionPlanItem.objects.create(case=case, goal="Toimetulek", activity="Kohtumine pangaga")
    meeting = MeetingFactory(case=case, number=1, chair="Kati Koosolek", address="Kase 1")
    AgendaItem.objects.create(meeting=meeting, title="Olukord", speaker="Peeter Ettekandja")
    PreparationTask.objects.create(meeting=meeting, task="Kutsuda ema", performer="Anu")
    meeting.invitees.create(name="Ema", notified_on=date(2026, 1, 12), notified_by="Anu Teavitaja")

    job = generate(
        django_capture_on_commit_callbacks, "case_documentation_form", case_manager_a, case
    )
    assert job.status == ReportJob.Status.DONE, job.error
    text = pdf_text(job)
    for expected in (
        "Kodakondsus muu: Läti",
        "pass, dokumendi number LV123",
        "Perekonnaseis lesk",
        "Töövõimetuse protsent 80 %",
        "3. Täiendavad andmed teenuse saaja isiku kohta",
        "Vaba aeg ja harrastused Joonistab. Käib ringis.",
        "Kodukülastusel.",
        "Pikk kirjeldus juhtumist.",
        "[x] vajab üksikteenust/toetust/vms lahendust, täita A1",
        "[ ] vajab juhtumikorralduse teenust, täita A1 ja A2",
        "SHS § 3",
        "Võlanõustamine",
        "Võlanõustaja",
        "OÜ Nõu",
        "Toimetulek Kohtumine pangaga",
        "Võrgustiku koosolek nr 1",
        "Kati Koosolek",
        "Kase 1",
        "Peeter Ettekandja",
        "D2. Võrgustiku koosoleku ettevalmistusplaan",
        "12.01.2026 Anu Teavitaja",
        "Kutsuda ema",
    ):
        assert expected in text, expected
