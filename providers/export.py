"""SKA's provider register as an XLSX workbook."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tugi.exports import append_row


def register_workbook(rows: list[dict]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Providers")[:31]
    columns = [
        (_("Name"), lambda r: r["provider"].name),
        (_("Registry code"), lambda r: r["provider"].registry_code),
        (_("Type"), lambda r: str(r["type"])),
        (_("Roles"), lambda r: r["roles"]),
        (_("Target groups"), lambda r: r["target_groups"]),
        (_("Exclusions"), lambda r: r["exclusions"]),
        (_("Works offered"), lambda r: r["works"]),
        (_("Components"), lambda r: r["components"]),
        (_("Municipalities served"), lambda r: r["municipalities"]),
        (_("Address"), lambda r: r["provider"].address),
        (_("E-mail"), lambda r: r["provider"].email),
        (_("Phone"), lambda r: r["provider"].phone),
    ]
    append_row(sheet, [title for title, _get in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, [get(row) for _title, get in columns])
    for index, width in enumerate([36, 12, 24, 24, 40, 30, 30, 30, 30, 36, 28, 16], start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    return workbook
