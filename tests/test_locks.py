"""Locked projects: every shipped uv.lock matches its pyproject.toml, `make install` and the image
install exactly the lock, `pyweb new` needs no network, and an update never merges into uv.lock."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from copier import run_copy
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from pyweb_scaffold.cli import main
from pyweb_scaffold.template_source import ensure_version
from tests.conftest import REPO_ROOT, python_for, require, require_tool
from tests.releases import commit_all, git, template_copy

sys.path.insert(0, str(REPO_ROOT / "scripts"))
from lock_templates import DEPENDENCY_QUESTIONS, lock_name, option_sets, write_lock

QUESTIONS = yaml.safe_load((REPO_ROOT / "copier.yml").read_text())
FRAMEWORKS = list(QUESTIONS["framework"]["choices"].values())
DATABASES = list(QUESTIONS["database"]["choices"].values())
PYTHONS = QUESTIONS["python_version"]["choices"]
DEPENDENCY_SETS = list(itertools.product(FRAMEWORKS, DATABASES, [False, True]))
# Every answer set that changes dependencies (copier.yml's questions; realtime is not Flask's).
LOCKED_SETS = option_sets()
OFFLINE = ["unshare", "--map-root-user", "--net"]

# Run by the interpreter of the environment under test (the image has no packaging, no uv):
# what is installed there, and the PEP 508 marker values that decide which locked packages apply.
ENVIRONMENT_REPORT = """
import importlib.metadata, json, os, platform, sys
print(json.dumps({
    "installed": sorted({(d.metadata["Name"], d.version) for d in importlib.metadata.distributions()}),
    "markers": {
        "implementation_name": sys.implementation.name,
        "implementation_version": platform.python_version(),
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    },
}))
"""


def uv(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    return subprocess.run([require_tool("uv"), *args], cwd=project, capture_output=True, text=True, env=environment)


def installed_versions(report: str, project_name: str) -> set[tuple[str, str]]:
    """(name, version) of every distribution the report lists, the project itself left out."""
    found = {(canonicalize_name(name), version) for name, version in json.loads(report)["installed"]}
    return {(name, version) for name, version in found if name != canonicalize_name(project_name)}


def locked_versions(project: Path, report: str, *, dev: bool) -> set[tuple[str, str]]:
    """What `uv export --frozen` says belongs in the environment the report describes."""
    exported = uv(project, "export", "--frozen", "--no-hashes", "--no-header", "--no-annotate", "--no-emit-project",
                  *([] if dev else ["--no-dev"]))  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    environment = json.loads(report)["markers"]
    wanted = set()
    for line in exported.stdout.splitlines():
        requirement, _, marker = line.partition(";")
        if marker.strip() and not Marker(marker.strip()).evaluate(environment):
            continue
        name, version = requirement.strip().split("==")
        wanted.add((canonicalize_name(name.split("[")[0]), version))
    return wanted


def environment_report(python: Path | str) -> str:
    return subprocess.run([str(python), "-c", ENVIRONMENT_REPORT], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's template as it is on disk (uncommitted edits included)."""
    return template_copy(tmp_path_factory.mktemp("locks") / "template")


def test_every_dependency_option_set_ships_exactly_one_lock() -> None:
    expected = {lock_name(answers) for answers in LOCKED_SETS}
    shipped = {path.name for path in (REPO_ROOT / "templates" / "_shared" / "locks").glob("*.lock")}
    assert shipped == expected
    assert len(expected) == len(LOCKED_SETS)  # one name per answer set


@pytest.mark.parametrize("answers", LOCKED_SETS, ids=lock_name)
def test_the_shipped_lock_matches_the_rendered_pyproject(
    template: Path, tmp_path: Path, answers: dict[str, str | bool]
) -> None:
    """`uv lock --check --offline` passes, and `uv lock` would write the very same file."""
    assert set(answers) == set(DEPENDENCY_QUESTIONS)
    project = tmp_path / "svc"
    run_copy(str(template), project, data={**answers, "project_name": "My.Service"}, defaults=True, quiet=True)
    shipped = (project / "uv.lock").read_text()
    interpreter = python_for(str(answers["python_version"]))

    check = uv(project, "lock", "--check", "--offline", "--python", interpreter)
    assert check.returncode == 0, check.stderr
    relock = uv(project, "lock", "--offline", "--python", interpreter)
    assert relock.returncode == 0, relock.stderr
    assert (project / "uv.lock").read_text() == shipped
    assert 'name = "my-service"' in shipped


@pytest.mark.parametrize("project_name", ["aaa", "Mid_Name", "zzz-last"])
def test_the_project_entry_sits_where_uv_sorts_it(template: Path, tmp_path: Path, project_name: str) -> None:
    project = tmp_path / "svc"
    data = {"framework": "flask", "database": "sqlite", "project_name": project_name, "package_name": "svc"}
    run_copy(str(template), project, data=data, defaults=True, quiet=True)
    shipped = (project / "uv.lock").read_text()
    relock = uv(project, "lock", "--offline", "--python", python_for("3.11"))
    assert relock.returncode == 0, relock.stderr
    assert (project / "uv.lock").read_text() == shipped


