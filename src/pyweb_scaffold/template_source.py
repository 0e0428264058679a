"""Where the template comes from: the bundled copy, the local git store, pyweb's repository.

`copier update` needs a git repository with one tag per template version. Generated projects
record pyweb's own repository (its `Repository` URL, or PYWEB_TEMPLATE_URL for a fork) as
`_src_path` and the pyweb version as `_commit`, so a clone of the project on any machine can be
updated from the repository's release tags. Rendering stays offline: pyweb commits the bundled
template to a local store (a git repository in the user's data folder) under a tag named after
the installed version and renders from there; `pyweb update` uses the store as a mirror of the
repository whenever it holds the project's version.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from pyweb_scaffold import __version__, git

TEMPLATE_ITEMS = ("copier.yml", "templates")
ANSWERS_FILE = ".copier-answers.yml"  # copier.yml's `_answers_file`


def bundled_template_root() -> Path:
    """The template inside an installed wheel, else the source checkout's root."""
    package_dir = Path(__file__).resolve().parent
    for root in (package_dir / "_template", package_dir.parents[1]):
        if (root / "copier.yml").is_file():
            return root
    raise FileNotFoundError(f"pyweb's copier template is missing next to {package_dir}")


def template_questions() -> dict[str, dict[str, Any]]:
    """The bundled copier.yml's questions (its `_` settings left out): what pyweb checks answers against."""
    import yaml  # here: importing it would cost every command's start-up time

    config = yaml.safe_load((bundled_template_root() / "copier.yml").read_text())
    return {key: spec for key, spec in config.items() if not key.startswith("_")}


def framework_names() -> dict[str, str]:
    """Each framework's display name, from copier.yml's `framework` choices (label: value)."""
    return {value: label for label, value in template_questions()["framework"]["choices"].items()}


def template_repository() -> str:
    """The git URL generated projects update from."""
    if override := os.environ.get("PYWEB_TEMPLATE_URL"):
        return override
    from importlib.metadata import metadata

    for entry in metadata("pyweb-scaffold").get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository":
            return url.strip()
    raise LookupError("pyweb-scaffold's package metadata names no Repository URL")


def default_store() -> Path:
    if override := os.environ.get("PYWEB_TEMPLATE_STORE"):
        return Path(override).expanduser().resolve()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "pyweb-scaffold" / "templates"


def _git(store: Path, *args: str) -> str:
    return git.run(store, *args, identity=git.PYWEB_IDENTITY)


@contextmanager
def _locked(store: Path) -> Iterator[None]:
    store.parent.mkdir(parents=True, exist_ok=True)
    with open(store.parent / f".{store.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def copy_template(source: Path, destination: Path) -> None:
    """Copy the template's files (copier.yml and templates/) from `source` into `destination`."""
    for item in TEMPLATE_ITEMS:
        if (source / item).is_dir():
            shutil.copytree(source / item, destination / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source / item, destination / item)


def replace_work_tree(repository: Path, source: Path) -> None:
    """Make a git work tree hold exactly the template of `source`, ready to commit."""
    for entry in repository.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    copy_template(source, repository)


def _fingerprint(source: Path, version: str) -> str:
    """The version, and every template file's path, executable bit and content, hashed."""
    digest = hashlib.sha256(version.encode())
    for item in TEMPLATE_ITEMS:
        root = source / item
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"\0{path.relative_to(source)}\0{os.access(path, os.X_OK)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint_records(store: Path) -> Path:
    return store / ".git" / "pyweb-fingerprints"


def _recorded_tag(store: Path, fingerprint: str) -> str | None:
    """The tag made earlier from exactly this source, if the store still has it."""
    record = _fingerprint_records(store) / fingerprint
    if not record.is_file():
        return None
    tag = record.read_text().strip()
    return tag if git.has_tag(store, tag) else None


def _record_tag(store: Path, fingerprint: str, tag: str) -> None:
    records = _fingerprint_records(store)
    records.mkdir(exist_ok=True)
    (records / fingerprint).write_text(f"{tag}\n")


def _tags_of(store: Path, version: str) -> list[str]:
    """This version's tags in the store (X, then X.post1, X.post2, ...), oldest first."""
    base = Version(version)
    tags = []
    for tag in _git(store, "tag", "--list").split():
        try:
            parsed = Version(tag)
        except InvalidVersion:
            continue
        if parsed.release == base.release and parsed.pre == base.pre and parsed.dev == base.dev:
            tags.append((parsed, tag))
    return [tag for _, tag in sorted(tags)]


def ensure_version(
    version: str = __version__, source: Path | None = None, store: Path | None = None
) -> tuple[Path, str]:
    """Make sure the store holds the template of `source` under a tag for `version`.

    Returns the store and the tag to render from. A source tree that differs from what
    the store already holds for this version (a development checkout) is recorded as the
    next `.postN` of that version, so copier still sees it as the newest.
    """
    source = source or bundled_template_root()
    store = store or default_store()
    fingerprint = _fingerprint(source, version)
    with _locked(store):
        # Seen before: skip copying the template and asking git to compare trees.
        if tag := _recorded_tag(store, fingerprint):
            return store, tag
        if not (store / ".git").is_dir():
            store.mkdir(parents=True, exist_ok=True)
            _git(store, "init", "--quiet", "--initial-branch=main")
        replace_work_tree(store, source)
        _git(store, "add", "--all")
        tree = _git(store, "write-tree")
        tags = _tags_of(store, version)
        for tag in reversed(tags):
            if _git(store, "rev-parse", f"{tag}^{{tree}}") == tree:
                _git(store, "reset", "--quiet", "--hard")
                _record_tag(store, fingerprint, tag)
                return store, tag
        tag = version if not tags else f"{Version(version).base_version}.post{len(tags)}"
        _git(store, "commit", "--quiet", "--allow-empty", "--message", f"pyweb-scaffold templates {tag}")
        _git(store, "tag", tag)
        _record_tag(store, fingerprint, tag)
        return store, tag


def record_source(answers_file: Path, url: str) -> None:
    """Point a project's answers at `url`: the source any clone of it updates from."""
    lines = answers_file.read_text().splitlines(keepends=True)
    import yaml

    entry = yaml.safe_dump({"_src_path": url}, width=1000)  # as copier writes it
    found = [index for index, line in enumerate(lines) if line.startswith("_src_path:")]
    if found:
        lines[found[0]] = entry
    else:
        lines.append(entry)
    answers_file.write_text("".join(lines))


@contextmanager
def mirrored(url: str, store: Path) -> Iterator[None]:
    """While inside, git (and so copier) fetches `url` from the local `store` instead."""
    from plumbum import local  # copier runs git through plumbum, whose environment is its own copy

    rewrite = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{store}.insteadOf", "GIT_CONFIG_VALUE_0": url}
    with local.env(**rewrite):
        yield
