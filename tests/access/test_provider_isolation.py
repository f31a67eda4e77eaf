"""The write rows of the access table, read in the database: another provider of the same KOV
(provider_user_2) or of another KOV (provider_user_b) sending provider_user's sessions through
the week grid, the session form or the import writes nothing; provider_user writes one."""

import pytest
from django.urls import reverse

from billing.models import Delivery
from tests.access.table import ROUTES
from tests.access.test_access import world as world  # the personas, as a fixture

#: The table's own POST rows of the grid, the session form and the import.
WRITES = {
    route.name: route.data
    for route in ROUTES
    if route.method == "post" and route.name in ("billing:my_attendance", "billing:delivery_add", "billing:import")
}


def test_the_table_has_the_three_write_rows():
    assert len(WRITES) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(WRITES))
@pytest.mark.parametrize("persona", ["provider_user_2", "provider_user_b"])
def test_another_provider_cannot_write_provider_users_sessions(client, world, name, persona):
    data = WRITES[name](world)
    before = Delivery.objects.count()
    client.force_login(world.users[persona])
    response = client.post(reverse(name), data)
    assert response.status_code == 200
    assert Delivery.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(WRITES))
def test_provider_user_writes_its_own_session(client, world, name):
    data = WRITES[name](world)
    before = Delivery.objects.count()
    client.force_login(world.users["provider_user"])
    assert client.post(reverse(name), data).status_code == 302
    assert Delivery.objects.count() == before + 1
    assert Delivery.objects.latest("pk").provider == world.users["provider_user"].provider
