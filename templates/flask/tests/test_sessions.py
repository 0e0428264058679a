import pytest
from flask import Flask, session
from flask.testing import FlaskClient

from .helpers import PASSWORD


def test_no_response_sets_a_cookie(client: FlaskClient) -> None:
    response = client.post(
        "/api/v1/auth/register", json={"email": "ada@example.com", "password": PASSWORD}
    )

    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers


def test_the_session_refuses_writes(app: Flask) -> None:
    with app.test_request_context("/"), pytest.raises(RuntimeError):
        session["user_id"] = 1
