"""The `ecogov` console command: Django's manage.py plus the project's own subcommands."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecogov.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ecogov", *(sys.argv[1:] if argv is None else argv)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
