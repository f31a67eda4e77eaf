"""Demo providers, contracts and prices for the two demo municipalities.

Every name, registry code and phone number is made up (registry codes carry a
valid check digit but start with 79, outside the ranges in use). Each KOV gets
six providers: one base-support provider, one protected-work provider (sewing,
cleaning, packing) and four others; one company serves both KOVs. The demo user
“spetsialist” works for Metsaküla's base-support provider."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from stdnum.ee import registrikood

from accounts.demo import DEMO_PASSWORD, USERS
from accounts.models import Municipality, Role, User
from components.models import Component

from .models import (
    Contract,
    ContractPrice,
    DefaultPrice,
    Provider,
    ProviderType,
    Qualification,
    Specialist,
)


def _code(n: int) -> str:
    base = f"79{n:05d}"
    return base + registrikood.calc_check_digit(base)


# key, name, type, base support?, target groups, exclusions, works offered, specialists
PROVIDERS = {
    "mets_baas": (
        "MTÜ Metsaküla Tugikeskus",
        ProviderType.NGO,
        True,
        "psüühilise erivajadusega täisealised",
        "",
        [],
        [("Piret Pärn", "tegevusjuhendaja"), ("Mart Mets", "rehabilitatsioonispetsialist")],
    ),
    "mets_pkt": (
        "SA Metsaküla Töökoda",
        ProviderType.FOUNDATION,
        False,
        "psüühilise erivajadusega tööealised inimesed",
        "nägemispuudega inimesed",
        ["õmblemine", "koristus", "pakkimine"],
        [("Helju Heinsalu", "tegevusjuhendaja")],
    ),
    "mets_pere": (
        "MTÜ Perepesa Nõustamine",
        ProviderType.NGO,
        False,
        "psüühikahäirega inimeste pered ja lähedased",
        "",
        [],
        [("Tiina Toom", "psühholoog")],
    ),
    "mets_vald": (
        "Metsaküla Vallavalitsus",
        ProviderType.KOV,
        False,
        "valla elanikud",
        "",
        [],
        [("Rein Raudsepp", "sotsiaaltöötaja")],
    ),
    "mets_kodu": (
        "Metsaküla Hooldekodu",
        ProviderType.KOV_INSTITUTION,
        False,
        "eakad ja psüühilise erivajadusega täisealised",
        "",
        [],
        [("Ülle Ojasaar", "hooldustöötaja")],
    ),
    "teraapia": (
        "OÜ Liikumisrõõm Teraapia",
        ProviderType.COMPANY,
        False,
        "täisealised, sh liikumispuudega inimesed",
        "",
        [],
        [("Kaido Kuusk", "füsioterapeut")],
    ),
    "jarve_baas": (
        "MTÜ Järveranna Kogukonnatugi",
        ProviderType.NGO,
        True,
        "psüühilise erivajadusega täisealised",
        "",
        [],
        [("Anneli Allik", "tegevusjuhendaja")],
    ),
    "jarve_pkt": (
        "MTÜ Järveranna Kaitstud Töö",
        ProviderType.NGO,
        False,
        "psüühilise erivajadusega tööealised inimesed",
        "nägemispuudega inimesed",
        ["õmblemine", "koristus", "pakkimine", "heakorratööd"],
        [("Urmas Ustav", "tegevusjuhendaja")],
    ),
    "jarve_kogemus": (
        "MTÜ Kogemuste Sild",
        ProviderType.NGO,
        False,
        "psüühilise erivajadusega inimesed ja nende pered",
        "",
        [],
        [("Kertu Kivi", "kogemusnõustaja")],
    ),
    "jarve_elu": (
        "SA Järveranna Elukeskus",
        ProviderType.FOUNDATION,
        False,
        "iseseisvumist alustavad noored täisealised",
        "",
        [],
        [("Marko Maasik", "sotsiaalpedagoog")],
    ),
    "jarve_linn": (
        "Järveranna Linnavalitsus",
        ProviderType.KOV,
        False,
        "linna elanikud",
        "",
        [],
        [("Evi Elm", "sotsiaaltöötaja")],
    ),
}

# municipality code, contract number, provider key, ends soon?, [(component, individual, group)]
CONTRACTS = [
    (
        "9901",
        "MK-2026-01",
        "mets_baas",
        False,
        [
            ("B1", "49.00", None),
            ("B2", "42.00", None),
            ("B3", "80.00", None),
            ("L01", "32.00", None),
            ("L23", "30.00", "12.00"),
        ],
    ),
    ("9901", "MK-2026-02", "mets_pkt", False, [("L18", None, "9.50"), ("L17", "34.00", "11.00")]),
    (
        "9901",
        "MK-2026-03",
        "mets_pere",
        True,
        [("L02", "55.00", "20.00"), ("L03", "45.00", "15.00")],
    ),
    ("9901", "MK-2026-04", "mets_vald", False, [("L16", "25.00", None), ("L22", "28.00", None)]),
    ("9901", "MK-2026-05", "mets_kodu", False, [("L05", "20.00", "9.00")]),
    (
        "9901",
        "MK-2026-06",
        "teraapia",
        False,
        [("L13", "35.00", "10.00"), ("L14", "45.00", "15.00")],
    ),
    (
        "9902",
        "JR-2026-01",
        "jarve_baas",
        False,
        [
            ("B1", "49.00", None),
            ("B2", "44.00", None),
            ("B3", "80.00", None),
            ("L01", "33.00", None),
        ],
    ),
    ("9902", "JR-2026-02", "jarve_pkt", False, [("L18", None, "10.00"), ("L20", "26.00", None)]),
    (
        "9902",
        "JR-2026-03",
        "jarve_kogemus",
        False,
        [("L04", "30.00", "10.00"), ("L10", "30.00", "10.00")],
    ),
    (
        "9902",
        "JR-2026-04",
        "jarve_elu",
        True,
        [("L24", "32.00", "12.00"), ("L21", "25.00", "8.00")],
    ),
    ("9902", "JR-2026-05", "jarve_linn", False, [("L22", "28.00", None)]),
    (
        "9902",
        "JR-2026-06",
        "teraapia",
        False,
        [("L13", "36.00", "11.00"), ("L14", "46.00", "16.00")],
    ),
]

DEFAULT_PRICES = [("B1", "49.00"), ("B3", "80.00")]


def _money(value):
    return None if value is None else Decimal(value)


@transaction.atomic
def load(*, stdout=None) -> dict:
    today = timezone.localdate()
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=["9901", "9902"])}
    providers = {}
    for n, (key, (name, kind, base, groups, exclusions, works, people)) in enumerate(
        PROVIDERS.items(), start=1
    ):
        provider, _created = Provider.objects.update_or_create(
            registry_code=_code(n),
            defaults={
                "name": name,
                "type": kind,
                "offers_base_support": base,
                "offers_additional_support": True,
                "target_groups": groups,
                "exclusions": exclusions,
                "works_offered": works,
                "address": f"Näidise tn {n}, {('Metsaküla' if 'mets' in key else 'Järveranna')}",
                "email": f"info{n}@example.invalid",
                "phone": f"+372 000 {n:04d}",
                "fields_of_activity": "sotsiaalteenused",
            },
        )
        for person, qualification in people:
            specialist, _ = Specialist.objects.get_or_create(provider=provider, name=person)
            Qualification.objects.get_or_create(
                specialist=specialist,
                name=qualification,
                defaults={
                    "valid_from": date(today.year - 2, 1, 1),
                    "valid_to": date(today.year + 3, 12, 31),
                },
            )
        providers[key] = provider

    components = {c.code: c for c in Component.objects.all()}
    for code, number, key, ends_soon, prices in CONTRACTS:
        end = today + timedelta(days=20) if ends_soon else year_end
        contract, _ = Contract.objects.get_or_create(
            municipality=municipalities[code],
            number=number,
            defaults={
                "provider": providers[key],
                "start": year_start,
                "end": max(end, year_start),
                "maximum_amount": Decimal("60000.00"),
                "procurement_reference": f"2{number[-2:]}{today.year % 100}0",
            },
        )
        if contract.prices.exists():
            continue
        for component_code, individual, group in prices:
            ContractPrice.objects.create(
                contract=contract,
                component=components[component_code],
                valid_from=contract.start,
                unit_price_individual=_money(individual),
                unit_price_group=_money(group),
            )

    for municipality in municipalities.values():
        for component_code, price in DEFAULT_PRICES:
            DefaultPrice.objects.get_or_create(
                municipality=municipality,
                component=components[component_code],
                defaults={"unit_price_individual": Decimal(price), "valid_from": year_start},
            )

    _bind_demo_specialist(providers["mets_baas"])
    if stdout:
        stdout.write(f"Teenuseosutajad: {len(providers)}, lepinguid {len(CONTRACTS)}.")
    return {"providers": providers}


def _bind_demo_specialist(provider: Provider) -> None:
    """accounts/demo.py leaves the provider user to us: it needs a provider to exist."""
    for username, first, last, role, _municipality in USERS:
        if role != Role.PROVIDER:
            continue
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.invalid",
                "role": role,
                "provider": provider,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        specialist = provider.specialists.filter(name=f"{first} {last}").first()
        if specialist and specialist.user_id is None:
            specialist.user = user
            specialist.save()
