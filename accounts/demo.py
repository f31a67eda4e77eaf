"""Demo data of the accounts app: two fictional municipalities and one user per role.

Every name and code here is made up. Other apps add a ``demo.py`` with a
``load(*, stdout)`` function; ``manage.py load_demo`` runs them in app order."""

from django.db import transaction

from .models import Municipality, Role, User

DEMO_PASSWORD = "tugi-demo-2026"

MUNICIPALITIES = [
    # name, EHAK-like code (fictional, outside the real range), registry code (valid checksum, fictional)
    ("Metsaküla vald", "9901", "77000016"),
    ("Järveranna linn", "9902", "77000022"),
]

# username, first name, last name, role, municipality code
USERS = [
    ("kj.metsakula", "Maarika", "Mänd", Role.CASE_MANAGER, "9901"),
    ("koord.metsakula", "Kalev", "Kask", Role.COORDINATOR, "9901"),
    ("kj.jarveranna", "Liisa", "Lepp", Role.CASE_MANAGER, "9902"),
    ("koord.jarveranna", "Tõnu", "Tamm", Role.COORDINATOR, "9902"),
    ("spetsialist", "Piret", "Pärn", Role.PROVIDER, None),
    ("ska", "Siim", "Saar", Role.SKA, None),
    ("admin", "Anne", "Arukask", Role.ADMIN, None),
]


@transaction.atomic
def load(*, stdout=None) -> dict:
    municipalities = {}
    for name, code, registry_code in MUNICIPALITIES:
        municipalities[code], _ = Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "registry_code": registry_code}
        )
    users = {}
    for username, first, last, role, code in USERS:
        if role == Role.PROVIDER:
            continue  # providers/demo.py creates it: it must be bound to a provider
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.invalid",
                "role": role,
                "municipality": municipalities.get(code),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
    return {"municipalities": municipalities, "users": users}


def logins() -> list[tuple[str, str, str]]:
    """(username, role, municipality) of every demo user, for printing."""
    rows = []
    for username, _first, _last, role, code in USERS:
        name = next((n for n, c, _r in MUNICIPALITIES if c == code), "")
        rows.append((username, str(role.label), name))
    return rows
