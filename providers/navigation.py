"""The providers app's menu entries (see ``tugi.navigation``)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from tugi import navigation

navigation.add(_("Providers and contracts"), "providers:home", roles={Role.COORDINATOR}, order=30)
navigation.add(_("Provider register"), "providers:register", roles={Role.SKA}, order=30)
