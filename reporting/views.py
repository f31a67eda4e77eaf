from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required, visible_municipalities


@role_required(Role.SKA, Role.COORDINATOR, Role.ADMIN)
def home(request):
    """SKA staff's start page: the monthly reports of every municipality they may see."""
    return render(
        request, "reporting/home.html", {"municipalities": visible_municipalities(request.user)}
    )
