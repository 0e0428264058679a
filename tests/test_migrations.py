"""Day 2 in each framework: a model with every supported field type goes through `make migrations`,
`make lint`, `make migrate`, one step down and up again; a model change without its migration
fails `make lint`, naming `make migrations`."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.test_e2e import make, project_env

pytestmark = pytest.mark.e2e

FRAMEWORKS = ["fastapi", "django", "flask"]
PACKAGE = "demo"
NO_MIGRATION = 'models changed without a migration: run make migrations m="what changed"'

# The field types of `pyweb add resource`: str with a maximum, text, int, float, decimal, bool,
# date, datetime with a timezone, email, url, an optional (nullable) one, a foreign key to users.
# The same SQLAlchemy model in FastAPI and Flask; only its base class differs.
SQLALCHEMY_MODEL = """

class Gadget({base}):
    __tablename__ = "gadgets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(Text)
    count: Mapped[int]
    ratio: Mapped[float]
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    done: Mapped[bool]
    due: Mapped[date]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    email: Mapped[str] = mapped_column(String(320))
    url: Mapped[str] = mapped_column(String(2048))
    nickname: Mapped[str | None] = mapped_column(String(50))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
"""

FASTAPI_MODEL = '''"""Every supported column type."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from demo.db import Base, UTCDateTime
''' + SQLALCHEMY_MODEL.format(base="Base")

FLASK_IMPORTS = "from datetime import date\nfrom decimal import Decimal\nfrom sqlalchemy import Numeric"
FLASK_MODEL = SQLALCHEMY_MODEL.format(base="db.Model")

DJANGO_MODEL = """

class Gadget(models.Model):
    name = models.CharField(max_length=120)
    notes = models.TextField()
    count = models.IntegerField()
    ratio = models.FloatField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    done = models.BooleanField(default=False)
    due = models.DateField()
    starts_at = models.DateTimeField()
    email = models.EmailField(max_length=320)
    url = models.URLField(max_length=2048)
    nickname = models.CharField(max_length=50, null=True, blank=True)  # noqa: DJ001
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gadgets"
    )

    def __str__(self) -> str:
        return self.name
"""


def add_line_after(path: Path, anchor: str, line: str) -> None:
    text = path.read_text()
    assert anchor in text, f"{path} no longer has {anchor!r}"
    path.write_text(text.replace(anchor, f"{anchor}\n{line}", 1))


def add_gadget_model(project: Path, framework: str) -> Path:
    """Write the model as a user would, lint-clean; returns the file that holds it."""
    src = project / "src" / PACKAGE
    if framework == "fastapi":
        model = src / "gadgets.py"
        model.write_text(FASTAPI_MODEL)
        registry = src / "models.py"
        add_line_after(registry, f"from {PACKAGE}.db import Base", f"from {PACKAGE}.gadgets import Gadget")
        registry.write_text(registry.read_text().replace('__all__ = ["Base", ', '__all__ = ["Base", "Gadget", '))
        return model
    if framework == "flask":
        model = src / "models.py"
        docstring = model.read_text().split("\n", 1)[0]
        add_line_after(model, docstring, FLASK_IMPORTS)
        model.write_text(model.read_text() + FLASK_MODEL)
    else:
        model = project / PACKAGE / "items" / "models.py"
        model.write_text(model.read_text() + DJANGO_MODEL)
    # Sorts the imports added above, as `make format` would, without touching anything else.
    for command in (["check", "--fix", "--quiet"], ["format", "--quiet"]):
        subprocess.run([str(project / ".venv/bin/ruff"), *command, str(model)], cwd=project, check=True)
    return model


def step_down(project: Path, framework: str, **env: str) -> None:
    """One migration back, with the framework's own command."""
    command = {
        "fastapi": [".venv/bin/alembic", "downgrade", "-1"],
        "flask": [".venv/bin/flask", "--app", PACKAGE, "db", "downgrade"],
        "django": [".venv/bin/python", "manage.py", "migrate", "items", "0001"],
    }[framework]
    result = subprocess.run(command, cwd=project, env=project_env(**env), capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"


def check_models_match(project: Path, framework: str, **env: str) -> None:
    """What `make lint` checks on SQLite, here against the given DATABASE_URL."""
    command = {
        "fastapi": [".venv/bin/alembic", "check"],
        "flask": [".venv/bin/flask", "--app", PACKAGE, "db", "check"],
        "django": [".venv/bin/python", "manage.py", "makemigrations", "--check", "--dry-run"],
    }[framework]
    result = subprocess.run(command, cwd=project, env=project_env(**env), capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"


def gadget_table(framework: str) -> str:
    return "items_gadget" if framework == "django" else "gadgets"


def sqlite_tables(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.fixture(scope="module")
def with_gadgets(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, Path]]:
    """Per framework: a generated, installed project whose fresh `make lint` passed, then the
    Gadget model and its migration from `make migrations`; returns (project, model file)."""
    projects: dict[str, tuple[Path, Path]] = {}

    def get(framework: str) -> tuple[Path, Path]:
        if framework not in projects:
            require_tool("make")
            parent = tmp_path_factory.mktemp(f"migrations-{framework}")
            subprocess.run(
                [sys.executable, "-m", "pyweb_scaffold", "new", PACKAGE, "--framework", framework, "--defaults"],
                cwd=parent,
                check=True,
                capture_output=True,
            )
            project = parent / PACKAGE
            make(project, "install")
            # Offline, whatever DATABASE_URL says: the check builds its own SQLite database.
            make(project, "lint", DATABASE_URL="postgresql://nobody@127.0.0.1:9/nothing")
            model = add_gadget_model(project, framework)
            scratch = f"sqlite:///{parent / 'scratch.db'}"
            make(project, "migrate", DATABASE_URL=scratch)
            made = make(project, "migrations", "m=add gadgets", DATABASE_URL=scratch)
            assert "add_gadgets" in made.stdout + made.stderr
            projects[framework] = (project, model)
        return projects[framework]

    return get


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_field_type_round_trips_on_sqlite(
    with_gadgets: Callable[[str], tuple[Path, Path]], tmp_path: Path, framework: str
) -> None:
    project, _ = with_gadgets(framework)
    make(project, "lint")
    database = tmp_path / "dev.db"
    env = {"DATABASE_URL": f"sqlite:///{database}"}

    make(project, "migrate", **env)
    assert gadget_table(framework) in sqlite_tables(database)
    step_down(project, framework, **env)
    assert gadget_table(framework) not in sqlite_tables(database)
    assert "users" in sqlite_tables(database) or "users_user" in sqlite_tables(database)
    make(project, "migrate", **env)
    assert gadget_table(framework) in sqlite_tables(database)
    check_models_match(project, framework, **env)

    make(project, "test")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_field_type_round_trips_on_postgresql(
    with_gadgets: Callable[[str], tuple[Path, Path]], postgres_database: Callable[[], str], framework: str
) -> None:
    """The migration made on SQLite runs on PostgreSQL too, and matches the models there."""
    project, _ = with_gadgets(framework)
    env = {"DATABASE_URL": postgres_database()}

    make(project, "migrate", **env)
    step_down(project, framework, **env)
    make(project, "migrate", **env)
    check_models_match(project, framework, **env)


@contextmanager
def edited(path: Path, anchor: str, line: str) -> Iterator[None]:
    original = path.read_text()
    add_line_after(path, anchor, line)
    try:
        yield
    finally:
        path.write_text(original)


NEW_FIELD = {
    "fastapi": ("    nickname: Mapped[str | None] = mapped_column(String(50))", "    rank: Mapped[int | None]"),
    "flask": ("    nickname: Mapped[str | None] = mapped_column(String(50))", "    rank: Mapped[int | None]"),
    "django": ("    ratio = models.FloatField()", "    rank = models.IntegerField(null=True)"),
}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_lint_fails_on_a_model_change_without_migration(
    with_gadgets: Callable[[str], tuple[Path, Path]], framework: str
) -> None:
    project, model = with_gadgets(framework)
    anchor, field = NEW_FIELD[framework]
    with edited(model, anchor, field):
        result = subprocess.run(["make", "lint"], cwd=project, env=project_env(), capture_output=True, text=True)
    assert result.returncode != 0
    assert NO_MIGRATION in result.stderr
    assert "rank" in result.stdout + result.stderr
