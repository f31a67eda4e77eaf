"""Every demo user clicks through every link they are shown: each one answers, in Estonian.

The demo data is loaded once for the module, inside a transaction that is rolled back at the
end. Then each demo user (admin aside: the Django admin is not ours) signs in on the login
page and follows, breadth first from "/", every ``<a href>`` that stays on the site. A link
shown to a user that answers 403, 404 or 500 is a defect; so is English text on an HTML page
that our catalogues translate into Estonian. Every finding of a user is listed at once."""

from __future__ import annotations

import re
from collections import Counter, deque
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import polib
import pytest
from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve

from accounts import demo as demo_users
from accounts.demo import DEMO_PASSWORD
from accounts.models import Role

ROOT = Path(__file__).resolve().parents[1]
#: Every demo user but the administrator, whose pages are the Django admin's.
USERS = [username for username, *_names, role, _kov in demo_users.USERS if role != Role.ADMIN]
MAX_PAGES = 150
MAX_QUERY_VARIANTS = 3
#: Records of one kind (e.g. /cases/<pk>/) visited per user, so that 150 pages reach every
#: kind of page rather than every delivery of the month.
MAX_RECORDS_PER_ROUTE = 4
#: Paths not followed: signing out and switching the language are POSTs anyway, the admin
#: site and static files are not the pages under test.
SKIP_PREFIXES = ("/accounts/logout/", "/i18n/", "/admin/", "/static/", "/media/")
#: Attributes whose text a user sees or hears; every other attribute value is ignored.
SHOWN_ATTRIBUTES = frozenset({"aria-label", "title", "placeholder"})
PLACEHOLDER = re.compile(r"%(\([^)]*\))?[#0 +-]*\d*(\.\d+)?[sdifrxXeEgGc%]|\{[^}]*\}")


# --- The demo, once for the module -----------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load every app's demo, as ``manage.py load_demo`` does, and roll it all back at the end
    so the rest of the suite starts from an empty database. Each test's own transaction is a
    savepoint inside this one. What the demo sets off on commit (the closed month's reports)
    runs too, as it does outside the tests, writing its files to a temporary directory."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.test import TestCase, override_settings
    from django.utils import translation

    media = tmp_path_factory.mktemp("media")
    storages = {**settings.STORAGES}
    options = {**storages["default"]["OPTIONS"], "location": media}
    storages["default"] = {**storages["default"], "OPTIONS": options}
    with override_settings(MEDIA_ROOT=media, STORAGES=storages), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with translation.override("et"), TestCase.captureOnCommitCallbacks(execute=True):
                for app in settings.LOCAL_APPS:
                    if find_spec(f"{app}.demo"):
                        import_module(f"{app}.demo").load()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- English the catalogues translate --------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(text.split())


@cache
def english_phrases() -> tuple[str, ...]:
    """Msgids of at least three words, without placeholders, that have an Estonian msgstr
    different from themselves: if one of them shows on a page, it escaped translation."""
    catalogues = [
        ROOT / "locale/et/LC_MESSAGES/django.po",
        *ROOT.glob("*/locale/et/LC_MESSAGES/django.po"),
    ]
    phrases = set()
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            pairs = [(entry.msgid, entry.msgstr)]
            if entry.msgid_plural:
                pairs = [
                    (entry.msgid, entry.msgstr_plural.get(0, "")),
                    (entry.msgid_plural, entry.msgstr_plural.get(1, "")),
                ]
            for msgid, msgstr in pairs:
                msgid, msgstr = _squash(msgid), _squash(msgstr)
                if not msgstr or msgstr == msgid or PLACEHOLDER.search(msgid) or "<" in msgid:
                    continue
                if len(msgid.split()) >= 3:
                    phrases.add(msgid)
    return tuple(sorted(phrases))


class _ShownText(HTMLParser):
    """The text of a page a user sees: element text outside scripts and styles, and the few
    attributes that are shown or read out."""

    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden_depth += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def english_on(html: str) -> list[str]:
    parser = _ShownText()
    parser.feed(html)
    # Text pieces are joined by a separator no phrase contains, so no phrase spans two elements.
    text = " \x00 ".join(_squash(part) for part in parser.parts if part.strip())
    return [
        phrase
        for phrase in english_phrases()
        if phrase in text and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)
    ]


