from tugi.navigation import items_for


def navigation(request):
    return {"nav_items": items_for(getattr(request, "user", None), request.path)}
