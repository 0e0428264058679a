"""Application factory: `flask` finds create_app() through FLASK_APP in .flaskenv."""

from dotenv import load_dotenv
from flask import Flask
from flask_cors import CORS

from . import docs, health
from .api import register_blueprints
from .config import environment_name, load_config
from .database import init_database_timeouts, init_sqlite_foreign_keys
from .errors import init_error_handlers
from .extensions import api, db, jwt, migrate
from .logging_config import configure_logging
from .security import init_jwt
from .sessions import NoCookieSessions
from .web import init_web


def create_app(config_name: str | None = None) -> Flask:
    """Build the app for `config_name`, or for $ENVIRONMENT (default `development`)."""
    if config_name is None:
        config_name = environment_name()
        if config_name != "production":
            # gunicorn does not read .env the way the `flask` command does; real
            # environment variables always win over the file. Never in production.
            load_dotenv(".env")
            config_name = environment_name()
    config = load_config(config_name)
    configure_logging(config.LOG_LEVEL)

    app = Flask(__name__, static_folder=None)  # an API: no /static route
    app.config.from_object(config)
    app.session_interface = NoCookieSessions()
    if not config.DOCS_ENABLED:
        app.config["OPENAPI_URL_PREFIX"] = None  # no /openapi.json, no /docs
    init_web(app)
    init_error_handlers(app)

    db.init_app(app)
    init_sqlite_foreign_keys(app)
    init_database_timeouts(app)
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

    api.register_blueprint(health.blp)
    if config.DOCS_ENABLED:
        app.register_blueprint(docs.bp)
    register_blueprints(api)
    return app
