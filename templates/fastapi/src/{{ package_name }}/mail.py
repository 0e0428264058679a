"""Outgoing mail: the standard library's EmailMessage and smtplib, run in a worker thread.

With no SMTP server configured (`SMTP_URL` empty) each message is written to the log instead.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from starlette.concurrency import run_in_threadpool

SMTP_TIMEOUT_SECONDS = 10
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
# The submission port: plain SMTP upgraded with STARTTLS before any credentials are sent.
SUBMISSION_PORT = 587

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def parse_smtp_url(url: str) -> SmtpServer | None:
    """`smtp://[user:password@]host[:port]` or `smtps://...`; None for an empty URL."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        raise ValueError("SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("SMTP_URL must name a host")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise ValueError("SMTP_URL has an invalid port") from None
    implicit_tls = parts.scheme == "smtps"
    return SmtpServer(
        host=parts.hostname,
        port=port,
        implicit_tls=implicit_tls,
        starttls=not implicit_tls and port == SUBMISSION_PORT,
        username=unquote(parts.username) if parts.username is not None else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def compose(*, sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


async def send(message: EmailMessage, server: SmtpServer | None) -> None:
    """Send one message; SMTP and connection errors propagate (a job retries on them)."""
    if server is None:
        logger.info("SMTP_URL is empty: this mail is logged, not sent\n%s", message.as_string())
        return
    # smtplib blocks: a worker thread keeps the event loop serving meanwhile.
    await run_in_threadpool(deliver, message, server)


def deliver(message: EmailMessage, server: SmtpServer) -> None:
    context = ssl.create_default_context()
    smtp = (
        smtplib.SMTP_SSL(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
        if server.implicit_tls
        else smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS)
    )
    with smtp:
        if server.starttls:
            smtp.starttls(context=context)
        if server.username is not None:
            smtp.login(server.username, server.password or "")
        smtp.send_message(message)
