"""Forms of the case file render each field on its own: no state shared between forms."""

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse

from cases.forms import EntryForm, ExitForm, MinutesForm, PersonForm
from providers.forms import ContractForm
from tests.cases.factories import DecisionFactory, EnteredCaseFactory, MeetingFactory
from tests.cases.test_views import notice_data

pytestmark = pytest.mark.django_db


def crispy(form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


@pytest.mark.parametrize(
    ("make", "bad"),
    [
        (lambda data=None: ExitForm(data), {"exit_date": "not a date", "reason": "x"}),
        (lambda data=None: PersonForm(data), {"birth_date": "x", "disability_valid_from": "x"}),
        (lambda data=None: EntryForm(data), {"entry_date": "x", "consent_given_on": "x"}),
        (lambda data=None: ContractForm(data), {"start": "x", "end": "x"}),
    ],
)
def test_a_fresh_form_after_a_failed_one_shows_no_error_styling(make, bad):
    failed = make(bad)
    assert not failed.is_valid()
    assert "is-invalid" in crispy(failed)
    assert "is-invalid" not in crispy(make())


def test_the_minutes_date_widget_is_not_shared_between_forms():
    meeting = MeetingFactory()
    first, second = MinutesForm(meeting=meeting), MinutesForm(meeting=meeting)
    assert first.fields["written_on"].widget is not second.fields["written_on"].widget
    assert ExitForm().fields["exit_date"].widget is not ExitForm().fields["exit_date"].widget
    assert "qol_survey_on" not in ExitForm().fields  # the exit survey is a survey, not a date


def test_a_missing_reason_for_no_code_is_said_once(client, case_manager_a):
    client.force_login(case_manager_a)
    data = notice_data(isikukood="") | {"noticing-case_manager": case_manager_a.pk}
    page = client.post(reverse("cases:notice"), data).content.decode()
    summary, fields = page.split('data-testid="error-summary"')[1].split("</ul>", 1)
    for message in ("Sisestage põhjus, miks isikul pole isikukoodi.", "Sisestage isikukoodita isiku sünniaeg."):
        # Once in the error summary at the top and once at its field.
        assert summary.count(message) == 1
        assert fields.count(message) == 1


def test_the_history_lists_network_meeting_decisions(client, kov_a, case_manager_a):
    client.force_login(case_manager_a)
    case = EnteredCaseFactory(municipality=kov_a, case_manager=case_manager_a)
    meeting = MeetingFactory(case=case)
    client.post(
        reverse("cases:meeting_detail", kwargs={"pk": case.pk, "meeting_pk": meeting.pk}),
        {
            "decision-text": "Leida tugiisik",
            "decision-responsible": "Juhtumikorraldaja",
            "decision-deadline": "2026-02-20",
        },
    )
    decision = meeting.decisions.get()
    assert decision.deadline == date(2026, 2, 20)
    DecisionFactory(meeting=MeetingFactory(), text="Teise toimiku otsus")
    page = client.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).content.decode()
    history = page.split('id="history"')[1]
    assert "Leida tugiisik" in history
    assert "Teise toimiku otsus" not in history
