"""Deliver a composed digest over SMTP: the only module that talks SMTP.

Headers never carry a line break (no header injection); non-ASCII subjects are encoded by the
email package's SMTP policy; a failed attempt is retried with exponential backoff.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from radar.config import SmtpSettings
from radar.digest.compose import Composed
from radar.errors import SendError

BACKOFF_SECONDS = 2.0


def _header(value: str) -> str:
    """One line, no CR/LF: a hostile value cannot add headers."""
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def build_message(composed: Composed, sender: str, recipient: str) -> EmailMessage:
    """A multipart/alternative message: plain text first, HTML second."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = _header(composed.subject)
    message["From"] = _header(sender)
    message["To"] = _header(recipient)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=_header(sender).rpartition("@")[2] or "localhost")
    message.set_content(composed.text, charset="utf-8")
    message.add_alternative(composed.html, subtype="html", charset="utf-8")
    return message


def _deliver_once(smtp: SmtpSettings, message: EmailMessage) -> None:
    if smtp.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    with client:
        if smtp.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if smtp.user:
            client.login(smtp.user, smtp.password)
        client.send_message(message)


def deliver(
    smtp: SmtpSettings, message: EmailMessage, sleep: Callable[[float], None] = time.sleep
) -> int:
    """Send with retries; return the attempts used, or raise SendError after the last one."""
    if not smtp.host:
        raise SendError("send: no SMTP server configured (settings.smtp.host / RADAR_SMTP_HOST)")
    error: Exception | None = None
    for attempt in range(1, smtp.retries + 1):
        try:
            _deliver_once(smtp, message)
            return attempt
        except (OSError, smtplib.SMTPException) as exc:
            error = exc
            if attempt < smtp.retries:
                sleep(BACKOFF_SECONDS * 2 ** (attempt - 1))
    raise SendError(f"send: {smtp.host}:{smtp.port} failed {smtp.retries} times: {error}")
