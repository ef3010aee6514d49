import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from anlan.demo.world import PERSONAS, build_world
from anlan.regions.models import Region

DEFAULT_PASSWORD = "anlan-demo-2026"


class Command(BaseCommand):
    help = "Build the demo county (清河县) and serve it at http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="only build, do not serve")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
        parser.add_argument("--enterprises", type=int, default=2000)
        parser.add_argument("--hazards", type=int, default=600)
        parser.add_argument(
            "--risk-registers", type=int, default=300, help="enterprises with a risk register"
        )
        parser.add_argument("--towns", type=int, default=12)
        parser.add_argument("--villages-per-town", type=int, default=13)

    def handle(self, *args, **options):
        password = os.environ.get("ANLAN_DEMO_PASSWORD") or DEFAULT_PASSWORD
        call_command("migrate", interactive=False, verbosity=0)
        if Region.objects.filter(code="990102").exists():
            self.stdout.write("演示县已存在，跳过生成 (the demo county already exists).")
        else:
            try:
                build_world(
                    towns=options["towns"],
                    villages_per_town=options["villages_per_town"],
                    enterprises=options["enterprises"],
                    hazards=options["hazards"],
                    risk_registers=options["risk_registers"],
                    incidents=True,
                    duty=True,
                    password=password,
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS("演示县“清河县”已生成 (demo county built)."))
        self.stdout.write(f"数据库 (database): {settings.DATABASES['default']['NAME']}")
        self.stdout.write(f"演示账号密码 (password of every demo account): {password}")
        for persona in PERSONAS:
            self.stdout.write(
                f"  {persona.username:<22} {persona.role.label}  {persona.description}"
            )
        if options["no_serve"]:
            return
        os.environ["ANLAN_DEMO"] = "1"
        # The embedded worker beside the web server: reminders, escalation and the
        # investigation tasks of each new shift, day or week keep coming while the demo runs.
        worker = subprocess.Popen([sys.executable, "-m", "anlan.cli", "worker"])
        signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))  # stop the worker too
        self.stdout.write(
            "后台任务已启动 (reminders, escalation, investigation tasks): anlan worker"
        )
        self.stdout.write(f"打开 (open) http://{options['addr']}/")
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
