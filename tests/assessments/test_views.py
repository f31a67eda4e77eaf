"""Who sees and edits what, through the pages."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import Plan, PlanLine
from tests.assessments.factories import (
    additional_provider_for,
    assess,
    draft_plan,
    link,
    specialist_of,
)
from tests.cases.factories import EnteredCaseFactory
from tests.providers.factories import component


@pytest.fixture
def agreed(case, case_manager_a, base_provider, other_provider, specialist):
    assess(case, by=case_manager_a, on=date(2026, 1, 20))
    link(case, base_provider, by=case_manager_a, on=date(2026, 1, 21))
    plan = draft_plan(case, by=specialist)
    for code, provider, hours in [("L01", base_provider, "10"), ("L13", other_provider, "4")]:
        services.add_line(
            plan=plan, component=component(code), provider=provider, form="I",
            monthly_quantity=Decimal(hours), valid_from=date(2026, 2, 1),
        )
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))
    return plan


def test_the_case_manager_sees_the_plan_and_budget_on_the_case_file(client, case_manager_a, agreed):
    client.force_login(case_manager_a)
    page = client.get(reverse("cases:case_detail", args=[agreed.case.pk])).content.decode()
    assert "Tegevusplaan v1" in page
    assert "MTÜ Baastugi" in page
    assert "460,00" in page  # 10 × 32.00 + 4 × 35.00 this month


def test_the_case_manager_may_read_but_not_edit_the_plan(client, case_manager_a, agreed):
    client.force_login(case_manager_a)
    assert client.get(reverse("assessments:plan_detail", args=[agreed.pk])).status_code == 200
    assert client.get(reverse("assessments:plan_new_version", args=[agreed.pk])).status_code == 403


def test_an_additional_support_provider_sees_only_its_lines_and_the_name_and_code(client, agreed, other_provider):
    user = specialist_of(other_provider, username="lisa_spets")
    client.force_login(user)
    case = agreed.case
    assert client.get(reverse("assessments:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("assessments:plan_detail", args=[agreed.pk])).status_code == 404
    page = client.get(reverse("assessments:provider_person", args=[case.pk])).content.decode()
    assert case.person.isikukood in page and case.person.last_name in page
    # The header's forms carry random CSRF tokens, which may hold "L01": look in the page's main part only.
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "L13" in main and "L01" not in main
    assert "Kokkuvõte" not in page and "Vajab toetust" not in page
    persons = client.get(reverse("assessments:my_persons")).content.decode()
    assert case.person.last_name in persons


def test_a_specialist_of_another_base_provider_sees_nothing(client, agreed, kov_a):
    from tests.assessments.factories import base_provider_for

    stranger = specialist_of(base_provider_for(kov_a, name="MTÜ Teine"), username="teine")
    client.force_login(stranger)
    assert client.get(reverse("assessments:case", args=[agreed.case.pk])).status_code == 404
    assert client.get(reverse("assessments:provider_person", args=[agreed.case.pk])).status_code == 404


def test_ska_sees_none_of_it(client, ska_user, agreed):
    client.force_login(ska_user)
    assert client.get(reverse("assessments:case", args=[agreed.case.pk])).status_code == 403
    assert client.get(reverse("assessments:plan_detail", args=[agreed.pk])).status_code == 403


def test_another_kovs_case_manager_gets_404(client, case_manager_b, agreed):
    client.force_login(case_manager_b)
    assert client.get(reverse("assessments:plan_detail", args=[agreed.pk])).status_code == 404


def test_a_refused_line_changes_nothing_and_says_why(client, case, case_manager_a, base_provider, kov_a, specialist):
    assess(case, by=case_manager_a)
    link(case, base_provider, by=case_manager_a)
    plan = draft_plan(case, by=specialist)
    stranger = additional_provider_for(kov_a, name="MTÜ Võõras", prices=[("B2", "40.00", None)])
    client.force_login(specialist)
    response = client.post(
        reverse("assessments:line_add", args=[plan.pk]),
        {"component": component("B2").pk, "provider": stranger.pk, "form": "I", "monthly_quantity": "5",
         "valid_from": "2026-02-01"},
    )
    assert response.status_code == 200
    assert "B2 is base support" in response.content.decode() or "baastoetus" in response.content.decode()
    assert not PlanLine.objects.exists()


def test_the_assessment_page_finishes_an_assessment(client, case, case_manager_a):
    client.force_login(case_manager_a)
    response = client.post(reverse("assessments:assessment_start", args=[case.pk]))
    assessment = case.assessments.get()
    assert response["Location"] == reverse("assessments:assessment_edit", args=[assessment.pk])
    level = assessment.instrument.levels.get(value=3)
    data = {"assessed_on": "2026-01-20", "summary": "Vajab palju tuge", "background": "", "finish": "1"}
    for answer in assessment.answers.all():
        data[f"level_{answer.pk}"] = level.pk
        data[f"notes_{answer.pk}"] = "märkus"
        data[f"sources_{answer.pk}"] = ["person", "documents"]
    response = client.post(reverse("assessments:assessment_edit", args=[assessment.pk]), data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.is_finished
    assert set(assessment.answers.values_list("sources", flat=True)[0]) == {"person", "documents"}
    case.refresh_from_db()
    assert case.state == "assessed"
    assert not Plan.objects.exists()


def test_the_specialist_reviews_the_plan_through_the_page(client, specialist, agreed):
    goal = agreed.goals.get()
    client.force_login(specialist)
    url = reverse("assessments:review_add", args=[agreed.pk])
    response = client.post(url, {
        "kind": "interim", "period_start": "2026-02-01", "period_end": "2026-01-01", "overall": "Hästi",
        "reviewed_on": "2026-07-01", f"progress_{goal.pk}": "achieved",
    })
    assert response.status_code == 200 and not agreed.reviews.exists()
    response = client.post(url, {
        "kind": "interim", "period_start": "2026-02-01", "period_end": "2026-06-30", "overall": "Hästi",
        "reviewed_on": "2026-07-01", f"progress_{goal.pk}": "achieved", f"comment_{goal.pk}": "Tubli",
    })
    assert response.status_code == 302
    assert agreed.reviews.get().progress.get().comment == "Tubli"
    page = client.get(reverse("assessments:case", args=[agreed.case.pk])).content.decode()
    assert "Tubli" in page


def test_the_case_manager_records_a_quality_of_life_survey_through_the_page(client, case_manager_a, case):
    from assessments import selectors

    qol = selectors.qol_instrument()
    data = {"occasion": "entry", "respondent": "person", "answered_on": "2026-01-15"}
    data.update({f"item_{item.pk}": qol.levels.get(value=4).pk for item in qol.items.all()})
    client.force_login(case_manager_a)
    response = client.post(reverse("assessments:survey_add", args=[case.pk]), data)
    survey = case.qol_surveys.get()
    assert response["Location"] == reverse("assessments:survey_detail", args=[survey.pk])
    page = client.get(response["Location"]).content.decode()
    assert "4 hea" in page


def test_my_persons_takes_the_same_number_of_queries_for_more_persons(
    client, kov_a, case_manager_a, base_provider, specialist, django_assert_max_num_queries
):
    def add_person():
        person_case = EnteredCaseFactory(municipality=kov_a, case_manager=case_manager_a)
        link(person_case, base_provider, by=case_manager_a)

    client.force_login(specialist)
    add_person()
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("assessments:my_persons")).status_code == 200
    for _ in range(5):
        add_person()
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("assessments:my_persons")).content.decode()
    assert page.count("/assessments/case/") == 6


def test_a_new_version_page_names_the_components_left_out_for_want_of_a_price(client, specialist, agreed):
    # Both contracts of ``agreed`` end on 31.12.2026: from 2027 no line has a price.
    client.force_login(specialist)
    response = client.post(
        reverse("assessments:plan_new_version", args=[agreed.pk]),
        {"valid_from": "2027-01-01", "reason": "Lepingud lõppesid"}, follow=True,
    )
    page = response.content.decode()
    new = agreed.case.plans.get(version=2)
    assert response.redirect_chain[-1][0] == reverse("assessments:plan_detail", args=[new.pk])
    assert not new.lines.exists()
    assert "jäid uuest versioonist välja: L01 (MTÜ Baastugi), L13 (OÜ Lisatugi)" in page


def test_finishing_an_assessment_asks_for_confirmation_first(client, case, case_manager_a):
    client.force_login(case_manager_a)
    client.post(reverse("assessments:assessment_start", args=[case.pk]))
    page = client.get(reverse("assessments:assessment_edit", args=[case.assessments.get().pk])).content.decode()
    finish = next(tag for tag in page.split("<button") if 'name="finish"' in tag)
    assert "data-confirm=" in finish and "Kas lõpetada hindamine?" in finish


def _agreed_plan_with_additional_line(case, *, case_manager, base_provider, other_provider, specialist):
    assess(case, by=case_manager, on=date(2026, 1, 20))
    link(case, base_provider, by=case_manager, on=date(2026, 1, 21))
    plan = draft_plan(case, by=specialist)
    services.add_line(
        plan=plan, component=component("L13"), provider=other_provider, form="I",
        monthly_quantity=Decimal("4"), valid_from=date(2026, 2, 1),
    )
    services.agree_plan(plan=plan, agreed_on=date(2026, 1, 30))
    return plan


def test_an_additional_providers_line_of_an_ended_version_shows_the_versions_end(
    client, agreed, specialist, other_provider
):
    new = services.new_version(plan=agreed, valid_from=date(2026, 6, 1), reason="Muudatus", by=specialist)
    services.agree_plan(plan=new, agreed_on=date(2026, 5, 20))
    client.force_login(specialist_of(other_provider, username="lisa_spets"))
    page = client.get(reverse("assessments:provider_person", args=[agreed.case.pk])).content.decode()
    assert "01.02.2026–31.05.2026" in page
    assert "01.06.2026–<" in page  # the new version's line runs on


def test_persons_with_our_components_are_paginated_not_cut_off(
    client, monkeypatch, agreed, kov_a, case_manager_a, base_provider, other_provider, specialist
):
    second = EnteredCaseFactory(municipality=kov_a, case_manager=case_manager_a)
    _agreed_plan_with_additional_line(
        second, case_manager=case_manager_a, base_provider=base_provider,
        other_provider=other_provider, specialist=specialist,
    )
    monkeypatch.setattr("assessments.views.PAGE_SIZE", 1)
    client.force_login(specialist_of(other_provider, username="lisa_spets"))
    first = client.get(reverse("assessments:my_persons")).content.decode()
    person_link = re.compile(r'href="/assessments/mine/\d+/"')
    assert len(person_link.findall(first)) == 1 and "apage=2" in first
    following = client.get(reverse("assessments:my_persons"), {"apage": 2}).content.decode()
    assert len(person_link.findall(following)) == 1
    shown = {agreed.case.person.last_name in first + following, second.person.last_name in first + following}
    assert shown == {True}


def test_changing_the_base_provider_says_the_old_link_ends_and_its_specialists_lose_access(
    client, case, case_manager_a, base_provider, kov_a
):
    from tests.assessments.factories import base_provider_for

    link(case, base_provider, by=case_manager_a)
    other = base_provider_for(kov_a, name="MTÜ Teine Tugi")
    client.force_login(case_manager_a)
    url = reverse("assessments:link_provider", args=[case.pk])
    # The providers offered are those with a contract in force today (the factory's run through 2026).
    with translation.override("et"), time_machine.travel(date(2026, 11, 28)):
        form_page = client.get(url).content.decode()
        assert "Isiku baastoe osutaja on praegu MTÜ Baastugi (alates 21.01.2026)" in form_page
        response = client.post(
            url, {"provider": other.pk, "valid_from": "2026-11-01", "choice_explained": "on"}, follow=True
        )
    page = response.content.decode()
    assert "Seos teenuseosutajaga MTÜ Baastugi lõppes 31.10.2026" in page
    assert case.base_provider_links.get(provider=base_provider).valid_to == date(2026, 10, 31)


def test_the_line_form_offers_only_providers_with_a_contract_during_the_plan(
    client, case, case_manager_a, base_provider, specialist, kov_a
):
    from tests.assessments.factories import additional_provider_for

    additional_provider_for(kov_a, name="MTÜ Lõppenud Leping", period=(date(2025, 1, 1), date(2025, 12, 31)))
    assess(case, by=case_manager_a, on=date(2026, 1, 20))
    link(case, base_provider, by=case_manager_a)
    plan = draft_plan(case, by=specialist)
    client.force_login(specialist)
    page = client.get(reverse("assessments:line_add", args=[plan.pk])).content.decode()
    assert "MTÜ Baastugi" in page and "MTÜ Lõppenud Leping" not in page


@time_machine.travel(date(2026, 1, 25))
def test_finishing_an_incomplete_assessment_marks_each_missing_domain(client, case, case_manager_a):
    assessment = services.start_assessment(case=case, on=date(2026, 1, 20), by=case_manager_a)
    answers = list(assessment.answers.select_related("item").order_by("item__order", "pk"))
    level = assessment.instrument.levels.first()
    data = {"assessed_on": "20.01.2026", "summary": "Kokkuvõte", "finish": "1"}
    data.update({f"level_{a.pk}": level.pk for a in answers[1:]})  # the first domain left empty
    client.force_login(case_manager_a)
    with translation.override("et"):
        page = client.post(reverse("assessments:assessment_edit", args=[assessment.pk]), data).content.decode()
    missing = answers[0]
    summary = page.split('data-testid="error-summary"', 1)[1].split("</div>", 1)[0]
    assert f'href="#id_level_{missing.pk}"' in summary
    assert missing.item.name in summary
    field = re.search(rf'<select[^>]*name="level_{missing.pk}"[^>]*>', page).group(0)
    assert "is-invalid" in field
    for other in answers[1:]:
        assert "is-invalid" not in re.search(rf'<select[^>]*name="level_{other.pk}"[^>]*>', page).group(0)
    assessment.refresh_from_db()
    assert assessment.status == "draft"
