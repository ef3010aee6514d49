import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from anlan.core.jobs import run


class Command(BaseCommand):
    help = (
        "Run periodic jobs (deadline reminders, escalation, outbox delivery) on the embedded "
        "default, without Redis or Celery. With ANLAN_TASKS=celery use `celery -A anlan "
        "worker --beat` instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one sweep and exit")
        parser.add_argument("--interval", type=int, default=settings.ANLAN_PERIODIC_SECONDS)

    def handle(self, *args, once: bool, interval: int, **options):
        stopping = False

        def stop(*_args):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            result = run("core.periodic")
            self.stdout.write(f"{time.strftime('%H:%M:%S')} {result}")
            if once or stopping:
                return
            for _ in range(interval):
                if stopping:
                    return
                time.sleep(1)
