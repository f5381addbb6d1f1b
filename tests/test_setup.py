"""The setup scripts themselves: options, Odoo source lookup, layouts, log parsing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "setup"))

from amigo_setup import bootstrap, odoo, testing  # noqa: E402
from amigo_setup.util import SetupError  # noqa: E402


@pytest.mark.parametrize(
    ("script", "options"),
    [
        ("run", ["--port", "--database", "--addons", "--without-demo", "--db-host", "stop"]),
        ("test", ["--addon", "--keep-databases", "--test-tags", "--jobs", "--db-host"]),
    ],
)
def test_help_lists_the_options(script, options):
    result = subprocess.run(
        [str(ROOT / "setup" / script), "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    for option in options:
        assert option in result.stdout


def test_missing_odoo_source_names_the_three_ways(tmp_path, monkeypatch):
    monkeypatch.setenv("ODOO_SRC", str(tmp_path / "nowhere"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no git: the clone cannot be attempted
    with pytest.raises(SetupError) as error:
        bootstrap.find_odoo_source()
    message = str(error.value)
    assert "ODOO_SRC" in message
    assert str(tmp_path / "home" / ".cache" / "odoo" / "18.0") in message
    assert "clone" in message and "18.0" in message


def _fake_odoo(root, source_layout):
    (root / "odoo").mkdir(parents=True)
    (root / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (root / "odoo" / "release.py").write_text("version_info = (18, 0, 0, 'final', 0, '')\n")
    (root / "odoo" / "addons" / "base").mkdir(parents=True)
    if source_layout:
        (root / "addons" / "web").mkdir(parents=True)
        (root / "addons" / "web" / "__manifest__.py").write_text("{}")


@pytest.mark.parametrize("source_layout", [True, False], ids=["source", "nightly"])
def test_both_odoo_layouts(tmp_path, monkeypatch, source_layout):
    src = tmp_path / "odoo-src"
    _fake_odoo(src, source_layout)
    monkeypatch.setenv("ODOO_SRC", str(src))
    found = bootstrap.find_odoo_source()
    assert found == src.resolve()
    paths = bootstrap.odoo_addons_paths(found)
    expected = ([src / "addons"] if source_layout else []) + [src / "odoo" / "addons"]
    assert [p.resolve() for p in paths] == [p.resolve() for p in expected]


def test_another_odoo_version_is_refused(tmp_path, monkeypatch):
    src = tmp_path / "odoo-17"
    _fake_odoo(src, False)
    (src / "odoo" / "release.py").write_text("version_info = (17, 0, 0, 'final', 0, '')\n")
    monkeypatch.setenv("ODOO_SRC", str(src))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SetupError, match="not 18.0"):
        bootstrap.find_odoo_source()


def test_rerun_installs_nothing(monkeypatch):
    """With the requirements unchanged, the bootstrap runs no installer at all."""
    stamp = Path(os.environ.get("AMIGO_STATE_DIR", ROOT / ".amigo")) / "venv" / bootstrap.STAMP
    assert stamp.read_text().strip() == bootstrap._requirements_hash()

    def no_install(cmd, **kwargs):
        raise AssertionError(f"nothing should be installed, yet ran {cmd}")

    monkeypatch.setattr(bootstrap, "run", no_install)
    assert Path(bootstrap.ensure_venv()).exists()


LOG = """\
2026-11-22 18:47:39,663 8310 INFO db odoo.addons.x.tests.test_a: Starting TestA.test_one ...
2026-11-22 18:47:39,700 8310 INFO db odoo.addons.x.tests.test_a: skipped TestA.test_two : no chrome
2026-11-22 18:47:39,800 8310 ERROR db odoo.addons.x.tests.test_a: FAIL: TestA.test_three
Traceback (most recent call last):
AssertionError: boom
2026-11-22 18:47:40,000 8310 ERROR db odoo.tests.result: 1 failed, 0 error(s) of 3 tests \
when loading database 'db'
"""


def test_odoo_log_parsing_counts_tests():
    report, skipped, failures, stray = testing.parse_odoo_log(LOG)
    assert report == (1, 0, 3)
    assert skipped == 1
    assert failures == ["FAIL: TestA.test_three"]
    assert stray == []


def test_odoo_log_parsing_reports_errors_outside_tests():
    text = "2026-11-22 18:47:39,663 8310 ERROR db odoo.modules.loading: Failed to load module\n"
    report, skipped, failures, stray = testing.parse_odoo_log(text)
    assert report is None and not failures
    assert stray == ["ERROR odoo.modules.loading: Failed to load module"]


def test_extra_tags_narrow_each_module():
    assert testing.tags_for(["a", "b"], None) == "/a,/b"
    assert testing.tags_for(["a"], "-post_install") == "/a,-post_install"
    assert testing.tags_for(["a"], ":TestX") == "/a:TestX"
    assert testing.tags_for(["a", "b"], "post_install") == "post_install/a,post_install/b"
    assert testing.tags_for(["a", "b"], "/b:TestY.test_z") == "/b:TestY.test_z"


def test_test_addons_are_not_part_of_the_suite():
    suite = odoo.suite_addons()
    assert "funnel_sla" in suite
    assert not [name for name in suite if name.startswith("test_")]
    assert "test_funnel_sla" in odoo.test_companions("funnel_sla")


def test_a_scenario_addon_is_tested_in_a_database_of_its_own():
    """A test addon that installs another module next to the suite (core's Resellers) is
    no addon's companion: it is never installed with its addon nor in the database of all
    addons, where it would change what every other test sees."""
    scenario = "test_amigo_partner_tiers_resellers"
    assert scenario in odoo.test_scenarios()
    assert "test_funnel_sla" not in odoo.test_scenarios()
    assert odoo.test_companions("amigo_partner_tiers") == []


def test_ci_runs_the_command_the_readme_gives():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "setup/test" in readme
    commands = [
        line.strip()
        for line in ci.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert any(c in ("setup/test", "exec setup/test") for c in commands), commands


def test_run_uses_the_server_named_by_pg_variables(tmp_path):
    """setup/run against a server named by PGHOST/PGPORT/PGUSER (here: setup/test's own)."""
    if not os.environ.get("PGHOST"):
        pytest.fail("run through setup/test, which names its PostgreSQL server in PG* variables")
    import psycopg2  # noqa: PLC0415

    database = "amigo_test_setup_run"
    command = [str(ROOT / "setup" / "run"), "--database", database, "--addons", "funnel_sla",
               "--without-demo", "--stop-after-init"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
    try:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert "using the PostgreSQL server at" in result.stdout
        assert "initialising the embedded" not in result.stdout
        with psycopg2.connect(dbname=database) as conn, conn.cursor() as cur:
            cur.execute("SELECT state FROM ir_module_module WHERE name = 'funnel_sla'")
            assert cur.fetchone() == ("installed",)
            cur.execute("SELECT count(*) FROM ir_module_module WHERE demo AND state = 'installed'")
            assert cur.fetchone() == (0,), "--without-demo: no module with demo data"
        rerun = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
        assert rerun.returncode == 0
        assert f"database {database} is up to date" in rerun.stdout
    finally:
        state = Path(os.environ.get("AMIGO_STATE_DIR", ROOT / ".amigo"))
        pgtool = ROOT / "setup" / "amigo_setup" / "pgtool.py"
        subprocess.run(
            [sys.executable, str(pgtool), "--data-dir", str(state / "data"), "drop", database],
            check=False,
        )


def test_run_updates_a_demo_database_without_replaying_its_demo(tmp_path):
    """When the code changed, setup/run updates the installed addons (-u) rather than
    installing them again (-i), which would run their demo data's functions twice."""
    if not os.environ.get("PGHOST"):
        pytest.fail("run through setup/test, which names its PostgreSQL server in PG* variables")
    import psycopg2  # noqa: PLC0415

    database = "amigo_test_setup_update"
    state = Path(os.environ.get("AMIGO_STATE_DIR", ROOT / ".amigo"))
    pgtool = [sys.executable, str(ROOT / "setup" / "amigo_setup" / "pgtool.py"),
              "--data-dir", str(state / "data")]  # fmt: skip
    command = [str(ROOT / "setup" / "run"), "--database", database, "--addons", "needs_registry",
               "--stop-after-init"]  # fmt: skip
    try:
        created = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1200)
        assert created.returncode == 0, created.stdout[-3000:] + created.stderr[-3000:]
        # as if the code had changed since
        subprocess.run([*pgtool, "comment", database, "amigo:older-code"], check=True)
        updated = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1200)
        assert updated.returncode == 0, updated.stdout[-3000:] + updated.stderr[-3000:]
        assert f"updating needs_registry in database {database}" in updated.stdout
        log = (state / "logs" / f"install-{database}.log").read_text(encoding="utf-8")
        assert "demo data failed" not in log, log[-3000:]
        with psycopg2.connect(dbname=database) as conn, conn.cursor() as cur:
            cur.execute("SELECT state, demo FROM ir_module_module WHERE name = 'needs_registry'")
            assert cur.fetchone() == ("installed", True)
    finally:
        subprocess.run([*pgtool, "drop", database], check=False)
