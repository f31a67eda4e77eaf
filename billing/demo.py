"""Demo billing data: a funding agreement for each demo municipality, a few months of sessions
for the demo persons' plan lines, the month before last closed and submitted to SKA, last month
and the current month open. Everything goes through the services, so the rules hold; dates are
relative to today. Safe to run twice."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from accounts.models import Municipality, Role, User
from cases.models import Case
from providers.models import Specialist
from tugi.workdays import add_months, month_end, month_start

from . import imports, plans, services
from .models import Delivery, FundingAgreement, InterimEvaluation, MonthState, Status
from .selectors import month_state, participants_on

AGREEMENTS = {
    # municipality code: (agreement number, planned places, monthly fee, maximum amount)
    "9901": ("SKA-MK-1", 20, "12000.00", "400000.00"),
    "9902": ("SKA-JR-1", 15, "9000.00", "300000.00"),
}
#: The KOVs' invoicing details (fictional; the IBANs are banks' published example accounts).
SELLERS = {
    "9901": {"street_address": "Metsa tee 1", "postal_code": "71001", "city": "Metsaküla",
             "iban": "EE382200221020145685", "reference_number": "1234561",
             "contact_name": "Koordinaator Metsakülast", "contact_phone": "+372 5550 0001"},
    "9902": {"street_address": "Ranna pst 2", "postal_code": "72002", "city": "Järveranna",
             "iban": "EE471000001020145685", "reference_number": "",
             "contact_name": "Koordinaator Järverannast", "contact_phone": "+372 5550 0002"},
}
MONTHS_OF_SESSIONS = 3


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(text)


@transaction.atomic
def _agreement(municipality: Municipality, today) -> FundingAgreement:
    """The agreement starts in the month the KOV's first demo person entered, so the persons'
    entry dates fall inside it; the interim evaluations (end of stage I, then yearly, up to
    today) count the participants the data has on their dates."""
    number, places, fee, maximum = AGREEMENTS[municipality.code]
    first_entry = Case.objects.filter(municipality=municipality, entry_date__isnull=False).aggregate(
        first=Min("entry_date")
    )["first"]
    start = month_start(min(first_entry, today)) if first_entry else today.replace(month=1, day=1)
    agreement, _ = FundingAgreement.objects.get_or_create(
        municipality=municipality, number=number,
        defaults={
            "start_date": start, "planned_places": places,
            "monthly_fee": Decimal(fee), "maximum_amount": Decimal(maximum), **SELLERS[municipality.code],
        },
    )
    if not agreement.evaluations.exists():
        day, year = agreement.stage_one_end, 0
        while day < today:
            InterimEvaluation.objects.create(
                agreement=agreement, date=day, participants=participants_on(municipality, day),
                note=("I etapi lõpu" if year == 0 else "Iga-aastane") + " vahehindamine (näidisandmed)",
            )
            year += 1
            day = add_months(agreement.stage_one_end + timedelta(days=1), 12 * year) - timedelta(days=1)
    return agreement


def _sessions(municipality: Municipality, first, last, by) -> int:
    """One hour a week (90 minutes in a group) of every plan line in force, on a weekday, as the
    provider's first specialist, up to the line's monthly hours (at most 4 sessions).

    The month's sessions go in as one attendance file, the way a provider sends them, so every
    rule of the catalogue holds. A session the catalogue refuses (the person had not entered yet
    on that day, say) is left out and the line's next week taken instead, and the file sent again."""
    candidates: list[tuple[int, int, dict]] = []  # (plan line, sessions wanted, file row)
    for line in plans.provider_lines_of_municipality(municipality_id=municipality.pk, start=first, end=last):
        specialist = Specialist.objects.filter(provider=line.provider).order_by("pk").first()
        isikukood = line.plan.case.person.isikukood
        if specialist is None or not isikukood or not line.provider.registry_code:
            continue
        wanted = max(1, min(4, int(line.monthly_quantity)))
        day = first + timedelta(days=(line.pk % 3))
        while day <= last:
            if day.weekday() < 5 and line.valid_from <= day and (line.valid_to is None or day <= line.valid_to):
                candidates.append((line.pk, wanted, {
                    "isikukood": isikukood, "kuupaev": f"{day:%d.%m.%Y}", "komponent": line.component.code,
                    "teenuseosutaja": line.provider.registry_code, "minutid": 60 if line.form == "I" else 90,
                    "vorm": line.form, "spetsialist": specialist.name, "saaja": "",
                }))
                day += timedelta(days=7)
            else:
                day += timedelta(days=1)
    refused: set[int] = set()
    while True:
        chosen, taken = [], defaultdict(int)
        for index, (line_pk, wanted, _row) in enumerate(candidates):
            if index not in refused and taken[line_pk] < wanted:
                taken[line_pk] += 1
                chosen.append(index)
        if not chosen:
            return 0
        try:
            return imports.import_attendance(
                content=_file([candidates[i][2] for i in chosen]), filename="naidis.csv",
                municipality=municipality, by=by,
            ).created
        except imports.ImportRefused as refusal:
            lines = set(refusal.problems)
            if 0 in lines:  # the file as a whole: nothing to leave out
                raise
            refused |= {chosen[line - 2] for line in lines}  # line 1 is the header


def _file(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def load(*, stdout=None) -> dict:
    today = timezone.localdate()
    this_month = month_start(today)
    closed = add_months(this_month, -2)
    summary = {}
    for code in AGREEMENTS:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        coordinator = User.objects.filter(role=Role.COORDINATOR, municipality=municipality).first()
        _agreement(municipality, today)
        created = 0
        if not Delivery.objects.filter(municipality=municipality).exists():
            for back in range(MONTHS_OF_SESSIONS, -1, -1):
                first = add_months(this_month, -back)
                last = min(month_end(first), today - timedelta(days=1))
                if last >= first:
                    created += _sessions(municipality, first, last, coordinator)
        state = month_state(municipality, closed)
        if state is None or state.state == MonthState.OPEN:
            for delivery in Delivery.objects.filter(
                municipality=municipality, date__gte=closed, date__lte=month_end(closed), status=Status.WARNING
            ):
                services.accept_warning(delivery=delivery, reason="Näidisandmed: plaan uueneb", by=coordinator)
            try:
                invoice = services.close_month(municipality=municipality, month=closed, by=coordinator)
                services.submit_invoice(invoice=invoice, by=coordinator)
            except services.BillingError as error:
                _say(stdout, f"{municipality}: {closed:%m.%Y} jäi sulgemata: {error.message}")
        summary[code] = created
        _say(stdout, f"{municipality}: {created} näidiskorda, {closed:%m.%Y} suletud ja SKA-le esitatud.")
    return summary
