"""The assessment instrument is data: versioned, immutable once published."""

import pytest
from django.db import IntegrityError, transaction

from assessments import selectors
from assessments.admin import InstrumentAdmin, ItemInline
from assessments.models import (
    Instrument,
    InstrumentItem,
    InstrumentKind,
    InstrumentLocked,
    ScaleLevel,
)
from tests.assessments.factories import assess


def test_the_first_published_versions_come_from_the_domain_brief(db):
    needs = selectors.current_instrument(InstrumentKind.NEEDS)
    assert needs.version == 1 and needs.is_published
    assert [i.code for i in needs.items.all()] == [
        "daily_living", "housing", "mobility", "physical_health", "mental_health", "risk_behaviour",
        "social_relations", "occupation", "leisure", "family",
    ]
    assert [(lv.value, lv.label) for lv in needs.levels.all()] == [
        (0, "toetust ei vaja"), (1, "juhendamine"), (2, "osaline toetus"), (3, "ulatuslik toetus"),
        (4, "täielik toetus"),
    ]
    qol = selectors.current_instrument(InstrumentKind.QOL)
    assert qol.items.count() == 10 and qol.levels.count() == 5


def test_a_published_version_refuses_changes_in_the_model(db):
    needs = selectors.current_instrument(InstrumentKind.NEEDS)
    needs.name = "Muudetud"
    with pytest.raises(InstrumentLocked):
        needs.save()
    item = needs.items.first()
    item.name = "Muudetud"
    with pytest.raises(InstrumentLocked):
        item.save()
    with pytest.raises(InstrumentLocked):
        needs.levels.first().delete()
    with pytest.raises(InstrumentLocked):
        InstrumentItem(instrument=needs, code="new", name="Uus").save()


@pytest.mark.parametrize(
    "change",
    [
        lambda i: Instrument.objects.filter(pk=i.pk).update(name="Muudetud"),
        lambda i: InstrumentItem.objects.filter(instrument=i).update(name="Muudetud"),
        lambda i: ScaleLevel.objects.filter(instrument=i).delete(),
        lambda i: InstrumentItem.objects.bulk_create([InstrumentItem(instrument=i, code="x", name="X")]),
    ],
    ids=["rename version", "reword domain", "delete scale", "add domain"],
)
def test_postgresql_refuses_a_change_to_a_published_version(db, change):
    needs = selectors.current_instrument(InstrumentKind.NEEDS)
    with pytest.raises(IntegrityError), transaction.atomic():
        change(needs)
    assert InstrumentItem.objects.get(instrument=needs, code="housing").name == "Eluase"


def _publish_v2_with_new_wording():
    v1 = selectors.current_instrument(InstrumentKind.NEEDS)
    v2 = Instrument.objects.create(kind=v1.kind, version=2, name=v1.name)
    for item in v1.items.all():
        InstrumentItem.objects.create(
            instrument=v2, code=item.code, order=item.order,
            name="Elukoht ja eluase" if item.code == "housing" else item.name,
        )
    for level in v1.levels.all():
        ScaleLevel.objects.create(instrument=v2, value=level.value, label=level.label.upper())
    v2.published_on = v1.published_on
    v2.save()
    return v2


def test_old_assessments_keep_their_wording_after_a_new_version_is_published(case, case_manager_a):
    old = assess(case, by=case_manager_a)
    v2 = _publish_v2_with_new_wording()

    renewed = assess(case, by=case_manager_a, level=1)

    assert old.instrument.version == 1 and renewed.instrument == v2
    old_rows = {row.name: row for row in selectors.assessment_rows(old)}
    assert "Eluase" in old_rows and old_rows["Eluase"].level.label == "osaline toetus"
    new_rows = {row.name: row for row in selectors.assessment_rows(renewed)}
    housing = new_rows["Elukoht ja eluase"]
    # Compared across versions by the domain's code.
    assert housing.level.label == "JUHENDAMINE"
    assert housing.previous_level.label == "osaline toetus"
    assert housing.change == -1


def test_the_admin_copies_a_published_version_into_a_new_draft(db, rf, admin_user):
    from django.contrib.admin.sites import site
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/")
    request.user = admin_user
    request.session = {}
    request._messages = FallbackStorage(request)
    model_admin = InstrumentAdmin(Instrument, site)
    v1 = selectors.current_instrument(InstrumentKind.NEEDS)
    model_admin.copy_as_new_version(request, Instrument.objects.filter(pk=v1.pk))

    draft = Instrument.objects.get(kind=InstrumentKind.NEEDS, version=2)
    assert not draft.is_published and draft.items.count() == 10 and draft.levels.count() == 5
    assert "name" in model_admin.get_readonly_fields(request, v1)
    assert "name" not in model_admin.get_readonly_fields(request, draft)
    inline = ItemInline(Instrument, site)
    assert not inline.has_change_permission(request, v1) and inline.has_change_permission(request, draft)
    model_admin.publish(request, Instrument.objects.filter(pk=draft.pk))
    assert selectors.current_instrument(InstrumentKind.NEEDS) == draft


def test_the_admin_shows_a_published_version_read_only(client, admin_user):
    v1 = selectors.current_instrument(InstrumentKind.NEEDS)
    client.force_login(admin_user)
    assert client.get("/admin/assessments/instrument/").status_code == 200
    page = client.get(f"/admin/assessments/instrument/{v1.pk}/change/").content.decode()
    assert "Eluase" in page
    assert 'name="name"' not in page and 'name="items-0-name"' not in page
