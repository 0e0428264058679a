"""`pyweb add resource`: refusals that write nothing, and each framework's resources for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from copier import run_copy

from pyweb_scaffold import resource_spec
from pyweb_scaffold.cli import main
from pyweb_scaffold.resource_spec import ResourceSpecError
from pyweb_scaffold.template_source import ensure_version
from tests.conftest import python_for, require_tool
from tests.openapi import difference, normalise
from tests.openapi_contract import (
    DATETIME,
    DOCUMENT,
    INTEGER,
    MAX_INT,
    TITLE,
    nullable,
    obj,
    owned_rows,
    page,
    string,
)
from tests.releases import commit_all, git, template_copy

FRAMEWORKS = ["fastapi", "django", "flask"]
NEW_OPTIONS = ["--defaults", "--no-git", "--data", "database=sqlite"]
PROJECT = ["project", "name:str", "budget:int", "due:date?", "done:bool"]
TASK = ["task", "title:str", "notes:text", "project:ref"]
EVERY_TYPE = [
    "sample",
    "label:str",
    "code:str:20?",
    "body:text?",
    "amount:int",
    "ratio:float",
    "price:decimal?",
    "active:bool",
    "day:date",
    "at:datetime?",
    "contact:email",
    "site:url?",
    "task:ref?",
]


# --- the spec ---------------------------------------------------------------------------------


def test_parses_the_issues_resources() -> None:
    project = resource_spec.parse(PROJECT[0], PROJECT[1:])
    task = resource_spec.parse(TASK[0], TASK[1:])

    assert (project.name.plural, project.name.class_name) == ("projects", "Project")
    assert [(f.name, f.type, f.optional) for f in project.fields] == [
        ("name", "str", False),
        ("budget", "int", False),
        ("due", "date", True),
        ("done", "bool", False),
    ]
    assert [(f.column, f.target.plural) for f in task.refs] == [("project_id", "projects")]
    assert resource_spec.parse("story", ["title:str:80"]).name.plural == "stories"
    assert resource_spec.parse("story", ["title:str:80"]).fields[0].max_length == 80


@pytest.mark.parametrize(
    ("name", "fields", "message"),
    [
        ("item", ["title:str"], "taken by the project itself"),
        ("user", ["title:str"], "taken by the project itself"),
        ("class", ["title:str"], "Python keyword"),
        ("filter", ["title:str"], "builtin"),
        ("message", ["title:str"], "taken by the project itself"),
        ("project", ["check:bool"], "reserved"),
        ("Project", ["title:str"], "lower case letters"),
        ("project", [], "at least one field"),
        ("project", ["title:strng"], "unknown type 'strng'"),
        ("project", ["title"], "is not NAME:TYPE"),
        ("project", ["Title:str"], "lower case letters"),
        ("project", ["for:str"], "Python keyword"),
        ("project", ["owner:str"], "reserved"),
        ("project", ["title:str", "title:text"], "given twice"),
        ("project", ["title:int:5"], "only str takes a length"),
        ("project", ["title:str:0"], "must be a number from 1"),
        ("project", ["project:ref"], "cannot refer to itself"),
        ("project", ["item:ref"], "a ref names a resource made by `pyweb add resource`"),
    ],
)
def test_refuses_bad_specs_in_one_line(name: str, fields: list[str], message: str) -> None:
    with pytest.raises(ResourceSpecError, match=message) as error:
        resource_spec.parse(name, fields)
    assert "\n" not in str(error.value)


# --- the command in a project that is generated but not installed ------------------------------


@pytest.fixture(scope="module")
def fresh_projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One untouched project per framework, with a `.venv/bin/ruff` (all the dry run needs)."""
    parent = tmp_path_factory.mktemp("fresh")
    projects = {}
    for framework in FRAMEWORKS:
        project = parent / framework / "demo"
        project.parent.mkdir()
        env = {**os.environ, "PYWEB_TEMPLATE_STORE": str(parent / "store")}
        subprocess.run(
            [sys.executable, "-m", "pyweb_scaffold", "new", str(project), "--framework", framework, *NEW_OPTIONS],
            check=True,
            capture_output=True,
            env=env,
        )
        (project / ".venv" / "bin").mkdir(parents=True)
        (project / ".venv" / "bin" / "ruff").symlink_to(shutil.which("ruff") or Path(sys.executable).parent / "ruff")
        projects[framework] = project
    return projects


