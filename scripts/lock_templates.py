"""Writes templates/_shared/locks/: one uv.lock for each option set that changes dependencies.

`pyweb new` copies the matching lock into the project (templates/_shared/project/uv.lock.jinja puts the
project's name in), so generating a project never resolves anything and needs no network.
Run it after changing a pin in a pyproject.toml.jinja: `scripts/lock-templates` (add `--upgrade`
to move every transitive pin to its newest release too).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2
import yaml
from copier import run_copy

from pyweb_scaffold.generate import is_asked
from pyweb_scaffold.template_source import copy_template

REPO_ROOT = Path(__file__).resolve().parents[1]
LOCKS = REPO_ROOT / "templates" / "_shared" / "locks"
# The questions whose answers change pyproject.toml's dependencies or requires-python.
DEPENDENCY_QUESTIONS = ("framework", "database", "background_jobs", "realtime", "metrics", "python_version")
PLACEHOLDER = "pyweb-project"
QUESTIONS = yaml.safe_load((REPO_ROOT / "copier.yml").read_text())


def render(expression: str, answers: dict[str, str | bool]) -> str:
    return jinja2.Environment(autoescape=False).from_string(expression).render(answers).strip()


def option_sets() -> list[dict[str, str | bool]]:
    """Every combination of the dependency questions' choices in copier.yml that it can be asked.

    A question whose `when` is false for the other answers keeps its default (realtime for Flask).
    """
    choices = []
    for name in DEPENDENCY_QUESTIONS:
        question = QUESTIONS[name]
        listed = question.get("choices", [False, True] if question["type"] == "bool" else None)
        choices.append(list(listed.values()) if isinstance(listed, dict) else listed)
    combinations = [dict(zip(DEPENDENCY_QUESTIONS, values, strict=True)) for values in itertools.product(*choices)]
    return [answers for answers in combinations if all(asked(name, answers) for name in DEPENDENCY_QUESTIONS)]


def asked(name: str, answers: dict[str, str | bool]) -> bool:
    """Whether `answers` can hold this answer: the question is asked, or it is left at its default."""
    return is_asked(QUESTIONS[name], answers) or answers[name] == QUESTIONS[name]["default"]


def lock_name(answers: dict[str, str | bool]) -> str:
    """copier.yml's computed `lock_name`, the file templates/_shared/project/uv.lock.jinja includes."""
    return render(QUESTIONS["lock_name"]["default"], answers)


def interpreter(version: str) -> str:
    """uv needs an interpreter that satisfies requires-python to lock (it installs nothing)."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for candidate in [shutil.which(f"python{version}"), *sorted(pyenv.glob(f"{version}.*/bin/python{version}"))]:
        if candidate and subprocess.run([candidate, "--version"], capture_output=True).returncode == 0:
            return str(candidate)
    sys.exit(f"lock-templates: no Python {version} interpreter found on PATH or in pyenv")


def write_lock(source: Path, answers: dict[str, str | bool], scratch: Path, *, upgrade: bool = False) -> Path:
    """Lock `answers`' pyproject.toml as the template in `source` renders it, into its locks folder."""
    template = scratch / "template"  # a scratch copy of the template, made once per run
    if not template.exists():
        template.mkdir(parents=True)
        copy_template(source, template)
    project = scratch / lock_name(answers).removesuffix(".lock")
    # uv.lock.jinja includes the shipped lock: a new option set renders an empty one first.
    (template / "templates" / "_shared" / "locks" / lock_name(answers)).touch()
    run_copy(
        str(template),
        project,
        data={**answers, "project_name": PLACEHOLDER, "docker": False, "ci": "none"},
        defaults=True,
        quiet=True,
    )
    shipped = source / "templates" / "_shared" / "locks" / lock_name(answers)
    # Start from the shipped pins, so that only what must move moves; a new option set from the
    # pins of its framework, database and Python without options.
    plain = {**answers, **{name: False for name in DEPENDENCY_QUESTIONS if isinstance(answers[name], bool)}}
    for start in (shipped, shipped.with_name(lock_name(plain))):
        if start.exists():
            shutil.copy(start, project / "uv.lock")
            break
    command = ["uv", "lock", "--quiet", "--python", interpreter(str(answers["python_version"]))]
    subprocess.run([*command, *(["--upgrade"] if upgrade else [])], cwd=project, check=True)
    text = (project / "uv.lock").read_text()
    if f'name = "{PLACEHOLDER}"' not in text or any(mark in text for mark in ("{{", "{%", "{#")):
        sys.exit(f"lock-templates: {shipped.name} lacks the placeholder or holds Jinja delimiters")
    shipped.parent.mkdir(exist_ok=True)
    shipped.write_text(text)
    return shipped


def main() -> None:
    """`lock-templates [--upgrade] [FRAMEWORK...]`: all option sets, or only those frameworks'."""
    arguments = sys.argv[1:]
    upgrade = "--upgrade" in arguments
    frameworks = [argument for argument in arguments if argument != "--upgrade"]
    wanted = {lock_name(answers) for answers in option_sets()}
    with tempfile.TemporaryDirectory() as scratch:
        for answers in option_sets():
            if frameworks and answers["framework"] not in frameworks:
                continue
            shipped = write_lock(REPO_ROOT, answers, Path(scratch), upgrade=upgrade)
            print(f"wrote {shipped.relative_to(REPO_ROOT)}")
    for stale in {path.name for path in LOCKS.glob("*.lock")} - wanted:
        (LOCKS / stale).unlink()
        print(f"removed {stale}: no option set uses it")


if __name__ == "__main__":
    main()
