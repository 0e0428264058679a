"""Swagger UI's scripts and styles, served by the app so that /docs works offline.

flask-smorest renders the /docs page and /openapi.json; the flask-swagger-ui package ships
the Swagger UI build, whose files this blueprint serves under /docs/assets/.
"""

from importlib.resources import files

from flask import Blueprint, Response, send_from_directory

SWAGGER_UI_DIST = str(files("flask_swagger_ui") / "dist")

bp = Blueprint("docs_assets", __name__)


@bp.get("/docs/assets/<path:filename>")
def swagger_ui_asset(filename: str) -> Response:
    return send_from_directory(SWAGGER_UI_DIST, filename, max_age=86400)
