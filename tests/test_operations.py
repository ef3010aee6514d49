import sqlite3

from django.core.management import call_command
from django.db import connection

from anlan.registry.models import Enterprise


def test_backup_writes_a_restorable_copy(db, tmp_path, capsys):
    call_command("backup", "--output-dir", str(tmp_path))
    path = capsys.readouterr().out.strip()
    if connection.vendor == "sqlite":
        rows = sqlite3.connect(path).execute("select count(*) from registry_enterprise").fetchone()
        # The test database is written inside a transaction that the copy cannot see;
        # the committed world (built once per session) is what a backup holds.
        assert rows[0] >= 60
    else:
        assert path.endswith(".dump") and (tmp_path / path.split("/")[-1]).stat().st_size > 0
    assert Enterprise.objects.exists()


def test_demo_command_reports_the_accounts(db, capsys, monkeypatch):
    monkeypatch.setenv("ANLAN_DEMO_PASSWORD", "printed-password")
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "printed-password" in out
    for name in ("demo-county", "demo-town-a", "demo-dept-transport", "demo-ent-b", "demo-admin"):
        assert name in out
