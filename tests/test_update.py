"""The update promise: a newer template arrives, the user's edits stay, real conflicts show."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from copier import run_copy

from pyweb_scaffold import __version__
from pyweb_scaffold.cli import main
from pyweb_scaffold.template_source import default_store, ensure_version, record_source, template_repository
from tests.releases import commit_all, git, publish, template_copy

FRAMEWORKS = ["fastapi", "django", "flask"]
INSTALL_HELP = (
    "install: ## install exactly uv.lock's versions into .venv, dev tools included (re-locks a stale uv.lock)"
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def generate(store: Path, tag: str, project: Path) -> None:
    run_copy(str(store), project, data={"framework": "flask"}, defaults=True, vcs_ref=tag, quiet=True)
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "add", "--all")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "init")


def plain_copier_update(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "copier", "update", "--defaults"], cwd=project, capture_output=True, text=True
    )


def recorded_commit(project: Path) -> str:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"]


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """A store holding template 1.0.0 (today's) and 2.0.0 (one new file, a changed Makefile line)."""
    store = tmp_path / "store"
    source = template_copy(tmp_path / "template")
    assert ensure_version("1.0.0", source=source, store=store) == (store, "1.0.0")
    return store, source


def release_v2(store: Path, source: Path) -> None:
    (source / "templates" / "flask" / "CONTRIBUTING.md").write_text("Template version 2 adds this file.\n")
    edit(source / "templates" / "_shared" / "Makefile.jinja", INSTALL_HELP, INSTALL_HELP + " [v2]")
    assert ensure_version("2.0.0", source=source, store=store) == (store, "2.0.0")


def test_update_brings_template_changes_and_keeps_edits(versions: tuple[Path, Path], tmp_path: Path) -> None:
    store, source = versions
    project = tmp_path / "svc"
    generate(store, "1.0.0", project)
    readme = project / "README.md"
    readme.write_text("Team notes: deploy on Tuesdays.\n\n" + readme.read_text())
    (project / "notes.txt").write_text("ours\n")
    commit_all(project, "our edits")

    release_v2(store, source)
    result = plain_copier_update(project)

    assert result.returncode == 0, result.stderr
    assert recorded_commit(project) == "2.0.0"
    assert (project / "CONTRIBUTING.md").read_text() == "Template version 2 adds this file.\n"
    assert INSTALL_HELP + " [v2]" in (project / "Makefile").read_text()
    assert readme.read_text().startswith("Team notes: deploy on Tuesdays.\n")
    assert (project / "notes.txt").read_text() == "ours\n"
    assert "<<<<<<<" not in (project / "Makefile").read_text()


def test_update_marks_a_real_conflict(versions: tuple[Path, Path], tmp_path: Path) -> None:
    store, source = versions
    project = tmp_path / "svc"
    generate(store, "1.0.0", project)
    edit(project / "Makefile", INSTALL_HELP, INSTALL_HELP + " [ours]")
    commit_all(project, "our Makefile wording")

    release_v2(store, source)
    result = plain_copier_update(project)

    assert result.returncode == 0, result.stderr
    makefile = (project / "Makefile").read_text()
    assert "<<<<<<< before updating" in makefile and ">>>>>>> after updating" in makefile
    assert INSTALL_HELP + " [ours]" in makefile and INSTALL_HELP + " [v2]" in makefile
    assert recorded_commit(project) == "2.0.0"


def test_pyweb_update_adds_the_installed_version_to_the_store(tmp_path: Path, monkeypatch) -> None:
    store = tmp_path / "store"
    monkeypatch.setenv("PYWEB_TEMPLATE_STORE", str(store))
    old = template_copy(tmp_path / "old")
    edit(old / "templates" / "_shared" / "Makefile.jinja", INSTALL_HELP, INSTALL_HELP + " [old]")
    ensure_version("0.0.1", source=old, store=store)
    project = tmp_path / "svc"
    generate(store, "0.0.1", project)
    assert recorded_commit(project) == "0.0.1"

    result = CliRunner().invoke(main, ["update", str(project)], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    assert recorded_commit(project).startswith(__version__)
    assert f"Updated the template: 0.0.1 -> {recorded_commit(project)}" in result.output
    makefile = (project / "Makefile").read_text()
    assert INSTALL_HELP + "\n" in makefile and "[old]" not in makefile
    # Recorded before as this machine's store; from now on as pyweb's repository.
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_src_path"] == template_repository()

    dirty = CliRunner().invoke(main, ["update", str(project)])
    assert dirty.exit_code != 0 and "has uncommitted changes; commit or stash them" in dirty.output
    commit_all(project, "template update")
    again = CliRunner().invoke(main, ["update", str(project)], catch_exceptions=False)
    assert again.exit_code == 0, again.output
    assert "Already on the newest template" in again.output


def test_pyweb_update_lists_changed_and_conflicted_files_and_fails_while_conflicts_remain(
    versions: tuple[Path, Path], tmp_path: Path
) -> None:
    store, source = versions
    project = tmp_path / "svc"
    generate(store, "1.0.0", project)
    edit(project / "Makefile", INSTALL_HELP, INSTALL_HELP + " [ours]")
    commit_all(project, "our Makefile wording")
    release_v2(store, source)

    result = CliRunner().invoke(main, ["update", str(project)])

    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert "Updated the template: 1.0.0 -> 2.0.0" in lines
    assert "  conflict  Makefile" in lines and "  changed   CONTRIBUTING.md" in lines
    assert "Error: 1 file(s) in conflict: resolve the markers, then commit" in lines


def test_pyweb_update_pretend_changes_nothing(versions: tuple[Path, Path], tmp_path: Path) -> None:
    store, source = versions
    project = tmp_path / "svc"
    generate(store, "1.0.0", project)
    release_v2(store, source)

    result = CliRunner().invoke(main, ["update", "--pretend", str(project)])

    assert result.exit_code == 0, result.output
    assert "nothing was changed" in result.output
    assert not git(project, "status", "--porcelain")
    assert recorded_commit(project) == "1.0.0"


def test_pyweb_update_data_changes_an_earlier_answer(versions: tuple[Path, Path], tmp_path: Path) -> None:
    """Turning on Kubernetes after the fact brings its manifests, on the same template version."""
    project = tmp_path / "svc"
    generate(versions[0], "1.0.0", project)
    assert not (project / "k8s").exists()

    result = CliRunner().invoke(main, ["update", "--data", "kubernetes=true", str(project)])

    assert result.exit_code == 0, result.output
    assert "  changed   k8s/deployment.yaml" in result.output.splitlines()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["kubernetes"] is True
    assert (project / "k8s" / "deployment.yaml").is_file()


def test_pyweb_update_refuses_unknown_answers(versions: tuple[Path, Path], tmp_path: Path) -> None:
    project = tmp_path / "svc"
    generate(versions[0], "1.0.0", project)
    result = CliRunner().invoke(main, ["update", "--data", "colour=blue", str(project)])
    assert result.exit_code != 0 and "unknown question(s) colour" in result.output
    assert not git(project, "status", "--porcelain")


def pyweb_update_in_a_subprocess(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pyweb_scaffold", "update", str(project)], capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("/nowhere/pyweb-scaffold/templates", "is not on this machine; set _src_path there"),
        ("file:///nowhere/template.git", "the update from file:///nowhere/template.git failed: "),
    ],
)
def test_pyweb_update_with_an_unreachable_template_says_so_in_one_line(
    versions: tuple[Path, Path], tmp_path: Path, source: str, expected: str
) -> None:
    project = tmp_path / "svc"
    generate(versions[0], "1.0.0", project)
    edit(project / ".copier-answers.yml", f"_src_path: {versions[0]}", f"_src_path: {source}")
    commit_all(project, "the template moved")

    result = pyweb_update_in_a_subprocess(project)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], result.stderr
    assert not git(project, "status", "--porcelain")


