"""The probes answer as the API contract says."""

import logging

import pytest
from django.db import OperationalError, connections
from django.test import Client

DRIVER_MESSAGE = 'connection to "db.internal" failed: password authentication failed for "admin"'


@pytest.fixture
def unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise OperationalError(DRIVER_MESSAGE)

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)


# Not marked django_db: pytest-django fails any database access, so these also prove
# that /health never touches the database.
def test_health_answers_ok(client: Client) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_health_answers_json_whatever_the_client_accepts(client: Client) -> None:
    response = client.get("/health", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_answers_head_requests(client: Client) -> None:
    assert client.head("/health").status_code == 200


def test_health_refuses_other_methods(client: Client) -> None:
    response = client.post("/health")

    assert response.status_code == 405
    assert "detail" in response.json()


@pytest.mark.django_db
def test_ready_answers_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.usefixtures("unreachable_database")
def test_ready_answers_503_when_the_database_is_unreachable(client: Client) -> None:
    response = client.get("/ready")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unreachable"}}


@pytest.mark.usefixtures("unreachable_database")
def test_ready_logs_the_driver_message_but_never_returns_it(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = client.get("/ready")

    assert DRIVER_MESSAGE in caplog.text
    body = response.content.decode()
    assert "db.internal" not in body
    assert "admin" not in body
