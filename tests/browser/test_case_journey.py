"""A case manager's journey: notice → eligibility (one refused) → entry → deadlines → network → meeting → exit."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.isikukood import make_isikukood
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def notice(page, *, code, first, last):
    page.get_by_role("link", name="Registreeri märkamine").first.click()
    page.locator("#id_person-isikukood").fill(code)
    page.locator("#id_person-first_name").fill(first)
    page.locator("#id_person-last_name").fill(last)
    page.locator("#id_noticing-noticer_kind").select_option(label="haigla või arst")
    page.locator("#id_noticing-noticer_name").fill("Metsaküla perearstikeskus")
    page.locator("#id_noticing-channel").select_option(label="telefon")
    page.locator("#id_noticing-reason").fill("Ei tule igapäevaeluga toime")
    page.get_by_role("button", name="Ava toimik").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{first} {last}")
    expect(page.get_by_test_id("case-state")).to_have_text("märgatud")


def check_eligibility(
    page,
    condition_label="c) KOV sotsiaaltöötaja või SKA juhtumikorraldaja hinnangul on vaja integreeritud tuge",
):
    page.get_by_test_id("next-step").filter(has_text="Otsusta sisenemine").click()  # the case file's next step
    page.get_by_label("Põhidiagnoos").select_option(label="muu psüühikahäire diagnoos")
    page.get_by_label("Tingimus").select_option(label=condition_label)
    page.get_by_role("button", name="Kontrolli sihtrühma sobivust").click()


def test_a_case_manager_takes_a_person_from_noticing_to_exit(page, case_manager_a):
    today = timezone.localdate()
    log_in(page, case_manager_a.username)

    # A 15-year-old is refused, with the reason.
    young = today.replace(year=today.year - 16) + timedelta(days=1)
    notice(page, code=make_isikukood(young, "M", 11), first="Noor", last="Poiss")
    check_eligibility(page)
    result = page.get_by_test_id("eligibility-result")
    expect(result).to_contain_text("Isik ei sobi sihtrühma ega saa siseneda.")
    expect(result).to_contain_text(
        f"Isik saab 16-aastaseks alles {today + timedelta(days=1):%d.%m.%Y}."
    )

    # An eligible person enters with consent.
    notice(
        page,
        code=make_isikukood(today.replace(year=today.year - 35, day=1), "F", 12),
        first="Mari",
        last="Maasikas",
    )
    check_eligibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sisenemisankeet")
    page.get_by_label("Sotsiaalne staatus").select_option(label="töötu")
    page.get_by_label("Haridustase").select_option(label="põhiharidus")
    page.get_by_label("Leibkonna olukord").select_option(label="elab üksi")
    page.get_by_label("Nõusoleku ulatus").fill(
        "Isikuandmete töötlemine ja edastamine juhtumikorralduseks"
    )
    page.get_by_label("Nõusoleku allkirjastaja").select_option(label="isik ise")
    page.get_by_role("button", name="Salvesta").click()
    expect(page.get_by_text("Isik on sisenenud.")).to_be_visible()
    expect(page.get_by_test_id("case-state")).to_have_text("sisenenud")

    # The deadlines page shows the assessment due 30 days after entry.
    due = today + timedelta(days=30)
    page.get_by_role("link", name="Tähtajad", exact=True).click()
    row = (
        page.get_by_role("row")
        .filter(has_text="Maasikas")
        .filter(has_text="Toetusvajaduse hindamine")
    )
    expect(row).to_contain_text(f"{due:%d.%m.%Y}")
    # "Ava" opens the page where the assessment is done; the case file is one link away.
    row.get_by_role("link", name=re.compile("Ava")).click()
    expect(page).to_have_url(re.compile(r"/assessments/"))
    page.get_by_role("link", name="Toimik", exact=True).click()

    # Network: a relative and a specialist.
    for kind, name, extra in [
        ("mitteformaalne (lähedane, sõber)", "Ema Maasikas", {"#id_relation": "ema"}),
        (
            "formaalne (spetsialist)",
            "Peeter Perearst",
            {"#id_position": "perearst", "#id_institution": "Metsaküla perearstikeskus"},
        ),
    ]:
        page.get_by_role("link", name="Lisa võrgustikuliige").click()
        page.get_by_label("Liik").select_option(label=kind)
        page.locator("#id_name").fill(name)
        for selector, value in extra.items():
            page.locator(selector).fill(value)
        page.get_by_role("button", name="Salvesta").click()
        expect(page.locator("#network")).to_contain_text(name)

    # A network meeting with both invited, and a decision with a deadline.
    meeting_day = today + timedelta(days=2)
    page.get_by_role("link", name="Planeeri võrgustikukohtumine").click()
    page.get_by_label("Eesmärk").fill("Toetuse kokkuleppimine")
    page.get_by_label("Koosoleku juhataja").fill("Anu Alfa")
    page.get_by_label("Aeg").fill(f"{meeting_day:%Y-%m-%d}T10:00")
    page.get_by_label("Koht").fill("Metsaküla vallamaja")
    page.get_by_label("Päevakord").fill("Olukorra ülevaade\nJärgmised sammud")
    page.get_by_label("Ema Maasikas").check()
    page.get_by_label("Peeter Perearst").check()
    page.get_by_role("button", name="Salvesta").click()
    expect(page.get_by_text("Võrgustikukohtumine on planeeritud.")).to_be_visible()
    deadline = today + timedelta(days=9)
    page.locator("#id_decision-text").fill("Broneerida aeg psühhiaatri juurde")
    page.locator("#id_decision-responsible").fill("Ema Maasikas")
    page.locator("#id_decision-deadline").fill(f"{deadline:%Y-%m-%d}")
    page.get_by_role("button", name="Lisa otsus").click()
    expect(page.get_by_role("row").filter(has_text="Broneerida aeg")).to_contain_text(
        f"{deadline:%d.%m.%Y}"
    )
    page.get_by_role("link", name="Tähtajad", exact=True).click()
    expect(page.get_by_role("row").filter(has_text="Broneerida aeg")).to_contain_text(
        f"{deadline:%d.%m.%Y}"
    )

    # Exit closes the case and its deadlines but the exit surveys.
    page.get_by_role("link", name="Isikud", exact=True).click()
    page.get_by_role("link", name="Maasikas, Mari").click()
    page.get_by_role("link", name="Väljumine").click()
    page.get_by_label("Väljumise põhjus").select_option(label="kolis ära")
    page.get_by_label("Olukord väljumisel").select_option(label="kolis ära")
    page.get_by_role("button", name="Kinnita väljumine").click()
    expect(page.get_by_test_id("case-state")).to_have_text("väljunud")
    page.get_by_role("link", name="Tähtajad", exact=True).click()
    # Only the two exit surveys (the person's and the base-support specialist's) stay open.
    rows = page.get_by_role("row").filter(has_text="Maasikas")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Elukvaliteedi küsitlus väljumisel")
    expect(rows.nth(1)).to_contain_text("Elukvaliteedi küsitlus väljumisel")
    expect(page.get_by_text("Broneerida aeg")).to_have_count(0)
