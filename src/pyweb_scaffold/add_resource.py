"""`pyweb add resource`: render a resource's files into a generated project and register them.

Files come from `templates/_resource/<framework>/`, rendered with Jinja2 and then fixed and
formatted by the project's own ruff (through stdin, so its configuration applies). Every file
is rendered and every mark found before the first write; the migration is then made by the
framework's own tool in the project's venv, and if that fails every change is undone.
"""

from __future__ import annotations

import ast
import subprocess
import tempfile
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyweb_scaffold import resource_spec
from pyweb_scaffold.errors import PywebError, one_line
from pyweb_scaffold.resource_spec import Field, ResourceSpec
from pyweb_scaffold.template_source import ANSWERS_FILE, bundled_template_root

MARK_PREFIX = "# pyweb: "
# The API document the project commits; `make openapi` rewrites it from the app.
OPENAPI_DOCUMENT = "openapi.json"


class AddResourceError(PywebError):
    """`pyweb add resource` cannot add the resource."""


@dataclass(frozen=True)
class Project:
    root: Path
    framework: str
    package_name: str
    answers: dict[str, Any]

    @property
    def package_dir(self) -> Path:
        """Where the package lives: under src/ in FastAPI and Flask, at the root in Django."""
        return self.root / self.package_name if self.framework == "django" else self.root / "src" / self.package_name

    def tool(self, name: str) -> Path:
        return self.root / ".venv" / "bin" / name


@dataclass(frozen=True)
class Registration:
    """Lines to add just above a mark comment, and imports to add to the same file."""

    path: str  # relative to the project
    mark: str
    lines: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()
    all_name: str | None = None  # a name to add to the `__all__` list just above the mark


@dataclass
class Plan:
    new_files: dict[str, str] = field(default_factory=dict)
    changed_files: dict[str, str] = field(default_factory=dict)
    migration: str = ""  # how the migration is made

    @property
    def paths(self) -> list[str]:
        return sorted(self.new_files) + sorted(self.changed_files)


def load_project(root: Path) -> Project:
    import yaml

    answers_file = root / ANSWERS_FILE
    if not answers_file.is_file():
        raise AddResourceError(f"no {ANSWERS_FILE} in {root}: run `pyweb add` at the root of a project pyweb generated")
    try:
        answers = yaml.safe_load(answers_file.read_text()) or {}
    except yaml.YAMLError as error:
        raise AddResourceError(f"{ANSWERS_FILE} is not valid YAML: {one_line(error)}") from None
    framework, package = answers.get("framework"), answers.get("package_name")
    if framework not in FRAMEWORKS or not isinstance(package, str):
        raise AddResourceError(f"{ANSWERS_FILE} names no framework and package_name pyweb knows")
    return Project(root=root, framework=framework, package_name=package, answers=answers)


def existing_resources(project: Project) -> set[str]:
    """The plural names of the resources `pyweb add resource` made (they hold its marker file)."""
    return {path.parent.name for path in project.package_dir.glob(f"*/{RESOURCE_MARKER}")}


# Marks a resource's package as made by `pyweb add resource`, and holds the command.
RESOURCE_MARKER = "__init__.py"


def _is_resource(project: Project, plural: str) -> bool:
    init = project.package_dir / plural / RESOURCE_MARKER
    return init.is_file() and init.read_text().startswith('"""Made by `pyweb add resource')


def check_spec(project: Project, spec: ResourceSpec) -> None:
    for ref in spec.refs:
        if not _is_resource(project, ref.target.plural):
            raise AddResourceError(
                f"field {ref.name}:ref: no resource {ref.target.singular!r} in this project"
                f" (add it first with `pyweb add resource {ref.target.singular} ...`)"
            )
    taken = project.package_dir / spec.name.plural
    if taken.exists() and not _is_resource(project, spec.name.plural):
        raise AddResourceError(f"resource name {spec.name.singular!r} clashes with {taken.relative_to(project.root)}")


# Sample values the generated tests send: a valid one, another valid one, an invalid one.
SAMPLES: dict[str, tuple[str, str, str]] = {
    "text": ('"Some notes"', '"Other notes"', '"x" * 10_001'),
    "int": ("42", "7", "2**31"),
    "float": ("2.5", "0.25", '"not a number"'),
    "decimal": ('"12.50"', '"3.25"', '"1.234"'),
    "bool": ("True", "False", '"maybe"'),
    "date": ('"2026-12-01"', '"2027-01-15"', '"2026-13-45"'),
    "datetime": ('"2026-12-01T09:30:00Z"', '"2027-01-15T18:00:00Z"', '"2026-12-01T09:30:00"'),
    "email": ('"ada@example.com"', '"grace@example.com"', '"not an email"'),
    "url": ('"https://example.com/a"', '"https://example.org/b"', '"not a url"'),
    "ref": ("0", "0", "0"),
}


