"""Every URL of attendance, month end and invoices. Providers see only their own provider's
deliveries; SKA sees submitted invoices of every KOV but no attendance rows."""

from datetime import date

from accounts.models import Role
from tests.access.table import KOV_STAFF, Route

COORDINATOR = frozenset({Role.COORDINATOR})
PROVIDER = frozenset({Role.PROVIDER})
ENTRY = KOV_STAFF | PROVIDER
IMPORTERS = frozenset({Role.COORDINATOR, Role.PROVIDER})
INVOICE_READERS = frozenset({Role.COORDINATOR, Role.SKA, Role.ADMIN})


def _world(world):
    """KOV A with the provider_user's provider, one delivery in 04.2026 and a submitted invoice."""
    from billing import services
    from billing.models import Delivery, Invoice
    from tests.billing.factories import build_world

    delivery = Delivery.objects.filter(municipality=world.kov_a).first()
    if delivery is None:
        coordinator = world.users["coordinator_a"]
        built = build_world(world.kov_a, provider_user=world.users["provider_user"])
        delivery = services.record_deliveries(drafts=[built.draft()], by=coordinator)[0]
        invoice = services.close_month(
            municipality=world.kov_a, month=date(2026, 4, 1), by=coordinator, today=date(2026, 5, 4)
        )
        services.submit_invoice(invoice=invoice, by=coordinator)
    return delivery, Invoice.objects.get(municipality=world.kov_a)


def delivery(world):
    return {"pk": _world(world)[0].pk}


def invoice(world):
    return {"pk": _world(world)[1].pk}


def agreement(world):
    _world(world)
    from billing.models import FundingAgreement

    return {"pk": FundingAgreement.objects.filter(municipality=world.kov_a).first().pk}


def evaluation(world):
    from billing.models import InterimEvaluation

    agreement_pk = agreement(world)["pk"]
    found = InterimEvaluation.objects.filter(agreement_id=agreement_pk).first()
    if found is None:
        found = InterimEvaluation.objects.create(agreement_id=agreement_pk, date=date(2026, 4, 30), participants=9)
    return {"pk": found.pk}


def import_job(world):
    """A background import sent by KOV A's coordinator, still waiting: only they may follow it."""
    from billing.models import ImportJob

    coordinator = world.users["coordinator_a"]
    job = ImportJob.objects.filter(requested_by=coordinator).first() or ImportJob.objects.create(
        municipality=world.kov_a, requested_by=coordinator, filename="osalemine.csv", size=1, content=b"x",
    )
    return {"pk": job.pk}


def month(world):
    _world(world)
    return {"month": "2026-04"}


# --- Writes of provider_user's sessions (May 2026, an open month) by every persona. Only
# provider_user, and KOV A's staff where the page is theirs too, may write them; another
# provider of KOV A (provider_user_2) or of KOV B (provider_user_b) gets its form back with
# the refusal and nothing is written (tests/access/test_provider_isolation.py checks the rows).

MAY = date(2026, 5, 5)


def _line(world):
    _world(world)
    from assessments.models import PlanLine

    return PlanLine.objects.filter(
        plan__case__municipality=world.kov_a, provider=world.users["provider_user"].provider,
        component__code="L23",
    ).order_by("pk").first()


def grid_week(world):
    line = _line(world)
    return {"week": MAY.isoformat(), f"c-{line.pk}-{MAY.isoformat()}": "45"}


def session_form(world):
    from providers.models import Specialist

    line = _line(world)
    provider = world.users["provider_user"].provider
    return {
        "case": line.plan.case_id, "component": line.component_id, "provider": provider.pk,
        "specialist": Specialist.objects.get(user=world.users["provider_user"]).pk,
        "date": MAY.isoformat(), "minutes": "45", "form": "I",
    }