# --- Links -----------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def internal_url(href: str, base: str) -> str | None:
    """``href`` as a normalised path + sorted query on this site, or None if not followed."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(urljoin(f"http://testserver{base}", href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit(("", "", parts.path, query, ""))


def links_on(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [url for href in parser.hrefs if (url := internal_url(href, base))]


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None  # followed anyway: the 404 is the finding


# --- The crawl -------------------------------------------------------------------------------


def sign_in(client, username: str) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"


def crawl(client, username: str, pages: list[str] | None = None, *, records_per_route: int = MAX_RECORDS_PER_ROUTE,
          query_variants: int = MAX_QUERY_VARIANTS) -> tuple[list[str], int]:
    """Follow every link ``username`` is shown; return the findings and the pages fetched.
    The HTML pages reached are added to ``pages`` (the phone-width test opens one of each kind,
    so it follows fewer records of a kind and fewer query variants of a path)."""
    findings: list[str] = []
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    seen = {"/"}
    variants: Counter[str] = Counter()
    records: Counter[str] = Counter()
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url, found_on = queue.popleft()
        response = client.get(url)
        fetched += 1
        status = response.status_code
        if status in (301, 302, 303, 307, 308):
            targets = [internal_url(response["Location"], url)]
        elif status != 200:
            findings.append(f"{username} {url} → {status} (linked from {found_on})")
            continue
        else:
            content_type = response.get("Content-Type", "")
            attachment = "attachment" in response.get("Content-Disposition", "")
            if attachment or not content_type.startswith("text/html"):
                response.getvalue()  # a download: read to its end (closing the file), not parsed
                continue
            html = response.content.decode()
            if pages is not None:
                pages.append(url)
            findings += [
                f"{username} {url} shows English: {phrase!r}" for phrase in english_on(html)
            ]
            targets = links_on(html, url)
        for target in targets:
            if not target or target in seen:
                continue
            path = urlsplit(target).path
            if "?" in target:
                if variants[path] >= query_variants:
                    continue
                variants[path] += 1
            elif route := route_of(path):
                if records[route] >= records_per_route:
                    continue
                records[route] += 1
            seen.add(target)
            queue.append((target, url))
    return findings, fetched


@pytest.mark.django_db
@pytest.mark.parametrize("username", USERS)
def test_every_link_a_demo_user_is_shown_answers_in_estonian(demo, client, username):
    client.raise_request_exception = False  # a 500 is one finding among the others
    sign_in(client, username)

    findings, fetched = crawl(client, username)

    assert fetched > 1, f"{username} was shown no links"
    assert not findings, f"{len(findings)} finding(s) in {fetched} pages:\n" + "\n".join(findings)


# --- The checks themselves can fail ----------------------------------------------------------


def test_the_english_check_reads_text_and_shown_attributes_but_not_code_or_other_attributes():
    phrase = "Skip to content"
    assert phrase in english_phrases()

    assert english_on(f"<p>{phrase}</p>") == [phrase]
    assert english_on(f'<input placeholder="{phrase}">') == [phrase]
    assert english_on(f'<button aria-label="{phrase}"></button>') == [phrase]
    assert english_on(f'<a title=" {phrase} ">x</a>') == [phrase]
    assert english_on(f'<input value="{phrase}"><script>"{phrase}"</script>') == []
    assert english_on(f"<p>{phrase}s</p><p>Skip to</p><p>content</p>") == []


def test_links_stay_on_the_site_without_fragments_and_with_sorted_queries():
    html = (
        '<a href="?b=2&amp;a=1#top">x</a><a href="#main">x</a><a href="https://example.org/">x</a>'
        '<a href="/accounts/logout/">x</a><a href="/admin/">x</a><a href="mailto:a@b.ee">x</a>'
        '<a href="../5/">x</a>'
    )

    assert links_on(html, "/cases/3/") == ["/cases/3/?a=1&b=2", "/cases/5/"]
