"""Alembic environment for Flask-Migrate: the app supplies the engine and the metadata."""

import logging
import warnings
from logging.config import fileConfig
from typing import Any

from alembic import context
from flask import current_app

# The Alembic Config object, which provides access to the values in alembic.ini.
config = context.config

# Logging from alembic.ini; keep the app's loggers working (tests call upgrade()).
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")
# SQLite cannot reflect expression indexes such as users' lower(email); autogenerate skips
# them there (PostgreSQL compares them) and would otherwise warn on every run.
warnings.filterwarnings("ignore", message=".*expression-based index")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url",
    target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%"),
)


def get_metadata() -> Any:
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline() -> None:
    """Emit SQL to stdout (`flask db upgrade --sql`) without a database connection."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=get_metadata(),
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations over a connection from the app's engine."""

    def process_revision_directives(context: Any, revision: Any, directives: list[Any]) -> None:
        # No empty revision when autogenerate finds no schema change.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
