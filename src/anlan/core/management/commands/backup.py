import shutil
import sqlite3
import subprocess
from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Back up the database to a file: pg_dump for PostgreSQL, the online backup API for SQLite."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output-dir", type=Path, default=settings.DATA_DIR / "backups")

    def handle(self, *args: Any, output_dir: Path, **options: Any) -> None:
        output_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        db = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            target = output_dir / f"anlan-{stamp}.sqlite3"
            source = sqlite3.connect(db["NAME"])
            with sqlite3.connect(target) as dest:
                source.backup(dest)  # consistent copy while the app keeps running
            source.close()
        elif connection.vendor == "postgresql":
            if shutil.which("pg_dump") is None:
                raise CommandError("pg_dump not found: apt-get install postgresql-client")
            target = output_dir / f"anlan-{stamp}.dump"
            env = {"PGPASSWORD": str(db.get("PASSWORD") or "")}
            command = [
                "pg_dump",
                "--format=custom",
                f"--file={target}",
                f"--host={db.get('HOST') or 'localhost'}",
                f"--port={db.get('PORT') or 5432}",
                f"--username={db.get('USER') or 'postgres'}",
                db["NAME"],
            ]
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"no backup method for {connection.vendor}")
        self.stdout.write(str(target))
