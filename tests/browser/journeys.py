"""What every page of a role's journey is checked for, and where its screenshots go.

A journey (tests/browser/test_role_journeys.py) is a list of small step functions, each
taking a ``Journey``: the step clicks as a user would, then calls ``journey.seen(name)`` on
the page it arrived at. ``seen`` checks that page:

- the page is in the journey's language (``<html lang>``);
- axe-core finds no serious or critical violation (WCAG 2.0 / 2.1 A and AA);
- on a phone (390 px): the page is no wider than the screen, and every button and link of
  a form or table is at least 44 px high (a touch-screen browser, ``pointer: coarse``);

and saves a viewport screenshot as
``var/screenshots/journeys/<role>/<width>-<locale>/NN-<step>.png``. Findings are gathered
and reported at the end of the journey, all at once.

With ``TUGI_SCREENSHOTS_TO_DOCS=1`` the Estonian screenshots are also written, shrunk to a
palette PNG, to ``docs/journeys/<role>/<width>/`` for docs/journeys.md (``make journeys``).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import translation
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.browser.test_accessibility import audit

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots" / "journeys"
DOCS = ROOT / "docs" / "journeys"
TO_DOCS = os.environ.get("TUGI_SCREENSHOTS_TO_DOCS") == "1"

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: Browser locale → the language the UI is expected in. Tugi speaks Estonian whatever the
#: browser says (accounts.middleware.EstonianFirstMiddleware); an English-speaking user picks
#: English with the switch in the header, which the English journeys do first.
LOCALES = {"et-EE": "et", "en-US": "en"}
#: Buttons and links of forms and tables must be this high on a touch screen.
TOUCH_PX = 44


@dataclass
class Journey:
    page: object
    role: str
    width: int
    locale: str
    findings: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    step: int = 0
    #: Which of the role's four runs this is (0-3): each run works on its own record.
    run: int = 0
    #: What a step remembers for the next ones (the person, the invoice, ...).
    person: str = ""
    invoice: str = ""
    cell_label: str = ""
    task: str = ""
    tasks_before: int = 0

    @property
    def language(self) -> str:
        return LOCALES[self.locale]

    @property
    def phone(self) -> bool:
        return self.width <= PHONE["width"]

    @property
    def shots(self) -> Path:
        return SCREENSHOTS / self.role / f"{self.width}-{self.locale}"

    def _(self, message: str) -> str:
        """``message`` (an msgid) as the UI shows it in the journey's language."""
        with translation.override(self.language):
            return translation.gettext(message)

    def name(self, message: str) -> re.Pattern:
        """An accessible name starting with ``message`` translated (links carry a hidden
        "… Mari Maasikas" for screen readers)."""
        return re.compile(rf"^\s*{re.escape(self._(message))}")

    # --- Checks of every page ------------------------------------------------------------

    def seen(self, step: str, focus=None) -> None:
        """The page now shown is a step of the journey: check it and save its screenshot,
        scrolled to ``focus`` (a locator: what the step is about) when given."""
        page = self.page
        page.wait_for_load_state("load")
        self.step += 1
        label = f"{self.role} {self.width}px {self.locale} #{self.step} {step}"
        self.pages.append(page.url)
        lang = page.locator("html").get_attribute("lang")
        if lang != self.language:
            self.findings.append(f"{label} {page.url}: the page is in {lang!r}, not {self.language!r}")
        self.findings.extend(audit(page, label))
        if self.phone:
            extra = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if extra > 0:
                self.findings.append(f"{label} {page.url}: {extra} px wider than the screen")
            small = page.locator(
                "main form .btn, main form a[href], main form button, main table a[href], main table .btn"
            ).evaluate_all(
                "(els, px) => els.filter(e => e.offsetParent && e.getBoundingClientRect().height < px)"
                ".map(e => (e.textContent.trim() || e.getAttribute('aria-label') || e.outerHTML.slice(0, 60))"
                " + ' ' + Math.round(e.getBoundingClientRect().height) + ' px')",
                TOUCH_PX,
            )
            if small:
                self.findings.append(f"{label} {page.url}: touch targets under {TOUCH_PX} px: {small[:5]}")
        if focus is not None:
            focus.first.evaluate("e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
        self.screenshot(f"{self.step:02d}-{step}")

    def screenshot(self, name: str) -> None:
        self.shots.mkdir(parents=True, exist_ok=True)
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path))
        if TO_DOCS and self.language == "et" and not name.startswith("failed"):
            target = DOCS / self.role / str(self.width)
            target.mkdir(parents=True, exist_ok=True)
            shrink(path, target / path.name)

    def finish(self) -> None:
        assert self.step >= 3, f"{self.role}: the journey saw only {self.pages}"
        assert not self.findings, f"{len(self.findings)} finding(s):\n" + "\n".join(self.findings)

    # --- Moves every journey makes --------------------------------------------------------

    def sign_in(self, username: str) -> None:
        """The login page, in the journey's language, then the role's start page."""
        page = self.page
        page.goto("/accounts/login/")
        # Whatever the browser's locale, the first page is Estonian.
        expect(page.locator("html")).to_have_attribute("lang", "et")
        if self.language != "et":
            page.get_by_role("button", name="English").click()
            expect(page.locator("html")).to_have_attribute("lang", self.language)
        page.get_by_label(self._("Username")).fill(username)
        page.get_by_label(self._("Password")).fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name=self._("Log in")).click()
        assert "/accounts/login/" not in page.url, f"{username} could not sign in"

    def confirm_next_dialog(self) -> list[str]:
        """Accept the next confirm() (``data-confirm``); what it asked is returned in the list."""
        asked: list[str] = []
        self.page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
        return asked


def new_journey(browser, base_url: str, role: str, width: int, locale: str) -> Journey:
    """A fresh browser context: a desktop at 1 280 px, or a touch-screen phone at 390 px."""
    viewport = WIDE if width == WIDE["width"] else PHONE
    phone = viewport is PHONE
    context = browser.new_context(
        base_url=base_url, locale=locale, viewport=viewport, has_touch=phone, is_mobile=phone,
        reduced_motion="reduce",  # no smooth scrolling (Bootstrap), so screenshots show where it ends
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    shots = SCREENSHOTS / role / f"{width}-{locale}"
    shutil.rmtree(shots, ignore_errors=True)
    if TO_DOCS and LOCALES[locale] == "et":
        shutil.rmtree(DOCS / role / str(width), ignore_errors=True)
    return Journey(page=page, role=role, width=width, locale=locale)


def shrink(source: Path, target: Path) -> None:
    """A palette PNG (256 colours): a page of text and flat colours loses nothing visible and
    shrinks to a third or less."""
    from PIL import Image

    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            target, optimize=True
        )
