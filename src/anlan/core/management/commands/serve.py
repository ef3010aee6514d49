import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run Anlan under gunicorn (production). Settings come from the environment."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("ANLAN_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("ANLAN_WORKERS", "3"))
        )

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        argv = [
            "gunicorn",
            "anlan.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--timeout",
            "60",
        ]
        # Replace this process: gunicorn becomes the server, signals go straight to it.
        os.execvp(sys.executable, [sys.executable, "-m", *argv])
