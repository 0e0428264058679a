"""Version 1 of the HTTP API: one flask-smorest blueprint per resource under /api/v1."""

from flask_smorest import Api

from . import auth, items, users

PREFIX = "/api/v1"


def register_blueprints(api: Api) -> None:
    api.register_blueprint(auth.blp, url_prefix=f"{PREFIX}/auth")
    api.register_blueprint(users.blp, url_prefix=f"{PREFIX}/users")
    api.register_blueprint(items.blp, url_prefix=f"{PREFIX}/items")
    # pyweb: resource blueprints