def test_pyweb_update_refuses_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["update", str(tmp_path)])
    assert result.exit_code != 0
    assert "has no .copier-answers.yml" in result.output


def test_store_reuses_a_tag_and_records_a_changed_checkout_as_post_release(tmp_path: Path) -> None:
    store = tmp_path / "store"
    source = template_copy(tmp_path / "template")
    assert ensure_version("3.0.0", source=source, store=store)[1] == "3.0.0"
    assert ensure_version("3.0.0", source=source, store=store)[1] == "3.0.0"
    (source / "templates" / "flask" / "EXTRA.md").write_text("changed\n")
    assert ensure_version("3.0.0", source=source, store=store)[1] == "3.0.0.post1"
    assert git(store, "status", "--porcelain") == ""


def test_store_answers_an_unchanged_source_from_its_record(tmp_path: Path) -> None:
    store = tmp_path / "store"
    source = template_copy(tmp_path / "template")
    ensure_version("3.0.0", source=source, store=store)
    shutil.rmtree(store / "templates")  # the full comparison would copy it back

    assert ensure_version("3.0.0", source=source, store=store)[1] == "3.0.0"
    assert not (store / "templates").exists()
    # A new version, or an executable bit, is a change like any other.
    assert ensure_version("3.1.0", source=source, store=store)[1] == "3.1.0"
    (source / "copier.yml").chmod(0o755)
    assert ensure_version("3.1.0", source=source, store=store)[1] == "3.1.0.post1"


