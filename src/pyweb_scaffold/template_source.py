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

import copy
import fcntl
import functools
import hashlib
import os
import shutil
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

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


@functools.cache
def _template_config() -> dict[str, Any]:
    import yaml  # here: importing it would cost every command's start-up time

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when PyYAML has it: 10x faster
    config: dict[str, Any] = yaml.load((bundled_template_root() / "copier.yml").read_text(), Loader=loader)
    return config


def template_questions() -> dict[str, dict[str, Any]]:
    """The bundled copier.yml's questions (its `_` settings left out): what pyweb checks answers against."""
    return {key: copy.deepcopy(spec) for key, spec in _template_config().items() if not key.startswith("_")}


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
def _locked(store: Path) -> Iterator[IO[str]]:
    """The store's lock, held exclusively; the open lock file, for a caller that shares it later."""
    store.parent.mkdir(parents=True, exist_ok=True)
    with open(store.parent / f".{store.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield lock


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


def _template_files(source: Path) -> list[Path]:
    files = []
    for item in TEMPLATE_ITEMS:
        root = source / item
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file() and "__pycache__" not in path.parts:
                files.append(path)
    return files


def _fingerprint(source: Path, version: str, files: list[Path]) -> str:
    """The version, and every template file's path, executable bit and content, hashed."""
    digest = hashlib.sha256(version.encode())
    for path in files:
        digest.update(f"\0{path.relative_to(source)}\0{os.access(path, os.X_OK)}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# A file changed again within this many seconds of its last change may keep the same mtime.
_SETTLED_SECONDS = 2.0


def _cached_fingerprint(store: Path, source: Path, version: str) -> str:
    """`_fingerprint`, without reading the files (47 MB of uv.lock) when none has changed since it
    was last computed: keyed by every file's stat (size, mtime, ctime, inode, mode), as git's index
    is. Files changed in the last seconds are read, since a change in the same clock tick keeps the
    mtime."""
    files = _template_files(source)
    digest = hashlib.sha256(f"{version}\0{source}".encode())
    newest = 0
    for path in files:
        info = path.stat()
        newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
        digest.update(
            f"\0{path.relative_to(source)}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}"
            f"\0{info.st_ino}\0{info.st_mode}".encode()
        )
    record = store / ".git" / "pyweb-stat-fingerprints" / digest.hexdigest()
    if record.is_file():
        return record.read_text().strip()
    fingerprint = _fingerprint(source, version, files)
    if (store / ".git").is_dir() and time.time_ns() - newest > _SETTLED_SECONDS * 1e9:
        record.parent.mkdir(exist_ok=True)
        record.write_text(f"{fingerprint}\n")
    return fingerprint


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
    with _locked(store):
        return store, _ensure_tag(store, source, version)[0]


def _ensure_tag(store: Path, source: Path, version: str) -> tuple[str, str]:
    """ensure_version's work, under the store's lock: the tag and the source's fingerprint."""
    fingerprint = _cached_fingerprint(store, source, version)
    # Seen before: skip copying the template and asking git to compare trees.
    if tag := _recorded_tag(store, fingerprint):
        return tag, fingerprint
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
            return tag, fingerprint
    tag = version if not tags else f"{Version(version).base_version}.post{len(tags)}"
    _git(store, "commit", "--quiet", "--allow-empty", "--message", f"pyweb-scaffold templates {tag}")
    _git(store, "tag", tag)
    _record_tag(store, fingerprint, tag)
    return tag, fingerprint


def _snapshots(store: Path) -> Path:
    return store / ".git" / "pyweb-snapshots"


def _make_snapshot(store: Path, source: Path, fingerprint: str) -> Path:
    """A plain copy of the template (no git work tree, so copier reads it in place), with the file
    modes a git checkout gives; the one snapshot kept, of the source last rendered."""
    snapshot = _snapshots(store) / fingerprint
    if snapshot.is_dir():
        return snapshot
    if _snapshots(store).is_dir():
        shutil.rmtree(_snapshots(store))
    partial = _snapshots(store) / f".{fingerprint}.partial"
    partial.mkdir(parents=True)
    umask = os.umask(0)
    os.umask(umask)
    copy_template(source, partial)
    for path in partial.rglob("*"):
        # git records a file as executable when its owner may run it.
        executable = path.is_dir() or bool((source / path.relative_to(partial)).stat().st_mode & stat.S_IXUSR)
        path.chmod((0o777 if executable else 0o666) & ~umask)
    partial.rename(snapshot)
    return snapshot


@contextmanager
def snapshot_of_version(version: str = __version__, store: Path | None = None) -> Iterator[tuple[Path, str]]:
    """ensure_version for the bundled template, and a folder holding exactly that tag's template,
    for as long as the block runs.

    Rendering from the store makes copier clone it and check out every file, the 120 uv.lock
    files included (0.3-0.5 s); rendering from the folder reads only the files the answers use.
    The caller records the tag as the project's `_commit` (`record_source`), as copier does for a
    git template. Other pyweb processes may replace the snapshot only when no block is running.
    """
    source = bundled_template_root()
    store = store or default_store()
    with _locked(store) as lock:
        while True:
            tag, fingerprint = _ensure_tag(store, source, version)
            snapshot = _make_snapshot(store, source, fingerprint)
            # Not atomic: another process may replace the snapshot in between, then try again.
            fcntl.flock(lock, fcntl.LOCK_SH)
            if snapshot.is_dir():
                break
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield snapshot, tag


def record_source(answers_file: Path, url: str, commit: str | None = None) -> None:
    """Point a project's answers at `url` (and `commit`): the source any clone of it updates from."""
    import yaml

    lines = answers_file.read_text().splitlines(keepends=True)
    for key, value in (("_commit", commit), ("_src_path", url)):
        if value is None:
            continue
        entry = yaml.safe_dump({key: value}, width=1000)  # as copier writes it
        found = [index for index, line in enumerate(lines) if line.startswith(f"{key}:")]
        if found:
            lines[found[0]] = entry
        else:
            # Where copier writes it: the answers are sorted, and _commit and _src_path come first.
            before = [index for index, line in enumerate(lines) if line.startswith("_src_path:")]
            lines.insert(before[0] if before else len(lines), entry)
    answers_file.write_text("".join(lines))


@contextmanager
def mirrored(url: str, store: Path) -> Iterator[None]:
    """While inside, git (and so copier) fetches `url` from the local `store` instead."""
    from plumbum import local  # copier runs git through plumbum, whose environment is its own copy

    rewrite = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{store}.insteadOf", "GIT_CONFIG_VALUE_0": url}
    with local.env(**rewrite):
        yield