def _samples(field_: Field) -> tuple[str, str, str]:
    if field_.type == "str":
        length = field_.max_length or resource_spec.DEFAULT_STR_LENGTH
        return (repr(f"A {field_.name}"[:length]), repr(f"Renamed {field_.name}"[:length]), '""')
    return SAMPLES[field_.type]


def context(project: Project, spec: ResourceSpec) -> dict[str, Any]:
    patchable = [f for f in spec.fields if f.type != "ref"] or list(spec.fields)
    return {
        "package_name": project.package_name,
        "python_version": project.answers.get("python_version", "3.11"),
        "resource": spec.name,
        "fields": spec.fields,
        "refs": spec.refs,
        "types": spec.types,
        "required_fields": [f for f in spec.fields if not f.optional],
        "optional_fields": [f for f in spec.fields if f.optional],
        "patch_field": patchable[0],
        "samples": {f.name: _samples(f) for f in spec.fields},
        "command_lines": textwrap.wrap(spec.command(), 90, subsequent_indent="    ", break_on_hyphens=False),
        "limits": {
            "decimal_digits": resource_spec.DECIMAL_DIGITS,
            "decimal_places": resource_spec.DECIMAL_PLACES,
            "int_min": resource_spec.INT_MIN,
            "int_max": resource_spec.INT_MAX,
        },
    }


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(bundled_template_root() / "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def render_files(project: Project, spec: ResourceSpec) -> dict[str, str]:
    """The resource's new files, by path relative to the project, as the project's ruff leaves them."""
    environment = _environment()
    values = context(project, spec)
    root = bundled_template_root() / "templates" / "_resource" / project.framework
    files: dict[str, str] = {}
    for source in sorted(root.rglob("*")):
        relative = source.relative_to(root)
        if not source.is_file() or (relative.name.startswith("_") and not relative.name.startswith("__init__")):
            continue
        name = environment.from_string(str(relative)).render(values).removesuffix(".jinja")
        template = environment.get_template(str(source.relative_to(bundled_template_root() / "templates")))
        content = template.render(values)
        files[name] = tidy(project, name, content) if name.endswith(".py") else content
    return files


def tidy(project: Project, name: str, source: str) -> str:
    """`ruff check --fix` then `ruff format`, with the project's configuration, on text."""
    ruff = project.tool("ruff")
    if not ruff.is_file():
        raise AddResourceError(f"no {ruff.relative_to(project.root)}: run `make install` first")
    for args in (["check", "--fix", "--quiet", "--exit-zero"], ["format", "--quiet"]):
        result = subprocess.run(
            [str(ruff), *args, "--stdin-filename", name, "-"],
            cwd=project.root,
            input=source,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise AddResourceError(f"ruff could not format {name}: {one_line(result.stderr or result.stdout)}")
        source = result.stdout
    return source


def _import_position(lines: list[str]) -> int:
    """The index just after the module's last top-level import."""
    tree = ast.parse("".join(lines))
    last = 0
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            last = node.end_lineno or node.lineno
        elif last:
            break
    return last


def apply_registration(project: Project, registration: Registration, text: str) -> str:
    """The file's text with the registration's lines added; unchanged when they are already there."""
    mark_line = f"{MARK_PREFIX}{registration.mark}"
    lines = text.splitlines(keepends=True)
    found = [index for index, line in enumerate(lines) if line.strip() == mark_line]
    if not found:
        raise AddResourceError(
            f"{registration.path} has lost its `{mark_line}` line; add it back by hand"
            f" ({REGISTRATION_HINTS[project.framework][registration.mark]}) and run the command again"
        )
    index = found[0]
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    present = {line.strip() for line in lines}
    new = [f"{indent}{line}\n" for line in registration.lines if line.strip() not in present]
    lines[index:index] = new
    if registration.all_name:
        lines = _add_to_all(registration, lines, index + len(new))
    imports = [f"{line}\n" for line in registration.imports if line not in present]
    position = _import_position(lines)
    lines[position:position] = imports
    return "".join(lines)


def _add_to_all(registration: Registration, lines: list[str], mark_index: int) -> list[str]:
    """Rewrite the `__all__ = [...]` statement just above the mark with one more name, sorted."""
    source = "".join(lines)
    tree = ast.parse(source)
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(target, "id", None) for target in node.targets] == ["__all__"]
            and node.end_lineno == mark_index
        ):
            names = set(ast.literal_eval(node.value)) | {registration.all_name}
            statement = f"__all__ = [{', '.join(repr(name).replace(chr(39), chr(34)) for name in sorted(names))}]\n"
            return [*lines[: node.lineno - 1], statement, *lines[mark_index:]]
    raise AddResourceError(
        f"{registration.path}: the line above `{MARK_PREFIX}{registration.mark}` is not `__all__ = [...]`"
    )


