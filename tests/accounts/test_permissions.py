"""The one place that says who sees which municipality's records."""

import pytest

from accounts.models import AccessLog, Municipality
from accounts.permissions import (
    CASE_ROLES,
    can_see_municipality,
    scope,
    start_url,
    visible_municipalities,
)


def test_kov_staff_see_only_their_own_municipality(kov_a, kov_b, case_manager_a, coordinator_b):
    assert list(visible_municipalities(case_manager_a)) == [kov_a]
    assert list(visible_municipalities(coordinator_b)) == [kov_b]
    assert not can_see_municipality(case_manager_a, kov_b)


def test_ska_and_admin_see_every_municipality(kov_a, kov_b, ska_user, admin_user):
    assert set(visible_municipalities(ska_user)) == {kov_a, kov_b}
    assert set(visible_municipalities(admin_user)) == {kov_a, kov_b}


def test_provider_specialist_sees_only_municipalities_contracted_with_their_provider(
    kov_a, kov_b, provider_user
):
    assert list(visible_municipalities(provider_user)) == [kov_a]
    assert not can_see_municipality(provider_user, kov_b)


def test_anonymous_and_inactive_users_see_nothing(kov_a, case_manager_a):
    from django.contrib.auth.models import AnonymousUser

    assert not visible_municipalities(AnonymousUser()).exists()
    case_manager_a.is_active = False
    assert not visible_municipalities(case_manager_a).exists()


def test_scope_filters_a_queryset_by_the_municipality_path(
    kov_a, kov_b, case_manager_a, case_manager_b, ska_user
):
    records = Municipality.objects.all()
    assert list(scope(records, case_manager_a, field="pk")) == [kov_a]
    assert list(scope(records, case_manager_b, field="pk")) == [kov_b]
    assert scope(records, ska_user, field="pk").count() == 2


def test_scope_with_roles_hides_case_data_from_ska(kov_a, ska_user, case_manager_a):
    records = Municipality.objects.all()
    assert not scope(records, ska_user, field="pk", roles=CASE_ROLES).exists()
    assert scope(records, case_manager_a, field="pk", roles=CASE_ROLES).exists()


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("case_manager_a", "/cases/"),
        ("coordinator_a", "/billing/month-end/"),
        ("provider_user", "/billing/start/"),
        ("ska_user", "/reports/"),
        ("admin_user", "/admin/"),
    ],
)
def test_each_role_has_its_own_start_page(request, persona, url):
    assert start_url(request.getfixturevalue(persona)) == url


def test_the_access_log_records_who_whom_when_and_from_where(rf, case_manager_a, kov_a):
    from accounts.services import log_access

    request = rf.get("/cases/1/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Testbrauser")
    request.user = case_manager_a
    entry = log_access(request=request, subject=kov_a, municipality=kov_a)
    entry.refresh_from_db()
    assert (entry.user, entry.role, entry.subject, entry.ip_address, entry.path) == (
        case_manager_a,
        "case_manager",
        kov_a,
        "10.1.2.3",
        "/cases/1/",
    )
    assert AccessLog.objects.filter(subject_id=kov_a.pk).count() == 1


def test_only_the_most_specific_menu_link_is_marked_current(ska_user):
    from tugi.navigation import items_for

    active = [item["url"] for item in items_for(ska_user, "/reports/months/") if item["active"]]
    assert active == ["/reports/months/"]
