"""The ``anlan`` console script: Django's management commands with Anlan's settings.

anlan demo [--no-serve]     build the demo county and serve it
anlan serve                 run the web server (gunicorn) for production
anlan migrate, anlan createsuperuser, anlan import_regions FILE, ...
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anlan.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "demo":
        # The demo shows its banner and persona picker; settings read this at import.
        os.environ.setdefault("ANLAN_DEMO", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
