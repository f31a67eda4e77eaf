"""manage.py import_attendance FILE --user USERNAME [--kov CODE]: the same all-or-nothing import
as the page, as that user: the same reach (a provider's specialist reaches only the persons
their provider serves; anyone else gets the neutral message), the same rules and messages.

Speaks Estonian (the catalogue's messages) unless ``--lang en`` is given."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role
from accounts.permissions import has_role, visible_municipalities
from billing import imports, services

#: Who may import, as on the page (billing.views.import_attendance).
IMPORT_ROLES = (Role.COORDINATOR, Role.PROVIDER)


class Command(BaseCommand):
    help = "Import an attendance file (XLSX or CSV) as a user, for a municipality; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True,
                            help="The username the import is made as (their reach and rules apply).")
        parser.add_argument("--kov", help="The municipality's EHAK code (default: the user's municipality).")
        parser.add_argument("--lang", default="et", choices=["et", "en"], help="Language of the messages.")

    def handle(self, *args, file, user, kov, lang, **options):
        with translation.override(lang):
            self._import(file, user, kov)

    def _import(self, file, username, kov):
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not has_role(user, *IMPORT_ROLES):
            # One message for a missing user and a user without the right: the same as the page's refusal.
            raise CommandError(_("The user %(user)s may not import attendance.") % {"user": username})
        municipalities = visible_municipalities(user)
        if kov:
            municipality = municipalities.filter(code=kov).first()
        else:
            municipality = municipalities.filter(pk=user.municipality_id).first() if user.municipality_id else None
        if municipality is None:
            raise CommandError(
                _("Give the code of a municipality the user %(user)s works for (--kov).") % {"user": username}
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        try:
            imports.check_size(path.stat().st_size)
            result = imports.import_attendance(
                content=path.read_bytes(), filename=path.name, municipality=municipality, by=user
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
