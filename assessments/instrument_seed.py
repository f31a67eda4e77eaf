"""The first published versions of the two instruments (DOMAIN.md section 4).

Loaded once by a data migration; afterwards the tables are the truth and an
administrator makes new versions in the admin. Wording is Estonian, as the
assessors use it."""

from datetime import date

PUBLISHED_ON = date(2026, 1, 1)

# code, name, what is assessed, component domain
NEEDS_DOMAINS = [
    ("daily_living", "Igapäevaelu toimingud",
     "Söömine ja toidu valmistamine, enesehoolitsus, majapidamine, raha haldamine, asjaajamine.",
     "daily_living"),
    ("housing", "Eluase", "Elukoha olemasolu ja sobivus, vajadus elukohta vahetada.", "housing"),
    ("mobility", "Liikumine eluruumides ja väljaspool",
     "Siirdumine kodus, transpordi ja liikumisteede kasutamine.", "physical_health"),
    ("physical_health", "Füüsiline tervis",
     "Tervise eest hoolitsemine, kontakt perearstiga, füüsiline aktiivsus.", "physical_health"),
    ("mental_health", "Vaimne tervis ja taastumine",
     "Haigusega ja sümptomitega toimetulek, ravi järgimine, taastumine.", "mental_health"),
    ("risk_behaviour", "Riskikäitumine",
     "Oht endale või teistele, sõltuvused, probleemne käitumine, kriisid.", "mental_health"),
    ("social_relations", "Sotsiaalsed suhted",
     "Suhted lähedaste, sõprade ja kogukonnaga; ärakasutamise oht.", "social_relations"),
    ("occupation", "Töö, õppimine ja rakendus kogukonnas",
     "Töötamine, töövalmidus, õppimine, vabatahtlik või muu rakendus.", "occupation"),
    ("leisure", "Vaba aeg", "Huvitegevus ja vaba aja sisustamine.", "leisure"),
    ("family", "Pere ja lähedased hooldajad",
     "Lähedaste koormus ning nende vajadus nõustamise, koolituse või hoiu järele.", "family_support"),
]

NEEDS_SCALE = [
    (0, "toetust ei vaja", "Tuleb valdkonnas toime iseseisvalt."),
    (1, "juhendamine", "Vajab aeg-ajalt meeldetuletust, nõu või juhendamist."),
    (2, "osaline toetus", "Vajab regulaarselt osalist kõrvalabi."),
    (3, "ulatuslik toetus", "Vajab enamikus toimingutes kõrvalabi."),
    (4, "täielik toetus", "Ei tule valdkonnas toime ilma pideva kõrvalabita."),
]

QOL_ITEMS = [
    ("overall", "Kuidas hindate oma elukvaliteeti üldiselt?", ""),
    ("health", "Kui rahul olete oma tervisega?", ""),
    ("mood", "Kuidas hindate oma meeleolu viimasel kuul?", ""),
    ("daily_life", "Kui hästi tulete toime igapäevaste toimingutega?", ""),
    ("relations", "Kui rahul olete oma suhetega lähedaste ja sõpradega?", ""),
    ("occupation", "Kui rahul olete sellega, kuidas sisustate oma päevi (töö, õppimine, tegevused)?", ""),
    ("housing", "Kui rahul olete oma elukohaga?", ""),
    ("safety", "Kui turvaliselt tunnete end oma igapäevaelus?", ""),
    ("money", "Kui rahul olete oma majandusliku olukorraga?", ""),
    ("independence", "Kui palju saate ise otsustada oma elu üle?", ""),
]

QOL_SCALE = [
    (1, "väga halb", ""),
    (2, "halb", ""),
    (3, "ei hea ega halb", ""),
    (4, "hea", ""),
    (5, "väga hea", ""),
]


def load(instrument_model, item_model, level_model) -> None:
    """Create version 1 of each instrument (published) unless it exists."""
    for kind, name, items, scale in [
        ("needs", "Toetusvajaduse hindamise instrument", NEEDS_DOMAINS, NEEDS_SCALE),
        ("qol", "Elukvaliteedi hinnangu küsimustik", [(*i, "") for i in QOL_ITEMS], QOL_SCALE),
    ]:
        if instrument_model.objects.filter(kind=kind, version=1).exists():
            continue
        # Items and levels are added while the version is a draft, then it is published.
        instrument = instrument_model.objects.create(kind=kind, version=1, name=name)
        for order, (code, item_name, description, component_domain) in enumerate(items, start=1):
            item_model.objects.create(
                instrument=instrument, code=code, name=item_name, description=description,
                component_domain=component_domain, order=order,
            )
        for value, label, description in scale:
            level_model.objects.create(instrument=instrument, value=value, label=label, description=description)
        instrument_model.objects.filter(pk=instrument.pk).update(published_on=PUBLISHED_ON)
