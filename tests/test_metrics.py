"""Metrics end to end: `make serve` with 2 worker processes, known traffic over real HTTP, then
scrapes of /metrics that must count every request, whichever worker answered it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.contract import SECRET_KEY
from tests.test_e2e import installed_with, serving

pytestmark = pytest.mark.e2e

FRAMEWORKS = ["fastapi", "django", "flask"]
TOKEN = "metrics-scrape-token-" + "m" * 24
PASSWORD = "correct horse battery"
HEALTH_REQUESTS = 60
SCRAPES = 6
# Requests timed, by (method, route, status).
Counts = dict[tuple[str, str, str], float]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Each framework with `metrics`, on SQLite, generated, installed and migrated once."""
    return installed_with(tmp_path_factory, "metrics=true")


def scrape(base: str, token: str = TOKEN) -> Counts:
    response = httpx.get(f"{base}/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    counts: Counts = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == "http_server_request_duration_seconds_count":
                labels = sample.labels
                key = (labels["http_request_method"], labels["http_route"], labels["http_response_status_code"])
                counts[key] = counts.get(key, 0) + sample.value
        if family.name == "http_server_active_requests":
            assert all(sample.value == 0 for sample in family.samples), family.samples
    return counts


def added(before: Counts, after: Counts) -> Counts:
    changes = {key: count - before.get(key, 0) for key, count in after.items()}
    return {key: change for key, change in changes.items() if change}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_workers_requests_are_counted(installed: Callable[[str], Path], framework: str) -> None:
    project = installed(framework)
    with serving(project, WEB_CONCURRENCY="2", SECRET_KEY=SECRET_KEY, METRICS_TOKEN=TOKEN) as base:
        before = scrape(base)  # serving() asked /health until the server answered
        email = f"metrics-{framework}@example.com"
        assert httpx.post(f"{base}/api/v1/auth/register", json={"email": email, "password": PASSWORD}).is_success
        login = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        # A new connection each: the kernel spreads them over both workers' accepts.
        for _ in range(HEALTH_REQUESTS):
            assert httpx.get(f"{base}/health").status_code == 200
        item = httpx.post(f"{base}/api/v1/items", json={"title": "counted"}, headers=auth).json()
        assert httpx.get(f"{base}/api/v1/items/{item['id']}", headers=auth).status_code == 200
        assert httpx.get(f"{base}/api/v1/items/999999", headers=auth).status_code == 404
        assert httpx.get(f"{base}/no/such/path").status_code == 404

        scrapes = [added(before, scrape(base)) for _ in range(SCRAPES)]

        # Each scrape, whichever worker answers it, sums both workers' counts.
        assert all(counts == scrapes[0] for counts in scrapes), scrapes
        counts = scrapes[0]
        assert counts[("GET", "/health", "200")] == HEALTH_REQUESTS
        assert counts[("POST", "/api/v1/items", "201")] == 1
        detail = {route for _, route, _ in counts if route.startswith("/api/v1/items/")}
        assert len(detail) == 1 and "{" in detail.pop(), counts  # the template, never an id
        assert counts[("GET", "", "404")] == 1
        assert not any(re.search(r"/\d+(/|$)", route) for _, route, _ in counts), counts  # no raw ids

        refused = httpx.get(f"{base}/metrics")
        assert refused.status_code == 401 and refused.json()["detail"]
        assert httpx.get(f"{base}/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_production_serves_metrics_only_with_a_token(installed: Callable[[str], Path], framework: str) -> None:
    project = installed(framework)
    production = {"ENVIRONMENT": "production", "SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    with serving(project, **production) as base:
        closed = httpx.get(f"{base}/metrics", headers={"Authorization": "Bearer anything"})
        assert closed.status_code == 404 and "detail" in closed.json()
    with serving(project, **production, METRICS_TOKEN=TOKEN) as base:
        assert httpx.get(f"{base}/metrics").status_code == 401
        # Prometheus scrapes a pod at its address, which ALLOWED_HOSTS does not name.
        headers = {"Authorization": f"Bearer {TOKEN}", "Host": "10.1.2.3:8000"}
        assert httpx.get(f"{base}/metrics", headers=headers).status_code == 200
        assert httpx.get(f"{base}/health", headers=headers).status_code == 400
