import os
from collections.abc import Iterator
from unittest import mock

import pytest

# Every variable the settings read: tests start without them, so the shell cannot leak in.
VARIABLES = (
    "ENVIRONMENT",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "SECRET_KEY",
    "LOG_LEVEL",
    "ALLOWED_HOSTS",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A clean environment for the test; whatever the test or the code under test sets is undone."""
    with mock.patch.dict(os.environ):
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        yield monkeypatch
