"""The menu, each role's start page and the links of the start pages' tasks, filled by the apps.

Each app declares what it offers in its own ``navigation.py`` (found at start-up by
:func:`autodiscover`, the way the admin finds ``admin.py``), so no app names another app's
pages::

    from tugi import navigation

    navigation.add(_("Month end"), "billing:month_end", roles={Role.COORDINATOR}, order=20)
    navigation.start_page(Role.COORDINATOR, "billing:month_end")
    navigation.task_link("assessment", lambda case: reverse("assessments:case", args=[case.pk]))

The registry knows no domain: roles are plain values, and ``visible`` is any
``user -> bool`` an app supplies (e.g. "may generate one of the report kinds").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset
    order: int = 100
    visible: Callable | None = None


_items: dict[tuple[str, frozenset], NavItem] = {}
_start_pages: dict[str, str] = {}
_task_links: dict[str, Callable] = {}
_task_notes: dict[str, Callable] = {}
_task_actions: dict[str, Callable] = {}


@dataclass(frozen=True)
class Action:
    """How a step is taken from the case file's button: a page (``post`` False) or a button
    that posts (starting an assessment creates its draft). ``label`` replaces the step's own
    wording when the app says more (a plan made by someone else is read, not made)."""

    url: str
    post: bool = False
    label: str = ""


def autodiscover() -> None:
    """Import every installed app's ``navigation`` module (once; Python caches the imports)."""
    autodiscover_modules("navigation")


def add(
    label: str | Promise,
    url_name: str,
    *,
    roles: Iterable,
    order: int = 100,
    visible: Callable | None = None,
) -> NavItem:
    """A menu link to ``url_name`` for users of ``roles`` (and, with ``visible``, only those
    for whom it answers True). Links run by ``order``, then by the order they were added."""
    item = NavItem(label, url_name, frozenset(roles), order, visible)
    _items[url_name, item.roles] = item
    return item


def start_page(role, url_name: str) -> None:
    """``url_name`` is where users of ``role`` land after signing in (one page per role)."""
    if _start_pages.get(role, url_name) != url_name:
        raise ValueError(f"{role} already starts at {_start_pages[role]}, not {url_name}")
    _start_pages[role] = url_name


def task_link(
    kind: str, url_for: Callable, *, notes: Callable | None = None, action: Callable | None = None
) -> None:
    """Where a task of ``kind`` is done, the one home for both the start pages' task lists and
    the case file's next-step button: ``url_for(case) -> str``, the page (a link). ``notes``,
    when given, is ``notes(cases) -> {case.pk: text}`` for the tasks shown on one page
    (one call per kind and page, so the page keeps a constant number of queries). ``action``,
    when given, is ``action(case) -> Action``: the more direct way the case file's button takes
    (it may query, so it is asked for one case only); without it the button opens ``url_for``."""
    _task_links[kind] = url_for
    if notes is not None:
        _task_notes[kind] = notes
    if action is not None:
        _task_actions[kind] = action


def task_url(kind: str, case, default: Callable) -> str:
    return _task_links.get(kind, default)(case)


def task_action(kind: str, case, default: Callable) -> Action:
    """The case file's button for a task of ``kind`` (see :func:`task_link`)."""
    action = _task_actions.get(kind)
    return action(case) if action else Action(task_url(kind, case, default))


def task_notes(kind: str, cases: list) -> dict:
    notes = _task_notes.get(kind)
    return notes(cases) if notes and cases else {}


def start_url(user) -> str:
    """The start page of ``user``'s role; the login page for anyone else."""
    name = _start_pages.get(getattr(user, "role", None))
    return reverse(name) if name else resolve_url(settings.LOGIN_URL)


def items_for(user, current_path: str = "") -> list[dict]:
    """The menu of ``user``: ``[{"label", "url", "active"}]``; the current page belongs to the
    link with the longest matching address (/reports/months/ is not also /reports/)."""
    if not (user and user.is_authenticated):
        return []
    items = []
    for item in sorted(_items.values(), key=lambda i: i.order):
        if user.role not in item.roles or (item.visible and not item.visible(user)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": False})
    matching = [i for i in items if current_path.startswith(i["url"])]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["active"] = True
    return items
