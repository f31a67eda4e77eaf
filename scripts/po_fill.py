"""Fill msgstr entries of .po files from a Python dict file: ``python scripts/po_fill.py DICT.py FILE.po…``.

DICT.py defines ``ET = {"English msgid": "Eesti tõlge", …}``. Entries already
translated are left as they are; fuzzy flags on filled entries are removed.
Prints the msgids still untranslated."""

import runpy
import sys

import polib


def main() -> int:
    table = runpy.run_path(sys.argv[1])["ET"]
    missing = 0
    for path in sys.argv[2:]:
        po = polib.pofile(path, wrapwidth=0)
        for entry in po:
            if entry.obsolete:
                continue
            if entry.msgid in table and (not entry.msgstr or "fuzzy" in entry.flags):
                entry.msgstr = table[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            if entry.msgid_plural and entry.msgid in table:
                forms = table[entry.msgid]
                entry.msgstr_plural = (
                    {0: forms[0], 1: forms[1]} if isinstance(forms, tuple) else {0: forms, 1: forms}
                )
            if not entry.translated():
                missing += 1
                print(f"{path}: untranslated: {entry.msgid!r}")
        po.save()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
