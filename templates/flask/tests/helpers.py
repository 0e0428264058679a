"""Values shared by the tests and their fixtures."""

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
PASSWORD = "correct horse battery"

Headers = dict[str, str]
