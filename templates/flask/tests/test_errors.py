from flask.testing import FlaskClient


def test_unknown_path_is_a_json_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response.is_json
    assert "detail" in response.get_json()


def test_wrong_method_is_a_json_405_with_allow_header(client: FlaskClient) -> None:
    response = client.post("/health")

    assert response.status_code == 405
    assert set(response.get_json()) == {"detail"}
    assert "GET" in response.headers["Allow"]
