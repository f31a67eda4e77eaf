"""Lifecycle rules of issue 15: only an entered participant exits; a noticed person who does
not enter is closed with a reason and counted nowhere as a participant."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from billing.selectors import fill_rate_by_month, participants_on
from cases import services
from cases.models import Case, CaseActivity, CaseState, ExitQuestionnaire
from cases.services import CaseError
from reporting.kinds.participants import entered_in, exited_in
from reporting.month_data import participating_cases
from tests.billing.factories import FundingAgreementFactory
from tests.cases.factories import CaseFactory, EnteredCaseFactory

pytestmark = pytest.mark.django_db


def an_exit(on=date(2026, 3, 1)):
    return ExitQuestionnaire(exit_date=on, reason="own_wish", situation="at_home")


def test_a_noticed_person_cannot_exit_and_nothing_changes():
    case = CaseFactory(noticed_on=date(2026, 1, 5))
    with pytest.raises(CaseError, match="Väljuda saab ainult isik, kes on projekti sisenenud"):
        services.exit_case(case=case, questionnaire=an_exit())
    case.refresh_from_db()
    assert (case.state, case.exit_date) == (CaseState.NOTICED, None)
    assert not ExitQuestionnaire.objects.exists()


def test_the_database_refuses_an_exit_without_an_entry():
    case = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(state=CaseState.EXITED, exit_date=date(2026, 3, 1))


def test_the_database_refuses_an_exit_date_on_a_case_that_has_not_exited():
    case = EnteredCaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(exit_date=date(2026, 3, 1))


def test_the_database_refuses_an_exited_state_without_an_exit_date():
    case = EnteredCaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(state=CaseState.EXITED)


def test_an_entered_person_exits_on_the_day_of_entry_at_the_earliest():
    case = EnteredCaseFactory(entry_date=date(2026, 1, 10))
    with pytest.raises(CaseError):
        services.exit_case(case=case, questionnaire=an_exit(date(2026, 1, 9)))
    services.exit_case(case=case, questionnaire=an_exit(date(2026, 1, 10)))
    case.refresh_from_db()
    assert (case.state, case.exit_date) == (CaseState.EXITED, date(2026, 1, 10))


def test_a_noticed_person_who_does_not_enter_is_closed_with_the_reason():
    case = CaseFactory(noticed_on=date(2026, 1, 5))
    services.close_without_entry(
        case=case, on=date(2026, 1, 5), reason="declined", note="Ei soovi teenust."
    )
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and not case.is_open
    assert (case.closed_on, case.closure_reason, case.closure_note) == (
        date(2026, 1, 5),
        "declined",
        "Ei soovi teenust.",
    )
    assert (case.entry_date, case.exit_date) == (None, None)
    with pytest.raises(CaseError, match="isik ei sisenenud"):
        services.add_record(
            case=case, record=CaseActivity(on=date(2026, 1, 6), activity="x", responsible="y")
        )


def test_closing_the_day_before_the_noticing_is_refused():
    case = CaseFactory(noticed_on=date(2026, 1, 5))
    with pytest.raises(CaseError) as error:
        services.close_without_entry(case=case, on=date(2026, 1, 4), reason="declined")
    assert error.value.field == "on"
    case.refresh_from_db()
    assert case.state == CaseState.NOTICED


def test_an_entered_person_is_not_closed_without_entry_but_exits():
    case = EnteredCaseFactory()
    with pytest.raises(CaseError, match="väljumisankeediga"):
        services.close_without_entry(case=case, on=date(2026, 3, 1), reason="declined")


def test_an_unknown_closing_reason_is_refused():
    case = CaseFactory()
    with pytest.raises(CaseError):
        services.close_without_entry(case=case, on=date(2026, 3, 1), reason="bored")


def test_the_database_refuses_a_closed_case_with_an_entry_date_or_without_a_reason():
    entered = EnteredCaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=entered.pk).update(
            state=CaseState.CLOSED, closed_on=date(2026, 3, 1), closure_reason="declined"
        )
    noticed = CaseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=noticed.pk).update(
            state=CaseState.CLOSED, closed_on=date(2026, 3, 1)
        )


def test_a_closed_person_can_be_noticed_again(kov_a, case_manager_a):
    case = CaseFactory(municipality=kov_a, case_manager=case_manager_a)
    services.close_without_entry(case=case, on=date(2026, 2, 1), reason="unreachable")
    again = CaseFactory(person=case.person, municipality=kov_a, case_manager=case_manager_a)
    assert again.state == CaseState.NOTICED


def test_a_person_who_did_not_enter_is_counted_nowhere_as_a_participant(kov_a):
    FundingAgreementFactory(municipality=kov_a)
    closed = CaseFactory(municipality=kov_a, noticed_on=date(2026, 3, 2))
    services.close_without_entry(case=closed, on=date(2026, 3, 10), reason="declined")
    entered = EnteredCaseFactory(municipality=kov_a, entry_date=date(2026, 3, 3))
    march = date(2026, 3, 1)
    assert list(entered_in(kov_a, march)) == [entered]
    assert list(exited_in(kov_a, march)) == []
    assert list(participating_cases(kov_a, march, including_past=True)) == [entered]
    assert participants_on(kov_a, date(2026, 3, 31)) == 1
    [row] = fill_rate_by_month(agreement=kov_a.funding_agreements.get(), months=[march])
    assert row["participants"] == 1


@pytest.fixture
def kj(client, case_manager_a):
    client.force_login(case_manager_a)
    return client


def test_the_exit_page_of_a_noticed_person_leads_to_closing(kj, kov_a, case_manager_a):
    case = CaseFactory(municipality=kov_a, case_manager=case_manager_a)
    response = kj.get(reverse("cases:exit", kwargs={"pk": case.pk}))
    assert response.status_code == 302
    assert response.url == reverse("cases:close", kwargs={"pk": case.pk})
    detail = kj.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).content.decode()
    assert reverse("cases:close", kwargs={"pk": case.pk}) in detail
    assert reverse("cases:exit", kwargs={"pk": case.pk}) not in detail


def test_closing_in_the_browser_shows_the_reason_in_estonian(kj, kov_a, case_manager_a):
    case = CaseFactory(municipality=kov_a, case_manager=case_manager_a, noticed_on=date(2026, 1, 5))
    url = reverse("cases:close", kwargs={"pk": case.pk})
    refused = kj.post(url, {"on": "2026-01-04", "reason": "declined"}).content.decode()
    assert "Sulgemise kuupäev ei saa olla enne märkamist (05.01.2026)." in refused
    response = kj.post(url, {"on": "2026-01-20", "reason": "declined", "note": "Ei soovi."})
    assert response.status_code == 302
    page = kj.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).content.decode()
    assert "suletud: ei sisenenud" in page
    assert "ei sisenenud: loobus" in page
    assert "20.01.2026" in page
