"""Template releases for the update tests: a bare git repository standing in for pyweb's own."""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from pathlib import Path

from pyweb_scaffold.template_source import TEMPLATE_ITEMS, copy_template, replace_work_tree
from tests.conftest import REPO_ROOT

_RELEASE_ROW = re.compile(r"^\| (?P<version>[0-9][^ |]*) \| (?P<commit>[0-9a-f]{40}) \|", re.MULTILINE)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def commit_all(project: Path, message: str) -> None:
    git(project, "add", "--all")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", message)


def template_copy(destination: Path) -> Path:
    """This checkout's template (its working tree), copied to `destination`."""
    destination.mkdir()
    copy_template(REPO_ROOT, destination)
    return destination


def released_template(version: str, destination: Path) -> Path:
    """The template as released in `version`, from the commit docs/releases.md records for it."""
    releases = dict(
        (row["version"], row["commit"]) for row in _RELEASE_ROW.finditer((REPO_ROOT / "docs/releases.md").read_text())
    )
    archive = subprocess.run(
        ["git", "archive", "--format=tar", releases[version], *TEMPLATE_ITEMS],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    ).stdout
    destination.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")
    return destination


def latest_release() -> str:
    from packaging.version import Version

    versions = [row["version"] for row in _RELEASE_ROW.finditer((REPO_ROOT / "docs/releases.md").read_text())]
    return max(versions, key=Version)


def publish(source: Path, repository: Path, tag: str) -> None:
    """Release the template in `source` as `tag` of the bare `repository` (made on first use)."""
    work = repository.with_suffix(".work")
    if not repository.exists():
        git(repository.parent, "init", "--quiet", "--bare", repository.name)
        git(repository.parent, "clone", "--quiet", str(repository), work.name)
    replace_work_tree(work, source)
    commit_all(work, f"release {tag}")
    git(work, "tag", tag)
    git(work, "push", "--quiet", "origin", "HEAD:main", tag)