def plan(project: Project, spec: ResourceSpec) -> Plan:
    """Everything the command would write, checked; raises before anything is written."""
    check_spec(project, spec)
    result = Plan(migration=MIGRATION_TOOLS[project.framework](project, spec)[1])
    for name, content in render_files(project, spec).items():
        target = project.root / name
        if not target.exists():
            result.new_files[name] = content
        elif target.read_text() != content:
            raise AddResourceError(
                f"resource {spec.name.singular!r} exists already with other fields or edits ({name} differs);"
                " choose another name or change it by hand"
            )
    for registration in REGISTRATIONS[project.framework](project, spec):
        path = project.root / registration.path
        if not path.is_file():
            raise AddResourceError(f"{registration.path} is missing: pyweb registers the resource there")
        text = path.read_text()
        changed = apply_registration(project, registration, text)
        if changed != text:
            result.changed_files[registration.path] = tidy(project, registration.path, changed)
    return result


def add(root: Path, name: str, arguments: tuple[str, ...], dry_run: bool, echo: Callable[[str], None]) -> None:
    project = load_project(root)
    spec = resource_spec.parse(name, arguments, frozenset({project.package_name}))
    result = plan(project, spec)
    if not result.new_files and not result.changed_files:
        echo(f"Resource {spec.name.singular!r} is already there, as asked; nothing changed.")
        return
    if dry_run:
        echo(f"Would add the resource {spec.name.singular!r} (/api/v1/{spec.name.plural}):")
        for path in sorted(result.new_files):
            echo(f"  create  {path}")
        for path in sorted(result.changed_files):
            echo(f"  change  {path}")
        echo(f"  create  a migration ({result.migration})")
        return
    originals = {path: (project.root / path).read_text() for path in result.changed_files}
    # Projects made before the document was committed have none.
    has_document = (project.root / OPENAPI_DOCUMENT).is_file()
    if has_document:
        originals[OPENAPI_DOCUMENT] = (project.root / OPENAPI_DOCUMENT).read_text()
    try:
        for path, content in {**result.new_files, **result.changed_files}.items():
            target = project.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
        made = make_migration(project, spec)
        if has_document:
            _run(project, ["make", "--no-print-directory", "openapi"], {}, "make openapi")
    except BaseException:
        _undo(project, result, originals)
        raise
    echo(f"Added the resource {spec.name.singular!r} at /api/v1/{spec.name.plural}:")
    for path in [*sorted(result.new_files), *made]:
        echo(f"  created  {path}")
    for path in sorted(originals):
        echo(f"  changed  {path}")
    echo("Next: `make migrate`, then `make test`.")


def _undo(project: Project, result: Plan, originals: dict[str, str]) -> None:
    for path, text in originals.items():
        (project.root / path).write_text(text)
    created_dirs = set()
    for path in result.new_files:
        target = project.root / path
        target.unlink(missing_ok=True)
        created_dirs.update(parent for parent in target.parents if project.root in parent.parents)
    for directory in sorted(created_dirs, key=lambda p: len(p.parts), reverse=True):
        pycache = directory / "__pycache__"
        if pycache.is_dir():
            for cached in pycache.iterdir():
                cached.unlink()
            pycache.rmdir()
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()


