"""manage.py close_month KOV_CODE YYYY-MM: close a month and print the invoice, or the reasons."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Municipality
from billing import services
from tugi import workdays


class Command(BaseCommand):
    help = "Close a month of a municipality: prints the invoice number, due date and total."

    def add_arguments(self, parser):
        parser.add_argument("kov", help="The municipality's EHAK code.")
        parser.add_argument("month", help="YYYY-MM")

    def handle(self, *args, kov, month, **options):
        municipality = Municipality.objects.filter(code=kov).first()
        if municipality is None:
            raise CommandError(f"No municipality with code {kov}.")
        try:
            first = workdays.parse_month(month)
        except ValueError as exc:
            raise CommandError("The month is YYYY-MM, e.g. 2026-04.") from exc
        try:
            invoice = services.close_month(municipality=municipality, month=first, by=None)
        except services.BillingError as error:
            raise CommandError("The month cannot be closed:\n" + "\n".join(f"- {m}" for m in error.messages)) from error
        self.stdout.write(f"{invoice.number} {invoice.due_date:%d.%m.%Y} {invoice.total}")
