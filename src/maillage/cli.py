"""The `maillage` command: our own sub-commands, and any other Django management command."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["demo"]:
        # The demo serves the static files from the apps (nothing to collect), and shows the
        # pages a visitor would see in production.
        os.environ.setdefault("MAILLAGE_DEMO", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["maillage", *argv])


if __name__ == "__main__":
    main()
