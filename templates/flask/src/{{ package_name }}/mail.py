"""Outgoing mail: the standard library's EmailMessage over smtplib, at SMTP_URL.

`smtp://[user:password@]host[:port]` is plain SMTP (port 25), upgraded with STARTTLS on the
submission port 587; `smtps://` is implicit TLS (port 465). Without an SMTP_URL the message
is written to the log instead, for development.
"""

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 10
SUBMISSION_PORT = 587
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


@dataclass(frozen=True)
class SMTPServer:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SMTPServer | None:
    """The server an SMTP_URL names; None for an empty one. ValueError when it is not one.

    The messages never repeat the URL: it may hold a password.
    """
    if not url:
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"expected smtp:// or smtps://, got {scheme or 'no'} scheme")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise ValueError("the port is not a number from 0 to 65535") from None
    if not parts.hostname:
        raise ValueError("no host name")
    return SMTPServer(
        host=parts.hostname,
        port=port,
        implicit_tls=scheme == "smtps",
        starttls=scheme == "smtp" and port == SUBMISSION_PORT,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["EMAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    # 7bit keeps an ASCII body, links included, as it is written (not quoted-printable).
    message.set_content(body, cte="7bit" if body.isascii() else None)
    return message


def deliver(server: SMTPServer, message: EmailMessage) -> None:
    """Hand the message to the server; smtplib.SMTPException or OSError when that fails."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if server.implicit_tls:
        smtp = smtplib.SMTP_SSL(
            server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
        )
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS)
    with smtp:
        if server.starttls:
            smtp.starttls(context=context)
        if server.username is not None:
            smtp.login(server.username, server.password or "")
        smtp.send_message(message)


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message from EMAIL_FROM, or log it when SMTP_URL is empty."""
    message = build_message(to, subject, body)
    server: SMTPServer | None = current_app.config["SMTP_SERVER"]
    if server is None:
        logger.info("SMTP_URL is empty; the email is logged, not sent:\n%s", message)
        return
    deliver(server, message)