@pytest.fixture
def teammates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """pyweb's repository (a local bare one) with this checkout's template released as the
    installed version, and a template source for the next release."""
    repository = tmp_path / "pyweb-scaffold.git"
    source = template_copy(tmp_path / "template")
    publish(source, repository, __version__)
    monkeypatch.setenv("PYWEB_TEMPLATE_URL", repository.as_uri())  # a URL, as pyweb's own is
    return repository, source


def on_machine(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Everything pyweb and copier keep per machine lives under `home`."""
    home.mkdir()
    monkeypatch.setenv("PYWEB_TEMPLATE_STORE", str(home / "store"))
    monkeypatch.setenv("COPIER_CACHE_DIR", str(home / "copier-cache"))


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_teammate_updates_a_clone_after_the_generating_machine_is_gone(
    teammates: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, framework: str
) -> None:
    repository, source = teammates
    on_machine(monkeypatch, tmp_path / "machine-a")
    project = tmp_path / "machine-a" / "svc"
    made = CliRunner().invoke(main, ["new", str(project), "--framework", framework, "--defaults"])
    assert made.exit_code == 0, made.output
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == repository.as_uri() and answers["_commit"] == __version__
    names_this_machine = subprocess.run(["git", "grep", "-I", "-F", "-l", str(tmp_path / "machine-a")], cwd=project)
    assert names_this_machine.returncode == 1, "a committed file names a path of the generating machine"
    (project / "README.md").write_text("Team notes.\n" + (project / "README.md").read_text())
    commit_all(project, "team notes")
    remote = tmp_path / "project.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(project), str(remote))
    shutil.rmtree(tmp_path / "machine-a")

    (source / "templates" / framework / "CONTRIBUTING.md").write_text("Added by the next release.\n")
    publish(source, repository, "99.0.0")

    on_machine(monkeypatch, tmp_path / "machine-b")
    with_pyweb = tmp_path / "machine-b" / "with-pyweb"
    with_copier = tmp_path / "machine-b" / "with-copier"
    for clone in (with_pyweb, with_copier):
        git(tmp_path, "clone", "--quiet", str(remote), str(clone))

    updated = CliRunner().invoke(main, ["update", str(with_pyweb)])
    assert updated.exit_code == 0, updated.output
    assert f"Updated the template: {__version__} -> 99.0.0" in updated.output
    plain = plain_copier_update(with_copier)
    assert plain.returncode == 0, plain.stderr
    for clone in (with_pyweb, with_copier):
        assert recorded_commit(clone) == "99.0.0"
        assert (clone / "CONTRIBUTING.md").read_text() == "Added by the next release.\n"
        assert (clone / "README.md").read_text().startswith("Team notes.\n")


def test_pyweb_update_works_offline_from_the_versions_this_machine_installed(
    teammates: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository, source = teammates
    on_machine(monkeypatch, tmp_path / "machine")
    project = tmp_path / "machine" / "svc"
    assert CliRunner().invoke(main, ["new", str(project), "--framework", "flask", "--defaults"]).exit_code == 0
    (source / "templates" / "flask" / "CONTRIBUTING.md").write_text("Added by the next release.\n")
    ensure_version("99.0.0", source=source, store=default_store())  # a newer pyweb installed here, then
    shutil.rmtree(repository)  # the network gone

    updated = CliRunner().invoke(main, ["update", str(project)])

    assert updated.exit_code == 0, updated.output
    assert recorded_commit(project) == "99.0.0"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_src_path"] == repository.as_uri()


def test_a_plain_folder_render_gets_its_tag_as_commit_where_copier_writes_it(tmp_path: Path) -> None:
    # pyweb new renders a plain snapshot of the store's tag, for which copier records no _commit.
    answers = tmp_path / ".copier-answers.yml"
    answers.write_text("# Changes here will be overwritten\n_src_path: /store/.git/pyweb-snapshots/ab\nci: github\n")
    record_source(answers, "https://example.com/pyweb.git", "1.2.3")
    assert answers.read_text() == (
        "# Changes here will be overwritten\n_commit: 1.2.3\n_src_path: https://example.com/pyweb.git\nci: github\n"
    )