def _run(project: Project, command: list[str], env: dict[str, str], what: str) -> None:
    import os

    result = subprocess.run(
        command, cwd=project.root, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        raise AddResourceError(f"{what} failed, nothing was added: {lines[-1].strip() if lines else result.returncode}")


def make_migration(project: Project, spec: ResourceSpec) -> list[str]:
    """Make the migration with the framework's tool against a scratch SQLite database; its new files."""
    before = _migration_files(project)
    command, _ = MIGRATION_TOOLS[project.framework](project, spec)
    with tempfile.TemporaryDirectory(prefix="pyweb-add-") as scratch:
        env = {"DATABASE_URL": f"sqlite:///{scratch}/scratch.db", "ENVIRONMENT": "development"}
        for step, what in command:
            _run(project, step, env, what)
    made = sorted(str(path.relative_to(project.root)) for path in _migration_files(project) - before)
    if not made:
        raise AddResourceError("the migration tool found no change to migrate, nothing was added")
    return made


def _migration_files(project: Project) -> set[Path]:
    if project.framework == "django":
        return set(project.package_dir.glob("*/migrations/0*.py"))
    return set((project.root / "migrations" / "versions").glob("*.py"))


MigrationCommand = tuple[list[tuple[list[str], str]], str]


def _fastapi_migration(project: Project, spec: ResourceSpec) -> MigrationCommand:
    alembic = str(project.tool("alembic"))
    message = f"add {spec.name.plural}"
    return (
        [
            ([alembic, "upgrade", "head"], "alembic upgrade head (on a scratch database)"),
            ([alembic, "revision", "--autogenerate", "-m", message], "alembic revision --autogenerate"),
        ],
        f'alembic revision --autogenerate -m "{message}"',
    )


def _flask_migration(project: Project, spec: ResourceSpec) -> MigrationCommand:
    flask = [str(project.tool("flask")), "--app", project.package_name, "db"]
    message = f"add {spec.name.plural}"
    return (
        [
            ([*flask, "upgrade"], "flask db upgrade (on a scratch database)"),
            ([*flask, "migrate", "-m", message], "flask db migrate"),
        ],
        f'flask db migrate -m "{message}"',
    )


def _django_migration(project: Project, spec: ResourceSpec) -> MigrationCommand:
    python = str(project.tool("python"))
    ruff = str(project.tool("ruff"))
    migrations = str(project.package_dir.relative_to(project.root) / spec.name.plural / "migrations")
    return (
        [
            ([python, "manage.py", "makemigrations", spec.name.plural], "manage.py makemigrations"),
            ([ruff, "check", "--fix", "--quiet", migrations], "ruff check --fix"),
            ([ruff, "format", "--quiet", migrations], "ruff format"),
        ],
        f"manage.py makemigrations {spec.name.plural}",
    )


MIGRATION_TOOLS: dict[str, Callable[[Project, ResourceSpec], MigrationCommand]] = {
    "fastapi": _fastapi_migration,
    "django": _django_migration,
    "flask": _flask_migration,
}


def _fastapi_registrations(project: Project, spec: ResourceSpec) -> list[Registration]:
    package, plural, cls = project.package_name, spec.name.plural, spec.name.class_name
    return [
        Registration(
            path=f"src/{package}/main.py",
            mark="resource routers",
            lines=(f"api.include_router({plural}_router)",),
            imports=(f"from {package}.{plural}.router import router as {plural}_router",),
        ),
        Registration(
            path=f"src/{package}/models.py",
            mark="resource models",
            imports=(f"from {package}.{plural}.models import {cls}",),
            all_name=cls,
        ),
    ]


def _django_registrations(project: Project, spec: ResourceSpec) -> list[Registration]:
    package, plural = project.package_name, spec.name.plural
    return [
        Registration(path=f"{package}/settings/base.py", mark="resource apps", lines=(f'"{package}.{plural}",',)),
        Registration(
            path=f"{package}/api/urls.py",
            mark="resource urls",
            lines=(f'path("", include("{package}.{plural}.urls")),',),
        ),
    ]


def _flask_registrations(project: Project, spec: ResourceSpec) -> list[Registration]:
    package, plural = project.package_name, spec.name.plural
    return [
        Registration(
            path=f"src/{package}/api/__init__.py",
            mark="resource blueprints",
            lines=(f'api.register_blueprint({plural}.blp, url_prefix=f"{{PREFIX}}/{plural}")',),
            imports=(f"from {package}.{plural} import views as {plural}",),
        ),
    ]


REGISTRATIONS: dict[str, Callable[[Project, ResourceSpec], list[Registration]]] = {
    "fastapi": _fastapi_registrations,
    "django": _django_registrations,
    "flask": _flask_registrations,
}
# What a missing mark looks like where it belongs, for the error message.
REGISTRATION_HINTS = {
    "fastapi": {
        "resource routers": "in create_app(), after `api.include_router(items_router)`",
        "resource models": "right after the `__all__ = [...]` line",
    },
    "django": {
        "resource apps": "as the last line inside INSTALLED_APPS",
        "resource urls": "as the last line inside v1_urlpatterns",
    },
    "flask": {"resource blueprints": "as the last line of register_blueprints()"},
}
FRAMEWORKS = tuple(REGISTRATIONS)