def snapshot(project: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(project)): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and ".venv" not in path.parts
    }


@pytest.fixture
def project_copy(fresh_projects: dict[str, Path], tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(fresh_projects[request.param], copy, symlinks=True)
    return copy


def add(project: Path, *args: str) -> tuple[int, str]:
    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["add", "resource", *args])
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


@pytest.mark.parametrize("project_copy", FRAMEWORKS, indirect=True)
def test_dry_run_lists_the_files_and_writes_nothing(project_copy: Path) -> None:
    before = snapshot(project_copy)

    code, output = add(project_copy, *PROJECT, "--dry-run")

    assert code == 0, output
    assert "tests/test_projects.py" in output
    assert "/projects/models.py" in output
    assert "a migration" in output
    assert snapshot(project_copy) == before


@pytest.mark.parametrize("project_copy", FRAMEWORKS, indirect=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["item", "title:str"], "taken by the project itself"),
        (["project", "name:colour"], "unknown type 'colour'"),
        (["task", "title:str", "project:ref"], "no resource 'project' in this project"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(project_copy: Path, args: list[str], message: str) -> None:
    before = snapshot(project_copy)

    code, output = add(project_copy, *args)

    assert code == 1
    assert message in output
    assert output.count("\n") == 1 and "Traceback" not in output
    assert snapshot(project_copy) == before


MARKED = {
    "fastapi": ("src/demo/main.py", "# pyweb: resource routers"),
    "django": ("demo/settings/base.py", "# pyweb: resource apps"),
    "flask": ("src/demo/api/__init__.py", "# pyweb: resource blueprints"),
}


@pytest.mark.parametrize("project_copy", FRAMEWORKS, indirect=True)
def test_a_missing_mark_names_the_file_and_the_line(project_copy: Path) -> None:
    framework = next(f for f in FRAMEWORKS if f"framework: {f}" in (project_copy / ".copier-answers.yml").read_text())
    path, mark = MARKED[framework]
    marked = project_copy / path
    marked.write_text(marked.read_text().replace(mark, "# edited away"))
    before = snapshot(project_copy)

    code, output = add(project_copy, *PROJECT)

    assert code == 1
    assert path in output and mark in output and "by hand" in output
    assert snapshot(project_copy) == before


def test_outside_a_project_says_where_to_run_it(tmp_path: Path) -> None:
    code, output = add(tmp_path, *PROJECT)

    assert code == 1
    assert "no .copier-answers.yml" in output


# --- end to end: generate, add, migrate, test, lint, serve, update ----------------------------


def project_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def run(project: Path, *command: str, timeout: int = 900) -> str:
    result = subprocess.run(
        command, cwd=project, env=project_env(), capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def pyweb_add(project: Path, *args: str) -> str:
    return run(project, sys.executable, "-m", "pyweb_scaffold", "add", "resource", *args)


BOOLEAN = {"type": "boolean"}
DATE = string(format="date")
INT32 = {"type": "integer", "minimum": -MAX_INT - 1, "maximum": MAX_INT}
OWN_ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
STAMPS = {"id": INTEGER, "owner_id": INTEGER, "created_at": DATETIME, "updated_at": DATETIME}
PROJECT_IN = {"name": TITLE, "budget": INT32, "due": nullable(DATE), "done": BOOLEAN}
TASK_IN = {"title": TITLE, "notes": string(maxLength=10_000), "project_id": OWN_ID}
# The contract's document with PROJECT's and TASK's operations and schemas, named as the items'.
WITH_PROJECTS_AND_TASKS = {
    **DOCUMENT,
    "paths": dict(sorted({**DOCUMENT["paths"], **owned_rows("project", "projects", "Project"),
                          **owned_rows("task", "tasks", "Task")}.items())),
    "schemas": dict(sorted({
        **DOCUMENT["schemas"],
        "Project": obj([*PROJECT_IN, *STAMPS], **STAMPS, name=string(), budget=INTEGER, due=nullable(DATE),
                       done=BOOLEAN),
        "ProjectCreate": obj(["name", "budget", "done"], **PROJECT_IN),
        "ProjectUpdate": obj([], **PROJECT_IN),
        "ProjectPage": page("Project"),
        "Task": obj([*TASK_IN, *STAMPS], **STAMPS, title=string(), notes=string(), project_id=INTEGER),
        "TaskCreate": obj(list(TASK_IN), **TASK_IN),
        "TaskUpdate": obj([], **TASK_IN),
        "TaskPage": page("Task"),
    }.items())),
}  # fmt: skip


def exercise_over_http(base: str) -> None:
    """The contract's rules for items, on the added projects and tasks."""
    with httpx.Client(base_url=base, timeout=10) as client:
        tokens = []
        for email in ("ada@example.com", "bob@example.com"):
            assert client.post("/api/v1/auth/register", json={"email": email, "password": "correct horse"}).is_success
            login = client.post("/api/v1/auth/login", json={"email": email, "password": "correct horse"})
            tokens.append({"Authorization": f"Bearer {login.json()['access_token']}"})
        ada, bob = tokens

        assert client.get("/api/v1/projects").status_code == 401
        body = {"name": "Roof", "budget": 1200, "done": False}
        created = [client.post("/api/v1/projects", json=body, headers=ada) for _ in range(3)]
        assert [response.status_code for response in created] == [201] * 3
        project = created[0].json()
        assert project["due"] is None and project["name"] == "Roof"
        assert client.post("/api/v1/projects", json={**body, "name": ""}, headers=ada).status_code == 422

        page = client.get("/api/v1/projects", params={"limit": 2}, headers=ada).json()
        assert (page["count"], len(page["results"]), page["previous"]) == (3, 2, None)
        assert page["next"] is not None
        assert client.get("/api/v1/projects", params={"limit": -1}, headers=ada).status_code == 422

        path = f"/api/v1/projects/{project['id']}"
        assert client.get(path, headers=bob).status_code == 404
        patched = client.patch(path, json={"due": "2027-03-01", "done": True}, headers=ada)
        assert patched.status_code == 200
        assert (patched.json()["due"], patched.json()["done"], patched.json()["name"]) == ("2027-03-01", True, "Roof")

        theirs = client.post("/api/v1/projects", json=body, headers=bob).json()
        task = {"title": "Tiles", "notes": "red ones"}
        refused = client.post("/api/v1/tasks", json={**task, "project_id": theirs["id"]}, headers=ada)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "project_id"]
        linked = client.post("/api/v1/tasks", json={**task, "project_id": project["id"]}, headers=ada)
        assert linked.status_code == 201 and linked.json()["project_id"] == project["id"]

        deleted = client.delete(path, headers=ada)
        assert (deleted.status_code, deleted.content) == (204, b"")
        assert client.get(path, headers=ada).status_code == 404

        served = normalise(client.get("/openapi.json").json())
        diff = difference(WITH_PROJECTS_AND_TASKS, served, ("the contract's names", "served"))
        assert not diff, f"the added resources' document breaks the contract's naming:\n{diff}"


# A file `pyweb add resource` registers in, and the line it adds there for the tasks.
REGISTERED = {
    "fastapi": ("src/demo/main.py", "api.include_router(tasks_router)"),
    "django": ("demo/settings/base.py", '"demo.tasks",'),
    "flask": ("src/demo/api/__init__.py", 'api.register_blueprint(tasks.blp, url_prefix=f"{PREFIX}/tasks")'),
}
DOWNGRADE = {
    "fastapi": [[".venv/bin/alembic", "downgrade", "-1"]],
    "django": [[".venv/bin/python", "manage.py", "migrate", "samples", "zero"]],
    "flask": [[".venv/bin/flask", "--app", "demo", "db", "downgrade"]],
}


@pytest.mark.e2e
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_added_resources_work_and_survive_a_template_update(framework: str, tmp_path: Path) -> None:
    from tests.test_e2e import serving

    require_tool("make")
    require_tool("git")
    # The project comes from a store holding this checkout's template as 1.0.0, so that a
    # release 2.0.0 can follow.
    store = tmp_path / "store"
    source = template_copy(tmp_path / "template")
    ensure_version("1.0.0", source=source, store=store)
    project = tmp_path / "demo"
    data = {"framework": framework, "database": "sqlite", "python_version": "3.11", "project_name": "demo"}
    run_copy(str(store), project, data=data, defaults=True, vcs_ref="1.0.0", quiet=True)
    git(project, "init", "--quiet", "--initial-branch=main")
    commit_all(project, "generated")
    python_for("3.11")
    run(project, "make", "install")

    assert "Added the resource 'project'" in pyweb_add(project, *PROJECT)
    assert "Added the resource 'task'" in pyweb_add(project, *TASK)
    commit_all(project, "projects and tasks")
    assert "nothing changed" in pyweb_add(project, *TASK)
    assert git(project, "status", "--porcelain") == ""

    run(project, "make", "migrate")
    assert "Required test coverage of 90" in run(project, "make", "coverage")
    run(project, "make", "lint")
    with serving(project) as base:
        exercise_over_http(base)

    # Every type: made, linted, upgraded, downgraded and upgraded again.
    pyweb_add(project, *EVERY_TYPE)
    run(project, "make", "migrate")
    run(project, "make", "lint")
    for command in DOWNGRADE[framework]:
        run(project, *command)
    run(project, "make", "migrate")
    run(project, "make", "test")
    commit_all(project, "samples")

    # A newer template release that also changes the file holding the registration: the added
    # resources stay, registrations included.
    readme = source / "templates" / framework / "README.md.jinja"
    readme.write_text(readme.read_text() + "\nTemplate release 2.0.0 adds this line.\n")
    registered, registration = REGISTERED[framework]
    template = source / "templates" / framework / registered.replace("demo", "{{ package_name }}")
    template = template if template.exists() else template.with_name(template.name + ".jinja")
    docstring = template.read_text().split("\n", 1)
    template.write_text(f"{docstring[0]}\n# Template release 2.0.0 changed this file.\n{docstring[1]}")
    ensure_version("2.0.0", source=source, store=store)
    update = subprocess.run(
        [sys.executable, "-m", "copier", "update", "--defaults", "--vcs-ref", "2.0.0"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert update.returncode == 0, update.stderr
    assert "Template release 2.0.0 adds this line." in (project / "README.md").read_text()
    assert "<<<<<<<" not in git(project, "diff")
    changed = git(project, "status", "--porcelain").split()
    assert not [path for path in changed if "project" in path or "task" in path or "sample" in path]
    updated = (project / registered).read_text()
    assert "# Template release 2.0.0 changed this file." in updated
    assert registration in updated
    run(project, "make", "test")


def fake_alembic(project: Path, script: str) -> None:
    """A stand-in for the project's Alembic, so that the command's own logic runs in seconds."""
    alembic = project / ".venv" / "bin" / "alembic"
    alembic.write_text(f"#!/bin/sh\n{script}\n")
    alembic.chmod(0o755)


def fake_python(project: Path) -> None:
    """A stand-in for the project's Python, for `make openapi`: the document stays as it is."""
    python = project / ".venv" / "bin" / "python"
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)


WRITES_A_REVISION = 'if [ "$1" = revision ]; then echo \'"""add"""\' > migrations/versions/20990101_0000_add.py; fi'


@pytest.mark.parametrize("project_copy", ["fastapi"], indirect=True)
def test_the_same_command_twice_changes_nothing_and_other_fields_are_refused(project_copy: Path) -> None:
    fake_alembic(project_copy, WRITES_A_REVISION)
    fake_python(project_copy)
    code, output = add(project_copy, *PROJECT)
    assert code == 0, output
    assert "migrations/versions/20990101_0000_add.py" in output
    after_first = snapshot(project_copy)
    assert "api.include_router(projects_router)" in (project_copy / "src/demo/main.py").read_text()

    again, again_output = add(project_copy, *PROJECT)
    other, other_output = add(project_copy, "project", "name:str", "budget:float")

    assert (again, other) == (0, 1)
    assert "nothing changed" in again_output
    assert "exists already" in other_output and other_output.count("\n") == 1
    assert snapshot(project_copy) == after_first


@pytest.mark.parametrize("project_copy", ["fastapi"], indirect=True)
def test_a_failing_migration_tool_undoes_every_change(project_copy: Path) -> None:
    fake_alembic(project_copy, 'echo "Traceback ..." >&2; echo "NameError: boom" >&2; exit 1')
    before = snapshot(project_copy)

    code, output = add(project_copy, *PROJECT)

    assert code == 1
    assert "failed, nothing was added: NameError: boom" in output
    assert output.count("\n") == 1
    assert snapshot(project_copy) == before
    assert not (project_copy / "src/demo/projects").exists()
