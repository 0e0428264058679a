"""Outgoing mail: a plain-text EmailMessage from EMAIL_FROM, handed to the SMTP server at
SMTP_URL (see smtp.py). Without an SMTP_URL the message is written to the log instead, for
development.
"""

import logging
from email.message import EmailMessage

from flask import current_app

from .smtp import SMTPServer, deliver

logger = logging.getLogger(__name__)


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["EMAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    # 7bit keeps an ASCII body, links included, as it is written (not quoted-printable).
    message.set_content(body, cte="7bit" if body.isascii() else None)
    return message


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message from EMAIL_FROM, or log it when SMTP_URL is empty."""
    message = build_message(to, subject, body)
    server: SMTPServer | None = current_app.config["SMTP_SERVER"]
    if server is None:
        logger.info("SMTP_URL is empty; the email is logged, not sent:\n%s", message)
        return
    deliver(server, message)
