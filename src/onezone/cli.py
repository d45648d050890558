"""The ``onezone`` command: Django's management commands with OneZone's settings.

A command run on a database that ``onezone migrate`` has not yet made (or not brought up to date) says so
in Chinese and exits with status 1, instead of ending in a traceback about a missing table.
"""

from __future__ import annotations

import os
import sys

# Commands that work on a database without the project's tables, or make them.
WITHOUT_TABLES = frozenset(
    {
        "migrate",
        "makemigrations",
        "showmigrations",
        "sqlmigrate",
        "squashmigrations",
        "check",
        "help",
        "version",
        "collectstatic",
        "findstatic",
        "compilemessages",
        "makemessages",
        "dbshell",
        "shell",
        "diffsettings",
        "restore",
        "demo",
        "test",
    }
)
NOT_MIGRATED = "数据库尚未初始化或未更新到当前版本（{detail}）。请先运行 onezone migrate，再执行此命令。"


def pending_migrations(using: str = "default") -> list[str]:
    """The migrations not yet applied to the database (all of them on a new database)."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def not_migrated_message(using: str = "default") -> str | None:
    """The Chinese message for a database that needs ``onezone migrate``, or None when it is up to date."""
    pending = pending_migrations(using)
    if not pending:
        return None
    detail = f"有 {len(pending)} 个迁移未执行，第一个是 {pending[0]}"
    return NOT_MIGRATED.format(detail=detail)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onezone.settings")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    args = sys.argv[1:] if argv is None else argv
    try:
        execute_from_command_line(["onezone", *args])
    except DatabaseError:
        # A missing table or column: say what to do when the schema is behind, otherwise let the error through.
        if not args or args[0] in WITHOUT_TABLES:
            raise
        try:
            message = not_migrated_message()
        except DatabaseError:
            message = None
        if message is None:
            raise
        sys.stderr.write(message + "\n")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
