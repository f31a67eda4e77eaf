from django.shortcuts import render

from accounts.models import Role
from accounts.permissions import role_required


@role_required(Role.COORDINATOR)
def month_end(request):
    """The KOV coordinator's start page: month end."""
    return render(request, "billing/month_end.html", {"municipality": request.user.municipality})


@role_required(Role.PROVIDER)
def my_attendance(request):
    """The provider specialist's start page: my attendance."""
    return render(request, "billing/my_attendance.html")
