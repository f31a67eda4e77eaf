from django.shortcuts import render
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import role_required

from .models import Component


@role_required(Role.COORDINATOR, Role.CASE_MANAGER, Role.SKA, Role.ADMIN, Role.PROVIDER)
def catalogue(request):
    """The component catalogue; retired components stay listed, marked as retired."""
    return render(
        request,
        "components/catalogue.html",
        {"components": Component.objects.all(), "today": timezone.localdate()},
    )
