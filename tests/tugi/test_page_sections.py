"""Pages are composed in their views (issue 16, item 8): no template tag of ours queries on
behalf of another app's page; the other apps' parts of a page are ``tugi.sections`` whose
data the page's view gathers."""

import ast
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template

from tugi import sections

ROOT = Path(settings.BASE_DIR)
# The only template library of ours: formatting filters, no queries (a builtin).
ALLOWED_TAG_MODULES = {"accounts/templatetags/tugi.py"}


def _tag_modules():
    for app in settings.LOCAL_APPS:
        yield from sorted((ROOT / app / "templatetags").glob("*.py"))


def test_no_template_tag_module_of_ours_runs_queries():
    found = {
        str(path.relative_to(ROOT))
        for path in _tag_modules()
        if path.name != "__init__.py"
    }
    assert found == ALLOWED_TAG_MODULES, (
        "A page's data is gathered by its view (tugi.sections for another app's part), "
        f"not by template tags: {sorted(found - ALLOWED_TAG_MODULES)}"
    )
    # The filters module imports no models, selectors or services of any app.
    tree = ast.parse((ROOT / "accounts/templatetags/tugi.py").read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {m for m in imported if m and m.split(".")[0] in settings.LOCAL_APPS}, imported


def test_no_template_loads_a_library_other_than_the_builtins():
    allowed = {"i18n", "static", "tugi", "crispy_forms_tags", "humanize", "l10n", "tz", "cache"}
    for app in settings.LOCAL_APPS:
        for path in (ROOT / app / "templates").rglob("*.html"):
            for line in path.read_text().splitlines():
                if "{% load " not in line:
                    continue
                for chunk in line.split("{% load ")[1:]:
                    libraries = set(chunk.split("%}")[0].split())
                    assert libraries <= allowed, f"{path.relative_to(ROOT)} loads {libraries - allowed}"


def test_every_section_is_registered_by_its_own_app_with_an_existing_template():
    expected = {
        "cases:case_detail": ["assessments", "budget", "documents"],
        "billing:month_submission": ["invoice_files", "month_documents"],
        "billing:invoice_detail": ["invoice_files"],
        "billing:month_end": ["reminders"],
        "assessments:assessment_detail": ["documents"],
        "assessments:plan_detail": ["documents"],
    }
    for page, names in expected.items():
        registered = sections.registered(page)
        assert [s.name for s in registered] == names, page
        for section in registered:
            get_template(section.template)
            owner = section.context.__module__.split(".")[0]
            assert section.template.startswith(f"{owner}/"), (page, section.name, owner)
            assert owner != page.split(":")[0], "a page's own app gathers its data in its view"


def test_a_section_whose_context_returns_none_is_left_out():
    sections.add("tests:page", "shown", template="t.html", context=lambda request, obj: {"obj": obj}, order=2)
    sections.add("tests:page", "hidden", template="h.html", context=lambda request, obj: None, order=1)
    sections.add("tests:page", "first", template="f.html", context=lambda request, obj: {}, slot="top", order=3)
    try:
        shown = sections.for_page("tests:page", None, obj=7)
        assert [(s.name, s.data) for s in shown["main"]] == [("shown", {"obj": 7})]
        assert [s.name for s in shown["top"]] == ["first"]
    finally:
        sections._sections.pop("tests:page")