def test_pyweb_new_needs_no_network(tmp_path: Path) -> None:
    require_tool("unshare")
    probe = subprocess.run([*OFFLINE, "true"], capture_output=True)
    require(probe.returncode == 0, "unshare cannot make a network namespace here")
    created = subprocess.run(
        [*OFFLINE, sys.executable, "-m", "pyweb_scaffold", "new", "svc", "--framework", "fastapi", "--defaults"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYWEB_TEMPLATE_STORE": str(tmp_path / "store")},
    )
    assert created.returncode == 0, created.stdout + created.stderr
    check = uv(tmp_path / "svc", "lock", "--check", "--offline", "--python", python_for("3.11"))
    assert check.returncode == 0, check.stderr


def make(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    require_tool("make")
    result = subprocess.run(["make", *args], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, f"make {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, template: Path) -> Callable[..., Path]:
    """A project per option set, generated (with git) and `make install`ed once."""
    projects: dict[tuple[str, str, bool], Path] = {}

    def get(framework: str, database: str, background_jobs: bool = False) -> Path:
        key = (framework, database, background_jobs)
        if key not in projects:
            project = tmp_path_factory.mktemp("-".join(map(str, key))) / "svc"
            data = {"framework": framework, "database": database, "background_jobs": background_jobs}
            run_copy(str(template), project, data=data, defaults=True, quiet=True)
            git(project, "init", "--quiet", "--initial-branch=main")
            commit_all(project, "generated")
            make(project, "install", f"PYTHON={python_for('3.11')}")
            projects[key] = project
        return projects[key]

    return get


# With jobs, the PostgreSQL sets stand for both databases here (the jobs end-to-end tests install SQLite's).
INSTALL_SETS = [(fw, db, jobs) for fw, db, jobs in DEPENDENCY_SETS if db == "postgresql" or not jobs]


@pytest.mark.e2e
@pytest.mark.parametrize(("framework", "database", "background_jobs"), INSTALL_SETS)
def test_make_install_installs_exactly_the_lock(
    installed: Callable[..., Path], framework: str, database: str, background_jobs: bool
) -> None:
    project = installed(framework, database, background_jobs)
    report = environment_report(project / ".venv" / "bin" / "python")
    assert installed_versions(report, "svc") == locked_versions(project, report, dev=True)
    assert uv(project, "lock", "--check", "--offline").returncode == 0


@pytest.mark.e2e
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_pre_commit_runs_offline_and_agrees_with_make_lint(installed: Callable[..., Path], framework: str) -> None:
    project = installed(framework, "postgresql")
    require(subprocess.run([*OFFLINE, "true"], capture_output=True).returncode == 0, "unshare cannot isolate")
    environment = {**os.environ, "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home")}
    hooks = [*OFFLINE, ".venv/bin/pre-commit", "run", "--all-files"]

    clean = subprocess.run(hooks, cwd=project, capture_output=True, text=True, env=environment)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    make(project, "lint")

    unformatted = project / "tests" / "test_unformatted.py"
    unformatted.write_text("def test_spacing( ):\n    assert  1==1\n")
    git(project, "add", str(unformatted))
    try:
        dirty = subprocess.run(hooks, cwd=project, capture_output=True, text=True, env=environment)
        assert dirty.returncode != 0 and "- hook id: ruff-format" in dirty.stdout, dirty.stdout
    finally:
        git(project, "rm", "--quiet", "--force", str(unformatted))


@pytest.mark.e2e
def test_an_update_that_changes_dependencies_leaves_uv_lock_whole_and_make_install_relocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Release 0.0.1 pins python-dotenv 1.2.3, this checkout 1.2.4. The user has added pytz, whose
    lock entries sit next to python-dotenv's: a merge into uv.lock would conflict there."""
    require_tool("git")
    store = tmp_path / "store"
    monkeypatch.setenv("PYWEB_TEMPLATE_STORE", str(store))
    old = template_copy(tmp_path / "old")
    pyproject = old / "templates" / "flask" / "pyproject.toml.jinja"
    assert '"python-dotenv==1.2.4"' in pyproject.read_text()
    pyproject.write_text(pyproject.read_text().replace('"python-dotenv==1.2.4"', '"python-dotenv==1.2.3"'))
    answers = {"framework": "flask", "database": "postgresql", "background_jobs": False, "realtime": False,
               "metrics": False, "python_version": "3.11"}  # fmt: skip
    write_lock(old, answers, tmp_path / "locking")
    ensure_version("0.0.1", source=old, store=store)
    project = tmp_path / "svc"
    run_copy(str(store), project, data={"framework": "flask"}, defaults=True, vcs_ref="0.0.1", quiet=True)
    git(project, "init", "--quiet", "--initial-branch=main")
    commit_all(project, "generated from 0.0.1")

    ours = project / "pyproject.toml"
    ours.write_text(ours.read_text().replace("dependencies = [\n", 'dependencies = [\n    "pytz>=2024.1",\n', 1))
    assert uv(project, "lock", "--python", python_for("3.11")).returncode == 0
    commit_all(project, "add pytz")
    lock_before = (project / "uv.lock").read_text()

    updated = CliRunner().invoke(main, ["update", str(project)], catch_exceptions=False)

    assert updated.exit_code == 0, updated.output
    lock = (project / "uv.lock").read_text()
    assert lock == lock_before, "the update changed uv.lock"
    assert "<<<<<<<" not in lock and "<<<<<<<" not in ours.read_text()
    assert '"python-dotenv==1.2.4"' in ours.read_text() and '"pytz>=2024.1"' in ours.read_text()
    commit_all(project, "template update")

    install = make(project, "install", f"PYTHON={python_for('3.11')}")

    assert "uv.lock does not match pyproject.toml" in install.stdout
    assert uv(project, "lock", "--check", "--offline").returncode == 0
    report = environment_report(project / ".venv" / "bin" / "python")
    installed = installed_versions(report, "svc")
    assert installed == locked_versions(project, report, dev=True)
    assert ("python-dotenv", "1.2.4") in installed
    assert any(name == "pytz" for name, _ in installed)
