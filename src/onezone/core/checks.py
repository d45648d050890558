"""Configuration mistakes surface as system checks (``onezone check``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register("onezone")
def check_secret_key(app_configs, **kwargs):
    from onezone.settings import DEFAULT_SECRET_KEY

    if not settings.DEBUG and settings.SECRET_KEY == DEFAULT_SECRET_KEY:
        return [
            Error(
                "生产环境使用了默认密钥。",
                hint="设置环境变量 ONEZONE_SECRET_KEY 为至少50个随机字符。",
                id="onezone.E001",
            )
        ]
    return []


@register("onezone", deploy=True)
def check_database(app_configs, **kwargs):
    engine = settings.DATABASES["default"]["ENGINE"]
    if not settings.DEBUG and engine.endswith("sqlite3"):
        return [
            Warning(
                "生产环境使用内嵌 SQLite 数据库。",
                hint="单机小规模可以使用；多人同时办理或全省部署请设置 ONEZONE_DATABASE_URL 指向 PostgreSQL。",
                id="onezone.W001",
            )
        ]
    return []


# --- The schema stays shardable by zone (a distributed PostgreSQL such as Citus; docs/operations.md) ---------
#
# A zone table is one with a ``zone`` foreign key. Sharded on ``zone_id``, a unique constraint can only be
# enforced when it holds ``zone_id``, and a foreign key only when both rows live in the same zone.
# A unique constraint led by a foreign key to another zone table is zone-local: the parent row fixes the zone
# (onezone.W102 checks that it does), and sharding rewrites it with ``zone_id`` in front. Any other unique
# constraint without ``zone_id`` needs its stated reason here, keyed "app_label.Model.constraint-or-field".
ZONE_UNIQUE_EXCEPTIONS: dict[str, str] = {
    "core.IssuedDocument.code": (
        "the verification code printed on a document is looked up by the public without a zone; it is a random "
        "code, and a sharded site keeps the code → zone look-up in a reference table"
    ),
    "core.Job.key": (
        "a job's idempotency key names its zone inside the key; the queue is shared by the site's workers and "
        "becomes a reference table when sharded"
    ),
    "org.Person.user": (
        "a login belongs to one person in one zone; users are site-wide (auth), so the rule is kept by the "
        "service and, sharded, by a (zone_id, user_id) constraint plus the site-wide user table"
    ),
    "notify.Notification.notify_notification_once": (
        "an event's key names its record, and its record's zone; sharded, zone_id is put in front"
    ),
}


def zone_tables(models: list[type] | None = None) -> list[type]:
    """The concrete models that hold one zone's rows (they carry ``zone_id``)."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    found = []
    for model in models if models is not None else apps.get_models():
        if model._meta.proxy:
            continue
        try:
            field = model._meta.get_field("zone")
        except FieldDoesNotExist:
            continue
        if field.many_to_one and field.related_model._meta.label == settings.ONEZONE_ZONE_MODEL:
            found.append(model)
    return found


def _unique_sets(model: type) -> list[tuple[str, list[str]]]:
    """(name, field names) of each unique rule of ``model`` other than the primary key."""
    from django.db.models import UniqueConstraint

    rules = [(f.name, [f.name]) for f in model._meta.local_fields if f.unique and not f.primary_key]
    rules += [("unique_together " + ",".join(ut), list(ut)) for ut in model._meta.unique_together]
    rules += [
        (c.name, list(c.fields) or [str(e) for e in c.expressions])
        for c in model._meta.constraints
        if isinstance(c, UniqueConstraint)
    ]
    return rules


def zone_unique_findings(models: list[type] | None = None) -> list[tuple[str, list[str]]]:
    """The unique rules of zone tables that neither hold ``zone`` nor start with a zone-local parent."""
    tables = zone_tables(models)
    zoned = set(tables) | set(zone_tables())
    findings = []
    for model in tables:
        for name, fields in _unique_sets(model):
            if "zone" in fields or "zone_id" in fields:
                continue
            try:
                first = model._meta.get_field(fields[0])
            except Exception:
                first = None
            if first is not None and first.is_relation and first.related_model in zoned:
                continue
            if f"{model._meta.label}.{name}" not in ZONE_UNIQUE_EXCEPTIONS:
                findings.append((f"{model._meta.label}.{name}", fields))
    return findings


