"""`./dev` on a fresh machine: unattended-upgrades holds the Debian package locks right after
boot, and set-up waits for them instead of failing. A stand-in apt-get on PATH answers as apt
does when a lock is taken (apt-get update does not wait for the lists lock itself)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FAKE_APT = """#!/bin/sh
echo "$*" >> "{calls}"
count=$(wc -l < "{calls}")
if [ "$count" -le {busy} ]; then
  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 812 (apt-get)" >&2
  echo "E: Unable to lock directory /var/lib/apt/lists/" >&2
  exit 100
fi
{after}
"""


def run_apt_get(tmp_path, *args, busy=2, after="exit 0"):
    calls = tmp_path / "calls"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "apt-get"
    fake.write_text(FAKE_APT.format(calls=calls, busy=busy, after=after))
    fake.chmod(0o755)
    script = (
        f"source {ROOT / 'dev'}\n"
        'as_root() { "$@"; }\n'  # the test runs the stand-in, never the real apt-get
        "sleep() { :; }\n"  # the retry's pause, not waited for here
        f"apt_get {' '.join(args)}\n"
    )
    result = subprocess.run(
        ["bash", "-c", script],
        env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = calls.read_text().splitlines() if calls.exists() else []
    return result, lines


def test_apt_get_waits_for_the_package_lock(tmp_path):
    result, calls = run_apt_get(tmp_path, "update", "-qq", busy=2)
    assert result.returncode == 0, result.stderr
    assert calls == ["-o DPkg::Lock::Timeout=600 update -qq"] * 3
    assert result.stderr.count("等待 Debian 软件包锁") == 1


def test_apt_get_fails_at_once_on_other_errors(tmp_path):
    after = 'echo "E: Unable to locate package nosuchpackage" >&2; exit 100'
    result, calls = run_apt_get(tmp_path, "install", "-y", "nosuchpackage", busy=0, after=after)
    assert result.returncode == 1
    assert len(calls) == 1
    assert "Unable to locate package nosuchpackage" in result.stderr


def run_quality(tmp_path, mypy_exit: int):
    """`quality` with stand-ins for the tools it runs, each logging its name."""
    calls = tmp_path / "calls"
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool, code in (("ruff", 0), ("mypy", mypy_exit), ("anlan", 0)):
        fake = bin_dir / tool
        fake.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\nexit {code}\n')
        fake.chmod(0o755)
    script = f"source {ROOT / 'dev'}\nVENV={tmp_path / 'venv'}\nquality\n"
    result = subprocess.run(
        ["bash", "-c", script],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, calls.read_text().splitlines()


def test_quality_runs_mypy(tmp_path):
    result, calls = run_quality(tmp_path, mypy_exit=0)
    assert result.returncode == 0, result.stderr
    assert "mypy " in calls
    assert calls.index("mypy ") < calls.index("anlan check --fail-level WARNING")


def test_quality_fails_when_mypy_fails(tmp_path):
    result, calls = run_quality(tmp_path, mypy_exit=1)
    assert result.returncode != 0
    assert calls[-1] == "mypy "  # nothing after it ran


def test_mypy_checks_core_rules_and_actions():
    """The configuration ./dev quality's mypy reads: the modules STYLE.md wants typed."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["strict"] is True
    assert set(config["files"]) >= {
        "src/anlan/core",
        "src/anlan/*/rules.py",
        "src/anlan/*/actions.py",
    }
    assert "mypy_django_plugin.main" in config["plugins"]
