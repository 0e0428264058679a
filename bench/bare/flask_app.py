"""Bare Flask: the same /health JSON as a generated project, nothing else (gunicorn flask_app:app)."""

from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
