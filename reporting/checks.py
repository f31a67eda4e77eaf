"""System checks: tell the operator when PDF documents would come out wrong."""

from django.core.checks import Warning, register

from tugi.documents import installed_fonts


@register()
def document_fonts_installed(app_configs, **kwargs):
    missing = [family for family, found in installed_fonts().items() if not found]
    if not missing:
        return []
    return [
        Warning(
            f"Fonts for PDF documents are missing: {', '.join(missing)}.",
            hint="Install Debian's fonts-dejavu-core (make system-deps).",
            id="reporting.W001",
        )
    ]
