import signal
import threading
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from anlan.core.jobs import run


class Command(BaseCommand):
    help = (
        "Run periodic jobs (deadline reminders, escalation, outbox delivery) on the embedded "
        "default, without Redis or Celery. With ANLAN_TASKS=celery use `celery -A anlan "
        "worker --beat` instead."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one sweep and exit")
        parser.add_argument("--interval", type=int, default=settings.ANLAN_PERIODIC_SECONDS)

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        stopping = threading.Event()

        def stop(*_args: object) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            result = run("core.periodic")
            self.stdout.write(f"{time.strftime('%H:%M:%S')} {result}")
            if once or stopping.is_set():
                return
            for _ in range(interval):
                if stopping.is_set():
                    return
                time.sleep(1)
