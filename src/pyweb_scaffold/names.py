"""Package names: what makes one unusable, and a fixed one to suggest."""

from __future__ import annotations

import keyword
import re
from functools import cache

from pyweb_scaffold.template_source import bundled_template_root

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


@cache
def reserved_names() -> frozenset[str]:
    """Keywords, stdlib modules and dependencies, shared with copier.yml's validator."""
    path = bundled_template_root() / "templates" / "_shared" / "reserved-package-names.txt"
    return frozenset(path.read_text().split())


def default_package_name(project_name: str) -> str:
    """The default copier.yml derives from the project name."""
    return project_name.lower().replace("-", "_").replace(".", "_")


def package_name_problem(name: str) -> str | None:
    """Why `name` cannot be the project's Python package, or None when it can."""
    if not name:
        return "is empty"
    if " " in name:
        return "contains spaces"
    if name[0].isdigit():
        return "starts with a digit"
    if not _IDENTIFIER.fullmatch(name):
        return "must be lower case letters, digits and '_'"
    if keyword.iskeyword(name):
        return "is a Python keyword"
    if name in reserved_names():
        return "would shadow a stdlib module or a dependency of the generated project"
    return None


def suggest_package_name(name: str) -> str:
    """A valid package name close to `name`."""
    fixed = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "service"
    if fixed[0].isdigit():
        fixed = f"service_{fixed}"
    while package_name_problem(fixed):
        fixed = f"{fixed}_app"
    return fixed