def import_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from billing import imports

    line = _line(world)
    row = [line.plan.case.person.isikukood, f"{MAY:%d.%m.%Y}", "L23",
           world.users["provider_user"].provider.registry_code, "45", "I", "Pille Pakkuja", ""]
    content = (";".join(imports.COLUMNS) + "\n" + ";".join(row) + "\n").encode()
    return {"municipality": world.kov_a.pk, "file": SimpleUploadedFile("osalemine.csv", content)}


OTHER_PROVIDERS_REFUSED = {"provider_user_2": 200, "provider_user_b": 200}


ROUTES = [
    Route("billing:month_end", roles=COORDINATOR),
    Route("billing:month_check", roles=COORDINATOR),
    Route("billing:month_closing", roles=COORDINATOR),
    Route("billing:month_submission", roles=COORDINATOR),
    Route("billing:month_dashboard", roles=COORDINATOR),
    Route("billing:my_attendance", roles=PROVIDER),
    Route("billing:specialist_home", roles=PROVIDER),
    Route("billing:delivery_list", roles=ENTRY),
    Route("billing:delivery_add", roles=ENTRY),
    # Case managers, coordinators of KOV A and the delivering provider's specialist.
    Route("billing:delivery_edit", roles=ENTRY, kwargs=delivery, scoped=True),
    Route("billing:delivery_delete", roles=ENTRY, kwargs=delivery, scoped=True),
    Route("billing:warning_accept", roles=COORDINATOR, kwargs=delivery, scoped=True),
    Route("billing:delivery_correct", roles=COORDINATOR, kwargs=delivery, scoped=True),
    Route("billing:import", roles=IMPORTERS),
    Route("billing:import", roles=IMPORTERS, method="post", data=import_file, ok=302,
          expect={**OTHER_PROVIDERS_REFUSED, "coordinator_b": 200}),
    Route("billing:my_attendance", roles=PROVIDER, method="post", data=grid_week, ok=302,
          expect=OTHER_PROVIDERS_REFUSED),
    Route("billing:delivery_add", roles=ENTRY, method="post", data=session_form, ok=302,
          expect={**OTHER_PROVIDERS_REFUSED, "case_manager_b": 200, "coordinator_b": 200}),
    Route("billing:import_template", roles=IMPORTERS, kwargs=lambda w: {"fmt": "xlsx"}),
    Route("billing:import_job", roles=IMPORTERS, kwargs=import_job, scoped=True, expect={"provider_user": 404}),
    Route("billing:month_close", roles=COORDINATOR, method="post", data=month, ok=302),
    Route("billing:month_recheck", roles=COORDINATOR, method="post", data=month, ok=302),
    Route("billing:warnings_accept", roles=COORDINATOR, method="post", data=month, ok=302),
    Route("billing:month_reopen", roles=COORDINATOR, method="post", data=month, ok=302),
    Route("billing:invoice_list", roles=INVOICE_READERS),
    Route("billing:invoice_detail", roles=INVOICE_READERS, kwargs=invoice, scoped=True),
    Route("billing:invoice_einvoice", roles=INVOICE_READERS, kwargs=invoice, scoped=True),
    Route("billing:invoice_submit", roles=COORDINATOR, kwargs=invoice, method="post", data=lambda w: {"x": "1"},
          scoped=True, ok=302),
    Route("billing:invoice_review", roles=frozenset({Role.SKA}), kwargs=invoice, method="post",
          data=lambda w: {"decision": "accept"}, ok=302),
    Route("billing:agreement_list", roles=INVOICE_READERS),
    Route("billing:agreement_detail", roles=INVOICE_READERS, kwargs=agreement, scoped=True),
    Route("billing:agreement_add", roles=COORDINATOR),
    Route("billing:agreement_edit", roles=COORDINATOR, kwargs=agreement, scoped=True),
    Route("billing:evaluation_add", roles=COORDINATOR, kwargs=agreement, scoped=True),
    Route("billing:evaluation_edit", roles=COORDINATOR, kwargs=evaluation, scoped=True),
]
