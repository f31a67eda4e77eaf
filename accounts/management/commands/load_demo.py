"""Load fictional demo data: ``manage.py load_demo [--if-empty] [--force]``. Safe to run twice.

The demo creates an ``admin`` superuser and users whose password is published in the README,
so with DEBUG off (a production-like database) it refuses unless ``--force`` is given."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from accounts import demo
from accounts.models import Municipality


class Command(BaseCommand):
    help = "Create two fictional municipalities, one user per role and each app's demo records."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has municipalities.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off: creates users with the published demo password.",
        )

    def handle(self, *args, if_empty=False, force=False, **options):
        translation.activate("et")
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG on väljas: näidisandmed looksid avaldatud parooliga kasutajad (ka admin). "
                "Kui see on tõesti arendus- või testandmebaas, lisage --force."
            )
        if if_empty and Municipality.objects.exists():
            self.stdout.write("Andmebaasis on juba andmed; näidisandmeid ei laaditud.")
        else:
            # LOCAL_APPS runs from reference data up to reports, so each app finds its dependencies.
            for app_name in settings.LOCAL_APPS:
                if find_spec(f"{app_name}.demo"):
                    import_module(f"{app_name}.demo").load(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS("Näidisandmed on laaditud."))
        self.print_logins()

    def print_logins(self):
        self.stdout.write("")
        self.stdout.write(f"Näidiskasutajad (parool kõigil: {demo.DEMO_PASSWORD}):")
        for username, role, municipality in demo.logins():
            where = f" — {municipality}" if municipality else ""
            self.stdout.write(f"  {username:<18} {role}{where}")
