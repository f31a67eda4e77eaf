"""The accounts app's own menu entry and start page: the administrators' admin site.

The menu itself and every other app's entries live in ``tugi.navigation`` and in each app's
own ``navigation.py``; accounts names no other app's page."""

from django.utils.translation import gettext_lazy as _

from tugi import navigation

from .models import Role

navigation.add(_("Administration"), "admin:index", roles={Role.ADMIN}, order=100)
navigation.start_page(Role.ADMIN, "admin:index")
