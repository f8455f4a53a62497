"""Log lines never carry a secret link: a tracking token, a registration's or an invitation's,
a live stream's, a password reset's. The filter masks them whatever logger writes the line
(Django's « Bad Request: /suivi/… », a server's access log)."""

import logging
import re

SECRET_PATHS = re.compile(
    r"(/suivi/|/ateliers/inscriptions/|/invitations/|/direct/|/compte/password/reset/key/"
    r"|/compte/confirm-email/)[^/\s?\"']+"
)
MASK = r"\1…"


def redact(text: str) -> str:
    return SECRET_PATHS.sub(MASK, text)


def _masked(value):
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    """Mask the message and each of its arguments: formatters that read the arguments (an
    access log's path, status…) still find them where they expect them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _masked(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _masked(arg) for key, arg in record.args.items()}
        return True
