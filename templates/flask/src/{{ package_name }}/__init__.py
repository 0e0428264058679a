"""Application factory: `flask` finds create_app() through FLASK_APP in .flaskenv."""

import os

from dotenv import load_dotenv
from flask import Flask
from flask_cors import CORS

from . import health
from .config import load_config
from .errors import register_error_handlers
from .extensions import db, migrate
from .logging_config import configure_logging


def create_app(config_name: str | None = None) -> Flask:
    """Build the app for `config_name`, or for $ENVIRONMENT (default `development`)."""
    if config_name is None:
        # gunicorn does not read .env the way the `flask` command does; real
        # environment variables always win over the file.
        load_dotenv(".env")
        config_name = os.environ.get("ENVIRONMENT", "development")
    config = load_config(config_name)
    configure_logging(config.LOG_LEVEL)

    app = Flask(__name__)
    app.config.from_object(config)

    db.init_app(app)
    # Batch mode lets Alembic alter SQLite tables by copying them.
    migrate.init_app(app, db, render_as_batch=True)
    if app.config["CORS_ORIGINS"]:
        CORS(app, origins=app.config["CORS_ORIGINS"])

    register_error_handlers(app)
    app.register_blueprint(health.bp)
    return app
