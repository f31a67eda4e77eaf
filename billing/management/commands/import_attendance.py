"""manage.py import_attendance FILE --kov CODE: the same all-or-nothing import as the page.

Speaks Estonian (the catalogue's messages) unless ``--lang en`` is given."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Municipality
from billing import imports, services


class Command(BaseCommand):
    help = "Import an attendance file (XLSX or CSV) for a municipality; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kov", required=True, help="The municipality's EHAK code.")
        parser.add_argument("--lang", default="et", choices=["et", "en"], help="Language of the messages.")

    def handle(self, *args, file, kov, lang, **options):
        with translation.override(lang):
            self._import(file, kov)

    def _import(self, file, kov):
        municipality = Municipality.objects.filter(code=kov).first()
        if municipality is None:
            raise CommandError(_("No municipality with the code %(code)s.") % {"code": kov})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        try:
            imports.check_size(path.stat().st_size)
            result = imports.import_attendance(
                content=path.read_bytes(), filename=path.name, municipality=municipality, by=None
            )
        except imports.ImportRefused as refused:
            raise CommandError(
                _("The file was refused; nothing was imported.") + "\n"
                + "\n".join(refused.messages)
            ) from refused
        except services.BillingError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(ngettext("%(n)s session imported.", "%(n)s sessions imported.", result.created)
                          % {"n": result.created})
        for line, message in result.already:
            self.stdout.write(_("Line %(line)s: %(reason)s") % {"line": line, "reason": message}
                              + " " + _("Not added again."))
