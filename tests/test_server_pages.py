"""Django with server_pages: its own suite and lint pass, and a person can use the pages in Chromium.

The browser drives `make serve` in production mode (secure cookies, CSRF, DEBUG off) after
`collectstatic`, as the Docker image runs it, so WhiteNoise serves the hashed stylesheet.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT, python_for, require_tool
from tests.contract import SECRET_KEY, check_contract
from tests.hostile import check_hostile
from tests.test_e2e import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PRODUCTION,
    app_only_page,
    make,
    project_env,
    serving,
    sqlite_url,
)

pytestmark = pytest.mark.e2e

PYTHON_VERSION = "3.11"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """Generate and `make install` the project once; every test of this module shares it."""
    projects: list[Path] = []

    def get() -> Path:
        if not projects:
            require_tool("make")
            require_tool("git")
            parent = tmp_path_factory.mktemp("django-pages")
            subprocess.run(
                [
                    sys.executable, "-m", "pyweb_scaffold", "new", "demo", "--framework", "django", "--defaults",
                    "--data", "server_pages=true", "--data", f"python_version={PYTHON_VERSION}",
                ],
                cwd=parent, check=True, capture_output=True,
            )  # fmt: skip
            project = parent / "demo"
            make(project, "install", f"PYTHON={python_for(PYTHON_VERSION)}")
            projects.append(project)
        return projects[0]

    return get


def test_the_project_passes_its_suite_and_lint(installed: Callable[[], Path]) -> None:
    """The pages alone (test_e2e's django-options has them with realtime and metrics, on
    PostgreSQL too): their tests included, within the coverage threshold."""
    project = installed()
    assert (project / "tests" / "test_pages.py").is_file()
    make(project, "migrate")
    result = make(project, "coverage")
    assert "test_pages.py" in result.stdout
    make(project, "lint")


def test_the_api_keeps_its_contract_and_survives_hostile_input(installed: Callable[[], Path]) -> None:
    """The pages share the URLconf, the middleware and the session with the API: it is unchanged."""
    project = installed()
    env = {**PRODUCTION, "DATABASE_URL": sqlite_url(project / f"contract-{uuid.uuid4().hex[:6]}.db")}
    make(project, "migrate", **env)
    with serving(project, **env) as base:
        check_contract(base, SECRET_KEY)
        check_hostile(base, SECRET_KEY)


def register(base: str) -> tuple[str, str, str]:
    """A new account through the API: (email, password, access token)."""
    email = f"person-{uuid.uuid4().hex[:8]}@example.com"
    password = "a page person's password"
    httpx.post(f"{base}/api/v1/auth/register", json={"email": email, "password": password}).raise_for_status()
    login = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password})
    login.raise_for_status()
    return email, password, login.json()["access_token"]


def api_titles(base: str, token: str) -> list[str]:
    response = httpx.get(f"{base}/api/v1/items", headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    return [item["title"] for item in response.json()["results"]]


def test_the_pages_in_a_browser(installed: Callable[[], Path]) -> None:
    """Headless Chromium, outside network blocked: sign in, create, edit, delete, sign out."""
    require_tool("chromium")
    from playwright.sync_api import expect, sync_playwright

    project = installed()
    env = {**PRODUCTION, "DATABASE_URL": sqlite_url(project / f"pages-{uuid.uuid4().hex[:6]}.db")}
    make(project, "migrate", **env)
    subprocess.run(
        [".venv/bin/python", "manage.py", "collectstatic", "--noinput"],
        cwd=project, env=project_env(**env), check=True, capture_output=True,
    )  # fmt: skip
    artifacts = REPO_ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with serving(project, **env) as base, sync_playwright() as playwright:
        email, password, token = register(base)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page, outside = app_only_page(browser, base, width=1024, height=900)
            with page.expect_response(re.compile(r"/static/pages/pages\.[0-9a-f]+\.css$")) as stylesheet:
                page.goto(f"{base}/")
            assert stylesheet.value.status == 200
            assert stylesheet.value.headers["content-type"].startswith("text/css")
            assert "immutable" in stylesheet.value.headers["cache-control"]
            # Applied, not only fetched: the body takes the stylesheet's background.
            expect(page.locator("body")).to_have_css("background-color", "rgb(246, 248, 250)")
            expect(page).to_have_url(f"{base}/accounts/login/?next=/items/")

            page.fill("#id_username", email.upper())
            page.fill("#id_password", password)
            page.click("main button[type=submit]")
            expect(page).to_have_url(f"{base}/items/")
            expect(page.locator(".empty")).to_have_text("No items yet.")
            missing = page.goto(f"{base}/items/999999/edit/")
            assert missing is not None and missing.status == 404
            expect(page.locator("main h1")).to_have_text("Not found")
            page.click("text=Back to your items")

            page.click("text=New item")
            page.fill("#id_title", "Buy milk")
            page.fill("#id_description", "Two litres")
            page.click("main button[type=submit]")
            expect(page).to_have_url(f"{base}/items/")
            expect(page.locator(".messages")).to_have_text("Item “Buy milk” created.")
            expect(page.locator(".items h2")).to_have_text(["Buy milk"])
            assert api_titles(base, token) == ["Buy milk"]
            page.screenshot(path=str(artifacts / "pages-items-django.png"), full_page=True)

            page.click(".items >> text=Edit")
            expect(page.locator("#id_title")).to_have_value("Buy milk")
            # Blanks pass the browser's `required` check; the server's form refuses them.
            page.fill("#id_title", "   ")
            page.click("main button[type=submit]")
            expect(page.locator(".errorlist")).to_contain_text("This field is required.")
            page.fill("#id_title", "Buy oat milk")
            page.click("main button[type=submit]")
            expect(page.locator(".messages")).to_have_text("Item “Buy oat milk” saved.")
            expect(page.locator(".items h2")).to_have_text(["Buy oat milk"])

            page.click(".items >> text=Delete")
            expect(page.locator("main form")).to_contain_text("Delete “Buy oat milk” for good?")
            page.click("button.danger")
            expect(page.locator(".messages")).to_have_text("Item “Buy oat milk” deleted.")
            expect(page.locator(".empty")).to_have_text("No items yet.")
            assert api_titles(base, token) == []

            page.click("text=Sign out")
            expect(page).to_have_url(f"{base}/accounts/login/")
            expect(page.locator(".messages")).to_have_text("You have signed out.")
            page.goto(f"{base}/items/")
            expect(page).to_have_url(f"{base}/accounts/login/?next=/items/")
            assert outside == [], f"the pages reached outside the app: {outside}"
        finally:
            browser.close()
