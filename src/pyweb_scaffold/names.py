"""Package names: copier.yml's rule, rendered here to check a name early and suggest a fix.

copier.yml states the rule once (the `package_name` question's default and validator), so that
plain `copier copy` and `pyweb new` accept and refuse the same names with the same words.
"""

from __future__ import annotations

import re
from typing import Any

from pyweb_scaffold.template_source import bundled_template_root, template_questions


def _question() -> dict[str, Any]:
    return template_questions()["package_name"]


def _render(source: str) -> Any:
    """A template compiled as copier compiles it: its root as the include path, its default filters."""
    from jinja2 import FileSystemLoader
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(
        loader=FileSystemLoader(bundled_template_root()),
        extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
    )
    return environment.from_string(source).render


def reserved_names() -> frozenset[str]:
    """Keywords, stdlib modules and dependencies: the list copier.yml's validator reads."""
    path = bundled_template_root() / "templates" / "_shared" / "reserved-package-names.txt"
    return frozenset(path.read_text().split())


def default_package_name(project_name: str) -> str:
    return _render(_question()["default"])(project_name=project_name)


def package_name_problem(name: str) -> str | None:
    """Why `name` cannot be the project's Python package (copier.yml's words), or None."""
    message = " ".join(_render(_question()["validator"])(package_name=name).split())
    return message.removeprefix("package_name ") or None


def suggest_package_name(name: str) -> str:
    """A valid package name close to `name`."""
    fixed = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "service"
    if fixed[0].isdigit():
        fixed = f"service_{fixed}"
    while package_name_problem(fixed):
        fixed = f"{fixed}_app"
    return fixed
