"""Every git command pyweb runs (copier runs its own)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

# The store's commits are pyweb's, not the user's.
PYWEB_IDENTITY = ("-c", "user.name=pyweb-scaffold", "-c", "user.email=pyweb-scaffold@localhost")


def available() -> bool:
    return shutil.which("git") is not None


def run(cwd: Path, *args: str, identity: tuple[str, ...] = ()) -> str:
    """Run git in `cwd`; its output, stripped. Raises CalledProcessError when git fails."""
    result = subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True)
    return result.stdout.strip()


def succeeds(cwd: Path, *args: str, timeout: float | None = None) -> bool:
    """Whether git exits 0; it never waits for a password or past `timeout`."""
    no_prompt = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=timeout, env=no_prompt)
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


def config(key: str) -> str | None:
    """The user's git setting `key`, or None when unset or git is missing."""
    if not available():
        return None
    result = subprocess.run(["git", "config", "--get", key], capture_output=True, text=True)
    return result.stdout.strip() or None


def changed_paths(repository: Path) -> list[str]:
    """Paths that differ from the last commit, untracked files included."""
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "-z"],
        cwd=repository,
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(entry[3:] for entry in status.stdout.split("\0") if entry)


def has_tag(repository: Path, tag: str) -> bool:
    return (
        bool(tag)
        and (repository / ".git").is_dir()
        and succeeds(repository, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}")
    )
