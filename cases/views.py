from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required


@role_required(Role.CASE_MANAGER, Role.COORDINATOR)
def home(request):
    """The case manager's start page: my persons and deadlines."""
    return render(request, "cases/home.html", {"municipality": request.user.municipality})
