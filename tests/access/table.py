"""The table of every URL the project has × every persona.

Each app keeps its rows in ``tests/access/routes_<app>.py`` and this module
gathers them. ``test_access.py`` requests every row as every persona and checks
the answer; ``test_every_url_is_in_the_table`` fails when a URL has no row, so
the table grows with the project.

Expectations for a row (unless ``expect`` overrides a persona):

- ``public``: any persona gets an answer below 400;
- anonymous: redirected to the login page;
- a role outside ``roles``: 403;
- ``scoped`` rows show a record of KOV A (and of provider_user's provider): a persona of
  another KOV, or another provider (``OTHER_PROVIDERS``), gets 404;
- otherwise ``ok`` (200 unless the row says e.g. 302).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.models import Role


@dataclass
class World:
    """What a row's ``kwargs`` may build on: the two municipalities and the personas."""

    kov_a: object
    kov_b: object
    users: dict


@dataclass(frozen=True)
class Route:
    name: str
    roles: frozenset = frozenset()
    kwargs: Callable[[World], dict] | None = None
    method: str = "get"
    data: Callable[[World], dict] | None = None
    public: bool = False
    scoped: bool = False
    ok: int = 200
    expect: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}"


KOV_STAFF = frozenset({Role.CASE_MANAGER, Role.COORDINATOR})

#: Personas: (role or None for anonymous, the KOV the persona belongs to: "a", "b" or None).
PERSONAS = {
    "anonymous": (None, None),
    "case_manager_a": (Role.CASE_MANAGER, "a"),
    "coordinator_a": (Role.COORDINATOR, "a"),
    "case_manager_b": (Role.CASE_MANAGER, "b"),
    "coordinator_b": (Role.COORDINATOR, "b"),
    "provider_user": (Role.PROVIDER, "a"),
    # Another provider under contract with KOV A, and a provider of KOV B only: neither may
    # see or change provider_user's persons, plans or sessions.
    "provider_user_2": (Role.PROVIDER, "a"),
    "provider_user_b": (Role.PROVIDER, "b"),
    "ska_user": (Role.SKA, None),
    "admin_user": (Role.ADMIN, None),
}

#: Providers other than the one whose records the scoped rows show: a scoped row is 404 to them.
OTHER_PROVIDERS = frozenset({"provider_user_2", "provider_user_b"})

#: URL names that are Django's own machinery, not pages of ours.
NOT_OURS_PREFIXES = ("admin:",)


def _collect() -> list[Route]:
    from tests.access import (
        routes_accounts,
        routes_archive,
        routes_assessments,
        routes_billing,
        routes_cases,
        routes_components,
        routes_providers,
        routes_reporting,
    )

    rows: list[Route] = []
    for module in (
        routes_accounts,
        routes_cases,
        routes_assessments,
        routes_billing,
        routes_archive,
        routes_reporting,
        routes_components,
        routes_providers,
    ):
        rows.extend(module.ROUTES)
    return rows


ROUTES = _collect()
