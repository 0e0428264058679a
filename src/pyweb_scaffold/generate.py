"""Render a new project safely: into a temporary folder, committed, then moved into place."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pyweb_scaffold import __version__, git
from pyweb_scaffold.errors import GenerationError, one_line
from pyweb_scaffold.names import default_package_name, package_name_problem, suggest_package_name
from pyweb_scaffold.template_source import (
    ANSWERS_FILE,
    bundled_template_root,
    record_source,
    snapshot_of_version,
    template_questions,
    template_repository,
)


@dataclass
class NewProject:
    destination: Path
    data: dict[str, Any]
    defaults: bool = False
    template: str | None = None
    vcs_ref: str | None = None
    git: bool = True
    suggested: dict[str, Any] = field(default_factory=dict)
    """Defaults for project questions (from the flowchart's answers): shown, changeable, never forced."""


def check_destination(destination: Path) -> None:
    if destination.exists():
        if not destination.is_dir() or any(destination.iterdir()):
            raise GenerationError(f"{destination} already exists and is not empty; choose a new folder")
        writable = destination
    else:
        writable = destination.parent
        if not writable.is_dir():
            raise GenerationError(f"the parent folder {writable} does not exist")
    if not os.access(writable, os.W_OK | os.X_OK):
        raise GenerationError(f"cannot write to {writable}")


def check_package_name(project: NewProject) -> None:
    """Fail early, with a suggestion, when the package name would be unusable."""
    project_name = project.data.get("project_name", project.destination.name)
    given = "package_name" in project.data
    name = str(project.data["package_name"]) if given else default_package_name(project_name)
    if problem := package_name_problem(name):
        fixed = suggest_package_name(name)
        how = (
            f"--data package_name={fixed}" if given else f"name the folder {fixed} or pass --data package_name={fixed}"
        )
        raise GenerationError(f"package name {name!r} {problem}; try {fixed!r} ({how})")


_BOOL_WORDS = {"true", "false", "yes", "no", "y", "n", "on", "off", "1", "0"}


def check_data(data: dict[str, Any]) -> None:
    """What copier's own validators do not catch: unknown questions and loose booleans."""
    questions = {key: spec for key, spec in template_questions().items() if spec.get("when") is not False}
    unknown = set(data) - set(questions)
    if unknown:
        known = ", ".join(sorted(questions))
        raise GenerationError(f"unknown question(s) {', '.join(sorted(unknown))}; known: {known}")
    for key, value in data.items():
        if questions[key].get("type") == "bool" and str(value).lower() not in _BOOL_WORDS:
            raise GenerationError(f"{key}={value!r} is not a yes/no answer (use true or false)")


def is_asked(question: dict[str, Any], answers: dict[str, Any]) -> bool:
    """Whether copier asks this question (a copier.yml entry) after `answers`: its `when` decides."""
    import jinja2

    when = question.get("when", True)
    if isinstance(when, str):
        return jinja2.Environment(autoescape=False).from_string(when).render(answers).strip().lower() == "true"
    return bool(when)


def asked_for(data: dict[str, Any], questions: dict[str, bool]) -> tuple[dict[str, bool], list[str]]:
    """Split `questions` into those copier.yml asks for the answers in `data`, and the others
    (realtime is not asked for Flask, server_pages only for Django)."""
    specs = template_questions()
    kept = {key: value for key, value in questions.items() if is_asked(specs[key], data)}
    return kept, [key for key in questions if key not in kept]


def author_defaults() -> dict[str, str]:
    """Default the author questions to the user's git identity."""
    found = {"author_name": git.config("user.name"), "author_email": git.config("user.email")}
    return {key: value for key, value in found.items() if value}


def _initial_commit(project_dir: Path) -> None:
    identity: tuple[str, ...] = ()
    if not git.config("user.email"):
        answers = yaml.safe_load((project_dir / ANSWERS_FILE).read_text())
        identity = ("-c", f"user.name={answers['author_name']}", "-c", f"user.email={answers['author_email']}")
    git.run(project_dir, "init", "--quiet", "--initial-branch=main")
    git.run(project_dir, "add", "--all")
    git.run(
        project_dir,
        "commit",
        "--quiet",
        "--message",
        f"Initial commit from pyweb-scaffold {__version__}",
        identity=identity,
    )


def create(project: NewProject, warn: Callable[[str], None]) -> dict[str, Any]:
    """Render the project into place and return its answers. Leaves nothing behind on failure or
    interruption."""
    destination = project.destination
    check_destination(destination)
    if project.defaults:
        check_package_name(project)

    have_git = git.available()
    if not have_git:
        warn("git was not found: rendering without version tracking and without the initial commit")
    # pyweb's own template is recorded as its repository, not as a path of this machine.
    portable_source = None if project.template else template_repository()
    with _template_folder(project, have_git) as (src, ref, commit):
        return _create(project, src, ref, portable_source, commit, have_git)


@contextmanager
def _template_folder(project: NewProject, have_git: bool) -> Iterator[tuple[str, str | None, str | None]]:
    """What copier renders from: the source, the ref for copier to check out, and the tag to
    record as `_commit` when copier renders a plain folder of that tag."""
    if project.template:
        yield project.template, project.vcs_ref, None
    elif have_git:
        with snapshot_of_version() as (snapshot, tag):
            yield str(snapshot), None, tag
    else:
        yield str(bundled_template_root()), None, None


def _create(
    project: NewProject, src: str, ref: str | None, portable_source: str | None, commit: str | None, have_git: bool
) -> dict[str, Any]:
    destination = project.destination
    # An existing (empty) folder is kept, since it may be the user's working directory: the
    # project is staged inside it and its entries moved up. A new folder is staged beside it.
    in_place = destination.exists()
    staging_parent = destination if in_place else destination.parent
    # The name is known before the folder exists, so a Ctrl-C at any moment finds it to remove
    # (one during tempfile.mkdtemp could leave it behind).
    staging = staging_parent / f".{destination.name}.pyweb-{secrets.token_hex(8)}"
    try:
        staging.mkdir(mode=0o700)
        answers = _render(src, ref, staging, project)
        if portable_source:
            record_source(staging / ANSWERS_FILE, portable_source, commit)
        if project.git and have_git:
            _initial_commit(staging)
        if in_place:
            _move_contents(staging, destination)
            staging.rmdir()
        else:
            staging.rename(destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return answers


def _render(src: str, ref: str | None, staging: Path, project: NewProject) -> dict[str, Any]:
    from copier import run_copy  # imported here: copier is slow to import
    from copier.errors import CopierError
    from jinja2 import TemplateError
    from plumbum import ProcessExecutionError

    try:
        with _compiling_once():
            worker = run_copy(
                src,
                staging,
                data=project.data,
                user_defaults={"project_name": project.destination.name, **author_defaults(), **project.suggested},
                defaults=project.defaults,
                vcs_ref=ref,
                quiet=True,
                unsafe=False,
            )
    except (CopierError, ValueError, ProcessExecutionError) as error:  # ValueError: copier's answer validation
        raise GenerationError(one_line(error)) from None
    except TemplateError as error:
        raise GenerationError(f"the template does not render: {one_line(error)}") from None
    except OSError as error:
        raise GenerationError(f"cannot write the project: {error}") from None
    return dict(worker.answers.combined)


@contextmanager
def _compiling_once() -> Iterator[None]:
    """A cost of copier (9.x) that `pyweb new` need not pay; the output stays the same.

    copier compiles every path part of every file and folder, and its answers file's name once
    per rendered file, as a new Jinja template (800 compiles, 200 different sources, 0.2-0.4 s).
    Jinja's compiled code for one source in one environment is always the same, so each source
    is compiled once per environment. (Proposed to copier: docs/benchmarks.md.)
    """
    from weakref import WeakKeyDictionary

    import jinja2

    compile_once = jinja2.Environment.compile
    compiled: WeakKeyDictionary[jinja2.Environment, dict[tuple[Any, ...], Any]] = WeakKeyDictionary()

    def compile(
        self: jinja2.Environment,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if not isinstance(source, str):  # a parsed template (a file's): compiled once anyway
            return compile_once(self, source, name, filename, raw, defer_init)
        known = compiled.setdefault(self, {})
        key = (source, name, filename, raw, defer_init)
        if key in known:
            # What compiling does besides: extensions' preprocess hooks (copier's yield tag resets
            # its state in one).
            self.preprocess(source, name, filename)
        else:
            known[key] = compile_once(self, source, name, filename, raw, defer_init)
        return known[key]

    jinja2.Environment.compile = compile
    try:
        yield
    finally:
        jinja2.Environment.compile = compile_once


def _move_contents(source: Path, destination: Path) -> None:
    """Move every entry of `source` into the empty `destination`; on any failure, none stays moved."""
    moved: list[Path] = []
    try:
        for entry in source.iterdir():
            target = destination / entry.name
            entry.rename(target)
            moved.append(target)
    except BaseException:
        for target in moved:
            shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
        raise