@register("onezone")
def check_zone_unique_constraints(app_configs, **kwargs):
    models = None
    if app_configs is not None:
        models = [m for config in app_configs for m in config.get_models()]
    return [
        Error(
            f"开发区数据表 {label} 的唯一约束（{'、'.join(fields)}）不含 zone_id，按开发区分片后无法保证。",
            hint="在约束中加入 zone（或以本区的上级记录开头），"
            "或在 core/checks.py 的 ZONE_UNIQUE_EXCEPTIONS 写明理由。",
            id="onezone.E101",
        )
        for label, fields in zone_unique_findings(models)
    ]


def zone_foreign_keys(models: list[type] | None = None) -> list[tuple[type, Any]]:
    """(model, field) of each foreign key from a zone table to another zone table (``zone`` itself aside)."""
    zoned = set(zone_tables())
    return [
        (model, field)
        for model in zone_tables(models)
        for field in model._meta.local_fields
        if field.is_relation and field.related_model in zoned and field.name != "zone"
    ]


def zone_crossing_rows(model: type, field: Any, using: str = "default") -> int:
    """How many rows of ``model`` point through ``field`` at a row of another zone."""
    from django.db.models import F

    return (
        model._base_manager.using(using)
        .filter(**{f"{field.name}__isnull": False})
        .exclude(**{f"{field.name}__zone_id": F("zone_id")})
        .count()
    )


# A table without zone_id that points at zone rows cannot be a reference table of a sharded database. Each
# one is listed here with its reason until it carries zone_id itself.
ZONE_LESS_REFERENCES: dict[str, str] = {
    "powers.ListVersionItem.version": (
        "a published version's item rows belong to the version's zone; they are immutable copies and are to "
        "gain zone_id (taken from the version) before sharding, with (zone_id, version_id) leading their key"
    ),
    "powers.ListVersionItem.item": "as for version: the row belongs to the version's zone, which is the item's",
    "powers.DutyListEntry.version": (
        "a responsibility or enforcement list version's entries are immutable copies in the version's zone; like "
        "ListVersionItem they are to gain zone_id (taken from the version) before sharding"
    ),
}


@register("onezone")
def check_zone_less_references(app_configs, **kwargs):
    from django.apps import apps

    zoned = set(zone_tables())
    return [
        Error(
            f"数据表 {model._meta.label} 没有 zone_id，"
            f"却以 {field.name} 指向开发区数据表 {field.related_model._meta.label}。",
            hint="给该表加上 zone，或在 core/checks.py 的 ZONE_LESS_REFERENCES 写明理由。",
            id="onezone.E103",
        )
        for model in apps.get_models()
        if model not in zoned and not model._meta.proxy
        for field in model._meta.local_fields
        if field.is_relation
        and field.related_model in zoned
        and f"{model._meta.label}.{field.name}" not in ZONE_LESS_REFERENCES
    ]


@register("onezone", Tags.database)
def check_zone_foreign_keys(app_configs, databases=None, **kwargs):
    """With ``onezone check --database default`` (and before ``migrate``): foreign keys whose rows leave their
    zone. A warning, so that it never stops a migration; the data are for the services to correct."""
    from django.db import DatabaseError

    errors = []
    for using in databases or []:
        for model, field in zone_foreign_keys():
            try:
                crossing = zone_crossing_rows(model, field, using)
            except DatabaseError:
                return []  # not migrated yet: the command says so (onezone.cli)
            if crossing:
                errors.append(
                    Warning(
                        f"{model._meta.label}.{field.name} 有 {crossing} 行指向其他开发区的记录，"
                        "按开发区分片后无法保存。",
                        hint="由相应服务保证两条记录属于同一开发区，并改正这些行。",
                        id="onezone.W102",
                    )
                )
    return errors
