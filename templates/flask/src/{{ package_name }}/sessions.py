"""No cookie sessions: the API authenticates with bearer tokens only.

Flask's default session interface builds a signing serializer on every request once
SECRET_KEY is set, even when nothing reads the session; this one skips that work, and any
attempt to write a session fails loudly instead of setting a cookie.
"""

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin


class NoCookieSessions(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> None:
        return None  # Flask then uses a NullSession, which refuses writes.

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        return None
