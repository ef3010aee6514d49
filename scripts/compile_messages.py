"""Compile src/anlan/locale/*/LC_MESSAGES/django.po to .mo with polib (no GNU gettext needed)."""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "src" / "anlan" / "locale"


def main() -> int:
    for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
