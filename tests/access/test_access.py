"""Every URL × every persona: who gets the page, who gets 403, who 404, who the login page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access.table import NOT_OURS_PREFIXES, OTHER_PROVIDERS, PERSONAS, ROUTES, Route, World


@pytest.fixture
def world(
    kov_a,
    kov_b,
    case_manager_a,
    coordinator_a,
    case_manager_b,
    coordinator_b,
    provider_user,
    provider_user_2,
    provider_user_b,
    ska_user,
    admin_user,
):
    users = {
        "case_manager_a": case_manager_a,
        "coordinator_a": coordinator_a,
        "case_manager_b": case_manager_b,
        "coordinator_b": coordinator_b,
        "provider_user": provider_user,
        "provider_user_2": provider_user_2,
        "provider_user_b": provider_user_b,
        "ska_user": ska_user,
        "admin_user": admin_user,
    }
    return World(kov_a=kov_a, kov_b=kov_b, users=users)


def expected_status(route: Route, persona: str) -> int | str:
    if persona in route.expect:
        return route.expect[persona]
    if route.public:
        return "below 400"
    role, kov = PERSONAS[persona]
    if role is None:
        return "login"
    if role not in route.roles:
        return 403
    if route.scoped and (kov == "b" or persona in OTHER_PROVIDERS):
        return 404
    return route.ok


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_access(client, world, route, persona):
    kwargs = route.kwargs(world) if route.kwargs else {}
    url = reverse(route.name, kwargs=kwargs)
    if persona != "anonymous":
        client.force_login(world.users[persona])
    data = route.data(world) if route.data else None
    response = (
        getattr(client, route.method)(url, data=data)
        if data
        else getattr(client, route.method)(url)
    )
    expected = expected_status(route, persona)
    if expected == "login":
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:login"))
    elif expected == "below 400":
        assert response.status_code < 400
    else:
        assert response.status_code == expected, f"{persona} got {response.status_code} for {url}"


def _all_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_table():
    ours = {name for name in _all_url_names() if not name.startswith(NOT_OURS_PREFIXES)}
    missing = ours - {route.name for route in ROUTES}
    assert not missing, f"add these URLs to tests/access/routes_*.py: {sorted(missing)}"
