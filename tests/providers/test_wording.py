"""The Estonian wording of the provider and component pages (QA review of issue 5)."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import polib
import pytest

from tests.providers.factories import (
    ContractFactory,
    ContractPriceFactory,
    ProviderFactory,
    SpecialistFactory,
    component,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def history_text(client, contract) -> str:
    html = client.get(f"/providers/contracts/{contract.pk}/").content.decode()
    table = html[html.index('id="history"') :]
    table = table[: table.index("</table>")]
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", table))


def test_the_contract_history_is_in_estonian_with_money_and_an_open_end(client, coordinator_a):
    contract = ContractFactory(
        municipality=coordinator_a.municipality, start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    price = ContractPriceFactory(
        contract=contract,
        component=component("L07"),
        unit_price_individual=Decimal("27.50"),
        unit_price_group=Decimal("11.00"),
    )
    client.force_login(coordinator_a)
    response = client.post(
        f"/providers/prices/{price.pk}/change/",
        {"from_date": "2026-07-01", "unit_price_individual": "30", "unit_price_group": "12"},
    )
    assert response.status_code == 302

    text = history_text(client, contract)

    assert "Lisatud · hind L07 (alates 01.01.2026, individuaalne 27,50\xa0€, grupp 11,00\xa0€)" in (
        text
    )
    assert "Lisatud · hind L07 (alates 01.07.2026, individuaalne 30,00\xa0€, grupp 12,00\xa0€)" in (
        text
    )
    assert "Muudetud · hind L07 (01.01.2026–30.06.2026," in text
    assert "Kehtib kuni: — → 30.06.2026" in text
    for english in ("Created", "Changed", "I 27.50", "–—"):
        assert english not in text


def test_a_changed_amount_is_shown_as_money_in_the_history(client, coordinator_a):
    contract = ContractFactory(
        municipality=coordinator_a.municipality, maximum_amount=Decimal("1000.00")
    )
    contract.maximum_amount = Decimal("2500.50")
    contract.save()
    client.force_login(coordinator_a)

    text = history_text(client, contract)

    assert "Muudetud · leping" in text
    assert "Maksimaalne summa: 1\xa0000,00\xa0€ → 2\xa0500,50\xa0€" in text


def first_letters(html: str) -> list[tuple[str, str]]:
    """(tag, text) of every label, table header and description term that has text."""
    found = []
    for tag in ("label", "th", "dt"):
        for text in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, flags=re.S):
            text = re.sub(r"<[^>]+>", "", text).strip()
            if text:
                found.append((tag, text))
    return found


def test_labels_and_column_headers_start_with_a_capital_letter(client, coordinator_a, ska_user):
    contract = ContractFactory(municipality=coordinator_a.municipality)
    price = ContractPriceFactory(contract=contract)
    provider = contract.provider
    SpecialistFactory(provider=provider)
    client.force_login(coordinator_a)
    pages = [
        "/providers/",
        "/providers/new/",
        f"/providers/{provider.pk}/",
        f"/providers/{provider.pk}/edit/",
        f"/providers/{provider.pk}/specialists/new/",
        f"/providers/{provider.pk}/contracts/new/",
        f"/providers/contracts/{contract.pk}/",
        f"/providers/contracts/{contract.pk}/edit/",
        f"/providers/contracts/{contract.pk}/prices/new/",
        f"/providers/prices/{price.pk}/change/",
        "/components/",
    ]
    texts = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = first_letters(response.content.decode())
    client.force_login(ska_user)
    texts["/providers/register/"] = first_letters(
        client.get("/providers/register/").content.decode()
    )

    lower = [(url, t) for url, found in texts.items() for t in found if t[1][0].islower()]
    assert lower == []
    assert ("label", "Nimi*") in texts[f"/providers/{provider.pk}/specialists/new/"]
    assert ("label", "Kvalifikatsioon") in texts[f"/providers/{provider.pk}/specialists/new/"]
    assert ("label", "Uus hind alates*") in texts[f"/providers/prices/{price.pk}/change/"]
    assert ("label", "Pakutavad tööd") in texts["/providers/new/"]
    assert ("th", "Lepingu number") in texts["/providers/"]


def test_the_register_filter_for_base_support_offers_all_yes_and_no(client, ska_user, kov_a):
    ContractFactory(
        municipality=kov_a, provider=ProviderFactory(name="Baas", offers_base_support=True)
    )
    ContractFactory(municipality=kov_a, provider=ProviderFactory(name="Lisa"))
    client.force_login(ska_user)

    html = client.get("/providers/register/").content.decode()
    select = re.search(r'<select name="offers_base_support".*?</select>', html, flags=re.S)[0]
    options = re.findall(r"<option[^>]*>(.*?)</option>", select)

    assert options == ["Kõik", "Jah", "Ei"]

    def names(value):
        response = client.get("/providers/register/", {"offers_base_support": value})
        return [r["provider"].name for r in response.context["rows"]]

    assert names("true") == ["Baas"]
    assert names("false") == ["Lisa"]
    assert names("") == ["Baas", "Lisa"]


#: Verbs in the informal imperative ("Sisesta") that Tugi's sentences use; the formal
#: one ("Sisestage") is the register of a public service.
INFORMAL = (
    "Sisesta|Vali|Lisa|Kirjuta|Vaata|Muuda|Kasuta|Märgi|Täida|Kinnita|Kontrolli|Proovi|Jäta|Anna|"
    "Laadi|Pane|Võta|Küsi|Oota|Loo|Sulge|Saada|Esita|Kustuta|Salvesta|Koosta|Määra|Tühista|"
    "Alusta|Lõpeta|Vaheta|Registreeri|Lepi|Paranda|Palu|Teata|Pöördu|Vajuta|Tutvusta|Selgita|Seosta|"
    "Vasta|Kutsu|Põhjenda"
)
#: Such a verb opening a sentence or a clause of it, or "sinu"/"sul" (informal "your").
INFORMAL_SENTENCE = re.compile(
    rf"(?:^|[.:;!?]\s+|,\s+|\b(?:ja|või)\s+)(?:{INFORMAL})\b|\b(?:sinu|sul|sulle)\b", re.I
)
CATALOGUES = sorted(ROOT.glob("*/locale/et/LC_MESSAGES/django.po")) + [ROOT / "locale/et/LC_MESSAGES/django.po"]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_estonian_catalogues_address_the_user_formally(catalogue):
    """Sentences say “Sisestage …”, “Valige …”. Buttons and links name their action in
    the short form (“Salvesta”, “Lisa eesmärk”), as Estonian public services do."""
    informal = [
        text
        for entry in polib.pofile(str(catalogue))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if text and text.rstrip().endswith((".", "?", "!")) and INFORMAL_SENTENCE.search(text)
    ]
    assert informal == []


def test_the_price_change_page_shows_an_open_ended_price_as_from_a_date(client, coordinator_a):
    contract = ContractFactory(municipality=coordinator_a.municipality, start=date(2026, 3, 1))
    price = ContractPriceFactory(contract=contract)
    client.force_login(coordinator_a)

    html = client.get(f"/providers/prices/{price.pk}/change/").content.decode()

    assert "alates 01.03.2026" in html
    assert "01.03.2026–…" not in html
