"""Release to release: a project generated from the last release, with data in its database,
updated to this checkout's template, still installs, migrates over its data and passes its tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from pyweb_scaffold import __version__
from tests.conftest import require_tool
from tests.releases import commit_all, git, latest_release, publish, released_template, template_copy
from tests.test_e2e import FRAMEWORKS, make, serving

pytestmark = pytest.mark.e2e
PASSWORD = "release upgrade pw"


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> str:
    """pyweb's repository as a local bare one: the last release, then this checkout as the next."""
    require_tool("git")
    root = tmp_path_factory.mktemp("releases")
    bare = root / "pyweb-scaffold.git"
    publish(released_template(latest_release(), root / "previous"), bare, latest_release())
    publish(template_copy(root / "current"), bare, __version__)
    return bare.as_uri()


def add_data(base: str) -> list[dict[str, object]]:
    """A user and three items, created over the API as a client would."""
    with httpx.Client(base_url=base, timeout=10) as client:
        email = "keeper@example.com"
        assert client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
        headers = auth_headers(client, email)
        for n in range(3):
            created = client.post("/api/v1/items", json={"title": f"kept {n}", "description": "x"}, headers=headers)
            assert created.status_code == 201, created.text
        return client.get("/api/v1/items", headers=headers).json()["results"]


def auth_headers(client: httpx.Client, email: str) -> dict[str, str]:
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_project_of_the_last_release_updates_to_this_one(
    repository: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, framework: str
) -> None:
    require_tool("make")
    monkeypatch.setenv("PYWEB_TEMPLATE_URL", repository)
    project = tmp_path / "svc"
    copy = ["copier", "copy", "--defaults", "--vcs-ref", latest_release(), "--data", f"framework={framework}"]
    subprocess.run([sys.executable, "-m", *copy, repository, str(project)], check=True, capture_output=True)
    git(project, "init", "--quiet", "--initial-branch=main")
    commit_all(project, "generated from the last release")
    make(project, "install")
    make(project, "migrate")
    with serving(project) as base:
        items = add_data(base)
    (project / "NOTES.md").write_text("Ours: deploy on Tuesdays.\n")
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nOur own closing line.\n")
    commit_all(project, "our edits")

    updated = subprocess.run(
        [sys.executable, "-m", "pyweb_scaffold", "update", str(project)], capture_output=True, text=True
    )

    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert f"Updated the template: {latest_release()} -> {__version__}" in updated.stdout
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == __version__
    assert (project / "NOTES.md").read_text() == "Ours: deploy on Tuesdays.\n"
    assert readme.read_text().endswith("\nOur own closing line.\n")
    commit_all(project, "template update")
    make(project, "install")
    make(project, "migrate")  # the new release's migrations, over the old release's data
    make(project, "test")
    with serving(project) as base, httpx.Client(base_url=base, timeout=10) as client:
        after = client.get("/api/v1/items", headers=auth_headers(client, "keeper@example.com")).json()["results"]
    assert [(item["id"], item["title"], item["description"]) for item in after] == [
        (item["id"], item["title"], item["description"]) for item in items
    ]
