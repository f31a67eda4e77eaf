"""Hostile input on every endpoint, as property tests (hypothesis).

For every row of the access table (tests/access/) an allowed persona sends the endpoint's
query parameters and form fields — read from the forms its page renders, plus the parameters
views read themselves — filled with NUL bytes, huge numbers, impossible or out-of-range dates
and over-long text. Every answer is below 500. An answer that refuses (4xx, or the page again
with its form errors) changed nothing in the database; a redirect is the endpoint's success,
taken only when the hostile values happen to be valid input (free text of any length, an
action button that has no fields). The sign-in attempts axes records, the access log and
sessions are writes by design and left out of the comparison."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access.table import ROUTES, Route
from tests.access.test_access import expected_status
from tests.access.test_access import world as world  # the personas, as a fixture

pytestmark = pytest.mark.django_db

#: Parameters views read from the address themselves (not through a rendered form).
VIEW_PARAMETERS = ["q", "month", "week", "page", "apage", "state", "scope", "kind", "status", "next"]
#: Written by design whatever the input: failed sign-ins, the log of who viewed whom, sessions.
NOT_COMPARED = {"axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "accounts_accesslog",
                "django_session"}
PREFERRED = ["coordinator_a", "case_manager_a", "provider_user", "ska_user", "admin_user", "anonymous"]

huge_numbers = st.sampled_from(
    ["9" * 40, "-" + "9" * 40, "2147483648", "9223372036854775808", "1e309", "NaN", "-0", "1" + "0" * 20]
)
impossible_dates = st.sampled_from(
    ["2026-13", "2026-02-30", "9999-12-31", "0001-01-01", "31.02.2026", "00.00.0000", "10000-01-01",
     "2026-00", "9999-12", "0001-01", "99.99.9999", "2026-W99"]
)
over_long = st.integers(min_value=300, max_value=20_000).map(lambda n: "ä" * n)
with_nul = st.text(max_size=20).map(lambda t: t + "\x00" + t)
hostile_value = st.one_of(huge_numbers, impossible_dates, over_long, with_nul, st.text(max_size=40))


class _Fields(HTMLParser):
    """The names of a page's inputs, split into GET forms and POST forms."""

    def __init__(self):
        super().__init__()
        self.get, self.post, self._method = set(), set(), None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._method = (attrs.get("method") or "get").lower()
        elif tag in ("input", "select", "textarea") and attrs.get("name") and self._method:
            name = attrs["name"]
            if name != "csrfmiddlewaretoken" and attrs.get("type") != "file":
                (self.post if self._method == "post" else self.get).add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._method = None


def persona_for(route: Route) -> str:
    if route.public:
        return "anonymous"
    return next(p for p in PREFERRED if expected_status(route, p) == route.ok)


def fingerprint() -> dict:
    """Row count and a hash of every row, per table."""
    tables = [t for t in connection.introspection.table_names() if t not in NOT_COMPARED]
    sql = " UNION ALL ".join(
        f"SELECT '{t}', count(*), coalesce(sum(hashtext(x::text)::bigint), 0) FROM \"{t}\" x" for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0]: row[1:] for row in cursor.fetchall()}


def _fields(client, route: Route, url: str) -> _Fields:
    parser = _Fields()
    if route.method == "get":
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_hostile_parameters_and_fields_never_give_a_server_error_nor_write(client, world, route):
    kwargs = route.kwargs(world) if route.kwargs else {}
    url = reverse(route.name, kwargs=kwargs)
    persona = persona_for(route)
    if persona != "anonymous":
        client.force_login(world.users[persona])
    fields = _fields(client, route, url)
    get_names = sorted(fields.get | set(VIEW_PARAMETERS))
    post_names = sorted(fields.post | set(route.data(world) if route.data else ()))
    if route.method == "post" and not post_names:
        post_names = ["x"]

    @settings(max_examples=4, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=st.data())
    def attack(data):
        query = data.draw(st.dictionaries(st.sampled_from(get_names), hostile_value, max_size=4), "query")
        before = fingerprint()
        response = client.get(url, query)
        assert response.status_code < 500, (url, query)
        if post_names and (route.method == "post" or fields.post):
            form = data.draw(
                st.fixed_dictionaries({name: hostile_value for name in post_names}), "form"
            )
            response = client.post(url, form)
            assert response.status_code < 500, (url, form)
            if response.status_code in (301, 302, 303):
                return
        assert fingerprint() == before, (url, "refused, yet wrote to the database")

    attack()
