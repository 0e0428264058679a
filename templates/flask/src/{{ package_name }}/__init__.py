"""Application factory: `flask` finds create_app() through FLASK_APP in .flaskenv."""

import os

from dotenv import load_dotenv
from flask import Flask
from flask_cors import CORS

from . import docs, health
from .api import register_blueprints
from .config import load_config
from .extensions import api, db, jwt, migrate
from .logging_config import configure_logging
from .security import init_jwt
from .sessions import NoCookieSessions


def create_app(config_name: str | None = None) -> Flask:
    """Build the app for `config_name`, or for $ENVIRONMENT (default `development`)."""
    if config_name is None:
        # gunicorn does not read .env the way the `flask` command does; real
        # environment variables always win over the file.
        load_dotenv(".env")
        config_name = os.environ.get("ENVIRONMENT", "development")
    config = load_config(config_name)
    configure_logging(config.LOG_LEVEL)

    app = Flask(__name__, static_folder=None)  # an API: no /static route
    app.config.from_object(config)
    app.session_interface = NoCookieSessions()

    db.init_app(app)
    # Batch mode lets Alembic alter SQLite tables by copying them.
    migrate.init_app(app, db, render_as_batch=True)
    jwt.init_app(app)
    init_jwt(jwt)
    # Also makes every HTTP error, 404s and 405s included, a JSON `{"detail": ...}`.
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    if app.config["CORS_ORIGINS"]:
        CORS(app, origins=app.config["CORS_ORIGINS"])

    app.register_blueprint(health.bp)
    app.register_blueprint(docs.bp)
    register_blueprints(api)
    return app
