"""Where e-mail goes without a mail server (the demo, a developer's machine): the terminal, as
a person reads it — who it is for, its subject, its words — not as MIME with its
quoted-printable accents. Login codes are read there."""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        rule = "─" * 72
        self.stream.write(
            f"\n{rule}\nCourriel pour {', '.join(message.to)} — {message.subject}\n{rule}\n"
            f"{message.body.rstrip()}\n{rule}\n"
        )
