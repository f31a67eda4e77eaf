"""Every URL of the signed documents: KOV staff of the case file's municipality; a provider
specialist only the attendance sheets (print and upload) of persons they serve."""

from accounts.models import Role
from tests.access.table import KOV_STAFF, Route

PROVIDER = frozenset({Role.PROVIDER})
NOT_THE_PROVIDERS = {"provider_user": 404}


def _case(world):
    from tests.access.routes_cases import _case

    return _case(world)


def case_kwargs(world):
    return {"pk": _case(world).pk}


def _consent(world):
    from datetime import date

    from archive import services
    from tests.archive.files import pdf

    attachment = services.add_attachment(
        case=_case(world),
        kind="consent",
        document_date=date(2026, 3, 2),
        upload=pdf(),
        by=world.users["case_manager_a"],
    )
    return {"pk": attachment.pk}


def _sheet_query(world):
    from tests.access.routes_billing import _world

    delivery, _invoice = _world(world)
    return {"case": delivery.case_id, "month": "2026-04"}


ROUTES = [
    Route("archive:case_documents", roles=KOV_STAFF, kwargs=case_kwargs, scoped=True),
    Route(
        "archive:download",
        roles=KOV_STAFF | PROVIDER,
        kwargs=_consent,
        scoped=True,
        expect=NOT_THE_PROVIDERS,
    ),
    Route(
        "archive:replace",
        roles=KOV_STAFF | PROVIDER,
        kwargs=_consent,
        scoped=True,
        expect=NOT_THE_PROVIDERS,
    ),
    Route(
        "archive:remove",
        roles=KOV_STAFF | PROVIDER,
        kwargs=_consent,
        method="post",
        scoped=True,
        ok=302,
        expect=NOT_THE_PROVIDERS,
    ),
    Route("archive:attendance", roles=PROVIDER),
    Route(
        "archive:attendance_sheet",
        roles=KOV_STAFF | PROVIDER,
        data=_sheet_query,
        scoped=True,
    ),
]
