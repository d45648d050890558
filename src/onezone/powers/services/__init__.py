"""Writes of the three lists: items and their adjustments, delegations, publication of versions, the import.

Every change to an item is an ``Adjustment`` (add, modify, suspend, resume, revoke) with its reason
and document; ``list_publish`` freezes the items in force into an immutable ``ListVersion``.
"""

from onezone.powers.services.delegation import (
    DELEGATION_TRANSITIONS,
    batch_create,
    delegation_propose,
    delegation_transition,
)
from onezone.powers.services.duties import (
    DutyImportResult,
    duty_list_import,
    duty_list_publish,
    enforcement_item_set,
    responsibility_set,
)
from onezone.powers.services.imports import ImportResult, powers_import
from onezone.powers.services.items import (
    DELEGATION_ROLES,
    FEE_FIELDS,
    ITEM_FIELDS,
    LIST_EDITORS,
    MATERIAL_FIELDS,
    PUBLISHERS,
    _field_defaults,
    _reason_check,
    item_check,
    item_create,
    item_resume,
    item_revoke,
    item_status_change,
    item_suspend,
    item_update,
)
from onezone.powers.services.publication import list_publish, version_change

__all__ = [
    "DELEGATION_ROLES",
    "DELEGATION_TRANSITIONS",
    "FEE_FIELDS",
    "ITEM_FIELDS",
    "LIST_EDITORS",
    "MATERIAL_FIELDS",
    "PUBLISHERS",
    "DutyImportResult",
    "ImportResult",
    "_field_defaults",
    "_reason_check",
    "batch_create",
    "delegation_propose",
    "delegation_transition",
    "duty_list_import",
    "duty_list_publish",
    "enforcement_item_set",
    "item_check",
    "item_create",
    "item_resume",
    "item_revoke",
    "item_status_change",
    "item_suspend",
    "item_update",
    "list_publish",
    "powers_import",
    "responsibility_set",
    "version_change",
]
