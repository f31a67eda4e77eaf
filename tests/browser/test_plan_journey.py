"""Assessment → base-support provider → action plan with a budget → agreement → a later version."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from components import catalogue
from components.models import Component
from tests.assessments.factories import additional_provider_for, base_provider_for, specialist_of
from tests.browser.conftest import log_in
from tests.cases.factories import EnteredCaseFactory, PersonFactory
from tugi.workdays import add_months, month_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data(db):
    """Transactional tests empty every table between tests; reload what the migrations loaded."""
    from assessments import instrument_seed
    from assessments.models import Instrument, InstrumentItem, ScaleLevel

    catalogue.load(Component)
    instrument_seed.load(Instrument, InstrumentItem, ScaleLevel)


def log_out(page):
    page.get_by_role("button", name="Logi välja").click()


def test_an_action_plan_from_assessment_to_a_later_version(page, reference_data, kov_a, case_manager_a):
    today = timezone.localdate()
    period = (today - timedelta(days=60), today + timedelta(days=400))
    base = base_provider_for(kov_a, name="MTÜ Kaasteel", period=period)
    additional_provider_for(kov_a, name="OÜ Liikumisrõõm", period=period)
    specialist = specialist_of(base, username="piret")
    case = EnteredCaseFactory(
        municipality=kov_a, case_manager=case_manager_a, entry_date=today - timedelta(days=5),
        noticed_on=today - timedelta(days=10), person=PersonFactory(first_name="Kadri", last_name="Kask"),
    )

    # The case manager assesses the person and links the base-support provider.
    log_in(page, case_manager_a.username)
    page.goto(f"/cases/{case.pk}/")
    page.locator("#assessments-and-plans").get_by_role("link", name="Hindamised ja plaanid").click()
    page.get_by_role("button", name="Hinda toetusvajadust").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Toetusvajaduse hindamine")
    for code in ["daily_living", "housing", "mobility", "physical_health", "mental_health", "risk_behaviour",
                 "social_relations", "occupation", "leisure", "family"]:
        domain = page.get_by_test_id(f"domain-{code}")
        domain.get_by_label("Toetusvajaduse tase").select_option(label="2 — osaline toetus")
        domain.get_by_label("isik ise").check()
    page.get_by_test_id("domain-physical_health").get_by_label("Toetusvajaduse tase").select_option(
        label="3 — ulatuslik toetus"
    )
    page.get_by_label("Kokkuvõte").fill("Vajab tuge igapäevaelus ja liikumisel.")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Lõpeta hindamine").click()
    expect(page.get_by_text("Hindamine on lõpetatud")).to_be_visible()
    assert asked and asked[0].startswith("Kas lõpetada hindamine?")
    expect(page.get_by_test_id("assessment-status")).to_have_text("lõpetatud")

    page.get_by_role("link", name="Hindamised ja plaanid").click()
    page.get_by_role("link", name="Seosta baastoetuse osutajaga").click()
    page.get_by_label("Baastoetuse osutaja").select_option(label="MTÜ Kaasteel")
    page.get_by_role("button", name="Salvesta").click()
    expect(page.locator(".invalid-feedback", has_text="Tutvustage isikule piirkonna baastoetuse osutajaid ja tehke valik koos.")).to_be_visible()
    page.get_by_label("Teenuseosutajaid tutvustati ja valikut selgitati isikule").check()
    page.get_by_role("button", name="Salvesta").click()
    expect(page.get_by_text("Isik on baastoetuse osutajaga seostatud.")).to_be_visible()
    log_out(page)

    # The base-support specialist writes the action plan.
    log_in(page, specialist.username)
    page.goto("/assessments/mine/")
    page.get_by_role("link", name="Kadri Kask").click()
    page.get_by_role("link", name="Koosta plaan").click()
    page.get_by_label("Plaani liik").select_option(label="tegevusplaan")
    page.get_by_role("button", name="Salvesta").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tegevusplaan v1")

    page.get_by_role("link", name="Lisa eesmärk").click()
    page.get_by_label("Eluvaldkond").select_option(label="Füüsiline tervis (3 ulatuslik toetus)")
    page.get_by_label("Eesmärk").fill("Liigun iga päev vähemalt pool tundi.")
    page.get_by_role("button", name="Salvesta").click()
    page.get_by_role("link", name="Lisa alaeesmärk").click()
    page.get_by_label("Alaeesmärk").fill("Käin ujumas")
    page.get_by_label("Kuidas mõõdetakse").fill("2 korda nädalas")
    page.get_by_role("button", name="Salvesta").click()
    expect(page.locator("#goals")).to_contain_text("Käin ujumas — 2 korda nädalas")

    next_month = add_months(month_start(today), 1)
    for component, provider, form, hours in [
        ("L01 ", "MTÜ Kaasteel", "individuaalne", "10"),
        ("L23 ", "MTÜ Kaasteel", "grupp", "4"),
        ("L13 ", "OÜ Liikumisrõõm", "individuaalne", "4"),
    ]:
        page.get_by_role("link", name="Lisa teenuskomponent").click()
        page.get_by_label("Teenuskomponent").select_option(
            label=next(o for o in page.get_by_label("Teenuskomponent").locator("option").all_inner_texts()
                       if o.startswith(component))
        )
        page.get_by_label("Teenuseosutaja").select_option(label=provider)
        page.get_by_label("Vorm").select_option(label=form)
        page.get_by_label("Tunde kuus").fill(hours)
        page.get_by_role("button", name="Salvesta").click()
        expect(page.get_by_text("Teenuskomponent on plaani lisatud.")).to_be_visible()

    # A base component from the other provider is refused with the reason.
    page.get_by_role("link", name="Lisa teenuskomponent").click()
    page.get_by_label("Teenuskomponent").select_option(label="B2 Tegevusplaani elluviimise tagamine")
    page.get_by_label("Teenuseosutaja").select_option(label="OÜ Liikumisrõõm")
    page.get_by_label("Tunde kuus").fill("2")
    page.get_by_role("button", name="Salvesta").click()
    expect(page.locator(".invalid-feedback", has_text="B2 on baastoetus: seda osutab ainult isiku baastoetuse osutaja (MTÜ Kaasteel).")).to_be_visible()
    page.get_by_role("link", name="Tühista").click()

    # 10 × 32.00 + 4 × 12.00 + 4 × 35.00 = 508.00 in a full month.
    budget = page.get_by_test_id("budget")
    expect(budget.get_by_role("row").filter(has_text=f"{next_month:%m.%Y}")).to_contain_text("508,00")
    page.get_by_role("link", name="Lepi plaan isikuga kokku").click()
    page.get_by_role("button", name="Lepi plaan kokku").click()
    expect(page.get_by_test_id("plan-status")).to_contain_text("isikuga kokku lepitud")
    log_out(page)

    # The case manager sees it on the case file.
    log_in(page, case_manager_a.username)
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_test_id("case-state")).to_have_text("plaan olemas / aktiivne")
    expect(page.get_by_test_id("current-plan")).to_contain_text("Tegevusplaan v1")
    expect(page.get_by_test_id("personal-budget")).to_contain_text("508,00")
    expect(page.get_by_test_id("base-provider")).to_contain_text("MTÜ Kaasteel")
    log_out(page)

    # Later: the specialist changes one quantity from a future date.
    change_from = add_months(month_start(today), 2)
    log_in(page, specialist.username)
    page.goto("/assessments/mine/")
    page.get_by_role("link", name="Kadri Kask").click()
    page.get_by_role("link", name="v1").click()
    page.get_by_role("link", name="Muuda plaani kuupäevast alates").click()
    page.get_by_label("Muudatus kehtib alates").fill(f"{change_from:%Y-%m-%d}")
    page.get_by_label("Mis muutub ja miks").fill("Füsioteraapiat rohkem")
    page.get_by_role("button", name="Loo uus versioon").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tegevusplaan v2")
    page.get_by_role("link", name="Muuda L13").click()
    page.get_by_label("Tunde kuus").fill("6")
    page.get_by_role("button", name="Salvesta").click()
    expect(page.get_by_test_id("budget").get_by_role("row").filter(has_text=f"{change_from:%m.%Y}")).to_contain_text(
        "578,00"
    )
    page.get_by_role("link", name="Lepi plaan isikuga kokku").click()
    page.get_by_role("button", name="Lepi plaan kokku").click()
    expect(page.get_by_test_id("plan-period")).to_contain_text(f"{change_from:%d.%m.%Y}")
    page.get_by_role("link", name="v1").click()
    expect(page.get_by_test_id("plan-period")).to_contain_text(f"{change_from - timedelta(days=1):%d.%m.%Y}")
    expect(page.get_by_test_id("plan-lines")).to_contain_text("4,00")
