"""manage.py import_attendance FILE --kov CODE: the same all-or-nothing import as the page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Municipality
from billing import imports


class Command(BaseCommand):
    help = "Import an attendance file (XLSX or CSV) for a municipality; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kov", required=True, help="The municipality's EHAK code.")

    def handle(self, *args, file, kov, **options):
        municipality = Municipality.objects.filter(code=kov).first()
        if municipality is None:
            raise CommandError(f"No municipality with code {kov}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            result = imports.import_attendance(
                content=path.read_bytes(), filename=path.name, municipality=municipality, by=None
            )
        except imports.ImportRefused as refused:
            raise CommandError(
                "File refused, nothing imported:\n" + "\n".join(f"line {n}: {r}" for n, r in refused.lines)
            ) from refused
        self.stdout.write(f"Imported {result.created} sessions; {result.skipped} already recorded.")
