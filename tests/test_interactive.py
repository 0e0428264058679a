"""`pyweb new` on a real terminal: the flowchart, the framework choice, then copier's questions."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import yaml


def test_flowchart_then_questions_on_a_terminal(tmp_path: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "pyweb_scaffold", "new", "orders"],
        cwd=str(tmp_path),
        env={**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    # The follow-ups come only after a yes: none for the admin question's no.
    flowchart = [
        ("admin UI", "n"),
        ("high-concurrency async API", "y"),
        ("Real-time events", "y"),
        ("AI/ML inference serving, with long jobs", "y"),
        ("existing Flask codebase", "n"),
        ("greenfield", "y"),
        ("deep Django expertise", "y"),
    ]
    for prompt, key in flowchart:
        child.expect_exact(prompt)
        child.send(key)
    child.expect_exact("Recommended: FastAPI, because you need a high-performance async API")
    child.expect_exact("Conflict: you also said your team knows Django deeply")
    child.expect_exact("Runner-up: Django.")
    child.expect_exact("Framework")
    child.send("\x1b[B")  # arrow down: from the recommendation to the runner-up
    child.send("\r")
    for question in ("Project name", "Python package name", "One-line description", "Author name", "Author email"):
        child.expect_exact(question)
        child.send("\r")
    child.expect_exact("Lowest Python version")
    child.send("\x1b[B\r")  # 3.12
    child.expect_exact("Production database")
    child.send("\r")
    # The AI/ML answer carried over: the jobs question defaults to yes, and can be answered no.
    child.expect(r"Add background jobs.*\(Y/n\)")
    child.send("n")
    # So did the real-time answer, to Django's realtime question; the pages stay off.
    child.expect(r"Push item changes to clients.*\(Y/n\)")
    child.send("\r")
    child.expect(r"Add pages for people.*\(y/N\)")
    child.send("\r")
    child.expect(r"Serve Prometheus metrics.*\(y/N\)")
    child.send("\r")
    for question in ("Add a Dockerfile", "Add Kubernetes manifests", "CI provider"):
        child.expect_exact(question)
        child.send("\r")
    child.expect_exact("Created a Django project")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    answers = yaml.safe_load((tmp_path / "orders" / ".copier-answers.yml").read_text())
    assert answers["framework"] == "django"
    assert answers["package_name"] == "orders"
    assert answers["python_version"] == "3.12"
    assert answers["database"] == "postgresql"
    assert answers["kubernetes"] is False
    assert answers["background_jobs"] is False
    assert (answers["realtime"], answers["server_pages"], answers["metrics"]) == (True, False, False)
