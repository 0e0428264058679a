"""Values shared by the tests and their fixtures."""

import re
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
PASSWORD = "correct horse battery"

Headers = dict[str, str]


class Outbox(list[EmailMessage]):
    """The messages a fake SMTP server was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.connections = 0
        self.failures = 0  # how many of the next connections fail


def reset_token(message: EmailMessage) -> str:
    """The token of the password-reset link in a mail."""
    body = message.get_content()
    match = re.search(r"[?&]token=([^\s&]+)", body)
    assert match, body
    return unquote(match.group(1))
