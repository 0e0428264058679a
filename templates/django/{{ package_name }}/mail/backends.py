"""An email backend that writes each message, whole, to the log (SMTP_URL empty)."""

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class LogEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            logger.info(
                "Email not sent (SMTP_URL is empty)\nFrom: %s\nTo: %s\nSubject: %s\n\n%s",
                message.from_email,
                ", ".join(message.recipients()),
                message.subject,
                message.body,
            )
        return len(email_messages)
