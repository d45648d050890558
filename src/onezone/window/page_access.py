"""Who may open the window's materials pages (merged into ``onezone.access.POLICIES``)."""

from onezone.access import ENTERPRISE, roles

CLERK_DESK = roles("admin", "clerk")

PAGE_POLICIES = {
    "desk/window/cases/<int:case_id>/materials/attach/": roles("admin", "clerk", post_only=True),
    "desk/window/cases/<int:case_id>/materials/<int:file_id>/remove/": roles("admin", "clerk", post_only=True),
    "desk/window/prereviews/": CLERK_DESK,
    "desk/window/prereviews/<int:pk>/": CLERK_DESK,
    "desk/window/applicants/": CLERK_DESK,
    "portal/window/prereview/": ENTERPRISE,
    "portal/window/prereview/<int:pk>/": ENTERPRISE,
}
