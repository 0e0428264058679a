from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from pyweb_scaffold import __version__
from pyweb_scaffold.cli import main
from tests.releases import template_copy


def pyweb(*args: str, **kwargs) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def one_line_error(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_version_and_help() -> None:
    assert pyweb("--version").output.strip() == f"pyweb, version {__version__}"
    for command in ([], ["new"], ["recommend"], ["update"]):
        result = pyweb(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_recommend_flags_and_json() -> None:
    result = pyweb("recommend", "--admin", "--async-api")
    assert result.exit_code == 0
    assert result.output.startswith("Recommended: Django, because")
    assert "Conflict:" in result.output and "Runner-up: FastAPI" in result.output

    data = json.loads(pyweb("recommend", "--json", "--minimal").output)
    assert (data["framework"], data["rule"]) == ("flask", 3)


def test_recommend_refuses_a_follow_up_against_its_question() -> None:
    result = pyweb("recommend", "--ai-serving", "--no-async-api")
    assert result.exit_code == 2
    assert one_line_error(result) == "Error: --ai-serving is a kind of --async-api: it cannot go with --no-async-api"


def test_new_takes_the_flowchart_flags_and_carries_them_to_the_project_questions(tmp_path: Path) -> None:
    result = pyweb("new", str(tmp_path / "ml"), "--ai-serving", "--defaults", "--no-git")
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((tmp_path / "ml" / ".copier-answers.yml").read_text())
    assert (answers["framework"], answers["background_jobs"]) == ("fastapi", True)
    assert "make worker" in result.output

    # A default only: an explicit answer wins, and so does an explicit framework.
    result = pyweb("new", str(tmp_path / "ml2"), "--ai-serving", "--framework", "flask", "--defaults", "--no-git",
                   "--data", "background_jobs=false")  # fmt: skip
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((tmp_path / "ml2" / ".copier-answers.yml").read_text())
    assert (answers["framework"], answers["background_jobs"]) == ("flask", False)
    assert "make worker" not in result.output


def test_new_follows_the_flags_to_the_recommended_framework(tmp_path: Path) -> None:
    # "A full-stack internal tool": Django, with pages for people.
    assert pyweb("new", str(tmp_path / "intranet"), "--full-stack", "--defaults", "--no-git").exit_code == 0
    answers = yaml.safe_load((tmp_path / "intranet" / ".copier-answers.yml").read_text())
    assert (answers["framework"], answers["server_pages"]) == ("django", True)

    # "A real-time chat API": FastAPI, with its item events.
    assert pyweb("new", str(tmp_path / "chat"), "--realtime", "--defaults", "--no-git").exit_code == 0
    answers = yaml.safe_load((tmp_path / "chat" / ".copier-answers.yml").read_text())
    assert (answers["framework"], answers["realtime"]) == ("fastapi", True)


def test_an_answer_the_chosen_framework_cannot_carry_is_named(tmp_path: Path) -> None:
    result = pyweb("new", str(tmp_path / "chat"), "--realtime", "--framework", "flask", "--defaults", "--no-git")
    assert result.exit_code == 0, result.output
    assert "Warning: Flask projects have no realtime option; your answer cannot carry over" in result.output
    assert "realtime" not in yaml.safe_load((tmp_path / "chat" / ".copier-answers.yml").read_text())

    result = pyweb("new", str(tmp_path / "chat2"), "--framework", "flask", "--data", "realtime=true", "--defaults")
    assert result.exit_code == 1
    assert one_line_error(result).startswith("Error: Validation error for question 'realtime': realtime is offered")
    assert not (tmp_path / "chat2").exists()


def test_recommend_without_flags_uses_the_defaults() -> None:
    data = json.loads(pyweb("recommend", "--json").output)
    assert (data["framework"], data["rule"]) == ("fastapi", 4)


def test_new_renders_commits_and_records_the_template_version(tmp_path: Path) -> None:
    result = pyweb("new", str(tmp_path / "shop"), "--framework", "django", "--defaults", "--data", "ci=none")
    assert result.exit_code == 0, result.output
    project = tmp_path / "shop"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["framework"] == "django"
    assert answers["package_name"] == "shop"
    assert answers["ci"] == "none"
    assert answers["_commit"].startswith(__version__)
    log = subprocess.run(["git", "log", "--oneline"], cwd=project, capture_output=True, text=True, check=True)
    assert "Initial commit from pyweb-scaffold" in log.stdout
    status = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True)
    assert status.stdout == ""  # .env is rendered but ignored
    assert (project / ".env").read_text().startswith("SECRET_KEY=")
    assert "make install" in result.output and "make test" in result.output


def test_new_without_framework_takes_the_recommendation(tmp_path: Path) -> None:
    assert pyweb("new", str(tmp_path / "api"), "--defaults").exit_code == 0
    assert yaml.safe_load((tmp_path / "api" / ".copier-answers.yml").read_text())["framework"] == "fastapi"


def test_data_file_and_data_override(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("database: sqlite\ndocker: false\nci: gitlab\n")
    args = ["--framework", "flask", "--defaults", "--data-file", str(answers), "--data", "ci=none"]
    result = pyweb("new", str(tmp_path / "svc"), *args)
    assert result.exit_code == 0, result.output
    recorded = yaml.safe_load((tmp_path / "svc" / ".copier-answers.yml").read_text())
    assert (recorded["database"], recorded["docker"], recorded["ci"]) == ("sqlite", False, "none")
    assert not (tmp_path / "svc" / "Dockerfile").exists()


def test_no_git_skips_the_repository(tmp_path: Path) -> None:
    assert pyweb("new", str(tmp_path / "plain"), "--defaults", "--no-git").exit_code == 0
    assert not (tmp_path / "plain" / ".git").exists()


def test_template_and_vcs_ref_render_from_a_fork(tmp_path: Path, template_store: Path) -> None:
    from pyweb_scaffold.template_source import ensure_version

    store, tag = ensure_version()
    args = ["--defaults", "--template", str(store), "--vcs-ref", tag, "--framework", "flask"]
    result = pyweb("new", str(tmp_path / "forked"), *args)
    assert result.exit_code == 0, result.output
    recorded = yaml.safe_load((tmp_path / "forked" / ".copier-answers.yml").read_text())
    assert recorded["_commit"] == tag and recorded["_src_path"] == str(store)


# --- bad input: one line, non-zero exit, nothing lost -------------------------------------------


def assert_untouched(parent: Path, expected: set[str]) -> None:
    assert {entry.name for entry in parent.iterdir()} == expected


def test_existing_non_empty_destination_is_refused_and_untouched(tmp_path: Path) -> None:
    project = tmp_path / "mine"
    project.mkdir()
    (project / "notes.txt").write_text("precious")
    result = pyweb("new", str(project), "--defaults")
    assert result.exit_code != 0
    assert "already exists and is not empty" in one_line_error(result)
    assert_untouched(project, {"notes.txt"})
    assert (project / "notes.txt").read_text() == "precious"


def test_existing_empty_destination_is_used(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert pyweb("new", str(tmp_path / "empty"), "--defaults").exit_code == 0
    assert (tmp_path / "empty" / "Makefile").is_file()


def test_new_dot_renders_into_the_working_folder_without_replacing_it(tmp_path: Path) -> None:
    """The user's shell stays in a live folder: the same directory, now holding the project."""
    here = tmp_path / "svc"
    here.mkdir()
    inode = here.stat().st_ino
    result = subprocess.run(
        [sys.executable, "-m", "pyweb_scaffold", "new", ".", "--defaults", "--framework", "flask"],
        cwd=here,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert here.stat().st_ino == inode
    assert (here / "Makefile").is_file() and (here / ".git").is_dir()
    assert not [entry for entry in here.iterdir() if ".pyweb-" in entry.name]
    assert yaml.safe_load((here / ".copier-answers.yml").read_text())["project_name"] == "svc"


def test_failed_render_into_the_working_folder_leaves_it_empty(tmp_path: Path) -> None:
    here = tmp_path / "svc"
    here.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "pyweb_scaffold", "new", ".", "--defaults", "--data", "python_version=2.7"],
        cwd=here,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert here.is_dir() and not list(here.iterdir())


@pytest.mark.parametrize(
    ("folder", "extra", "expected"),
    [
        ("my service", [], "contains spaces; try 'my_service'"),
        ("2fast", [], "starts with a digit; try 'service_2fast'"),
        ("class", [], "is reserved: a Python keyword, a stdlib module or a dependency; try 'class_app'"),
        ("django", [], "is reserved"),
        ("test", [], "try 'test_app'"),
        ("ok", ["--data", "package_name=flask"], "try 'flask_app' (--data package_name=flask_app)"),
    ],
)
def test_bad_package_names_suggest_a_fix(tmp_path: Path, folder: str, extra: list[str], expected: str) -> None:
    result = pyweb("new", str(tmp_path / folder), "--defaults", *extra)
    assert result.exit_code != 0
    assert expected in one_line_error(result)
    assert_untouched(tmp_path, set())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--framework", "rails"], "'rails' is not one of"),
        (["--data", "framework=rails"], "unknown framework 'rails'"),
        (["--data", "nonsense"], "--data 'nonsense' is not KEY=VALUE"),
        (["--data", "=x"], "is not KEY=VALUE"),
        (["--data", "colour=blue"], "unknown question(s) colour"),
        (["--data", "secret_key=abc"], "unknown question(s) secret_key"),
        (["--data", "docker=maybe"], "is not a yes/no answer"),
        (["--data", "python_version=2.7"], "Invalid choice for 'python_version'"),
        (["--data", "ci=jenkins"], "Invalid choice for 'ci'"),
        (["--data", "author_email=nobody"], "author_email must look like"),
        (["--data", "project_name=-bad-"], "project_name must be"),
        (["--framework", "flask", "--data", "framework=django"], "disagree"),
        (["--vcs-ref", "v1"], "--vcs-ref goes with --template"),
    ],
)
def test_bad_answers_are_refused_with_one_line(tmp_path: Path, args: list[str], expected: str) -> None:
    result = pyweb("new", str(tmp_path / "svc"), "--defaults", *args)
    assert result.exit_code != 0
    assert expected in one_line_error(result)
    assert_untouched(tmp_path, set())


def test_bad_data_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "answers.yml"
    bad.write_text("- just\n- a list\n")
    result = pyweb("new", str(tmp_path / "svc"), "--defaults", "--data-file", str(bad))
    assert result.exit_code != 0 and "must hold a mapping" in one_line_error(result)


def test_no_terminal_without_defaults_fails_fast(tmp_path: Path) -> None:
    result = pyweb("new", str(tmp_path / "svc"), input="")
    assert result.exit_code != 0
    assert "no terminal to ask questions on; pass --defaults" in one_line_error(result)
    assert_untouched(tmp_path, set())


@pytest.fixture
def immutable_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can create entries in, not even root (permission bits do not stop root)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    if subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported on this filesystem")
    yield locked
    subprocess.run(["chattr", "-i", str(locked)], check=True)


def test_unwritable_parent_is_refused(immutable_dir: Path) -> None:
    result = pyweb("new", str(immutable_dir / "svc"), "--defaults")
    assert result.exit_code != 0
    assert f"cannot write to {immutable_dir}" in one_line_error(result)


def test_missing_parent_is_refused(tmp_path: Path) -> None:
    result = pyweb("new", str(tmp_path / "nope" / "svc"), "--defaults")
    assert result.exit_code != 0 and "does not exist" in one_line_error(result)


def test_a_render_error_halfway_leaves_nothing_behind(tmp_path: Path) -> None:
    """A template that fails after some files are written: no half project, no staging folder."""
    template = template_copy(tmp_path / "template")
    broken = template / "templates" / "flask" / "tests" / "zz_broken.py.jinja"
    broken.write_text("{{ 1 | no_such_filter }}\n")
    parent = tmp_path / "work"
    parent.mkdir()

    result = pyweb("new", str(parent / "svc"), "--defaults", "--template", str(template), "--data", "framework=flask")

    assert result.exit_code != 0
    assert "no_such_filter" in one_line_error(result)
    assert_untouched(parent, set())


def test_ctrl_c_during_the_render_leaves_nothing_behind(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "pyweb_scaffold", "new", "svc", "--defaults", "--framework", "django"]
    # SIGINT as a terminal delivers it: a runner started in the background may ignore it, and
    # the child would inherit that.
    render = subprocess.Popen(
        command,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not any(entry.name.startswith(".svc.pyweb-") for entry in tmp_path.iterdir()):
        assert render.poll() is None, "pyweb new ended before it began to render"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    render.send_signal(signal.SIGINT)
    _, stderr = render.communicate(timeout=60)

    assert render.returncode != 0
    assert b"Traceback" not in stderr
    assert_untouched(tmp_path, set())


def test_missing_git_renders_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))  # no git anywhere on PATH
    result = CliRunner().invoke(main, ["new", str(tmp_path / "svc"), "--defaults", "--framework", "flask"])
    assert result.exit_code == 0, result.output
    assert "Warning: git was not found" in result.output
    assert (tmp_path / "svc" / "Makefile").is_file()
    assert not (tmp_path / "svc" / ".git").exists()
