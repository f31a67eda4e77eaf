"""The archive's menu entries (see ``tugi.navigation``)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from tugi import navigation

navigation.add(_("Attendance sheets"), "archive:attendance", roles={Role.PROVIDER}, order=30)
