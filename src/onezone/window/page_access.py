"""Who may open the window's materials pages (merged into ``onezone.access.POLICIES``)."""

from onezone.access import ENTERPRISE, PUBLIC, WINDOW_STAFF, roles

CLERK_DESK = roles("admin", "clerk")

PAGE_POLICIES = {
    "desk/window/cases/<int:case_id>/materials/attach/": roles("admin", "clerk", post_only=True),
    "desk/window/cases/<int:case_id>/materials/<int:file_id>/remove/": roles("admin", "clerk", post_only=True),
    "desk/window/prereviews/": CLERK_DESK,
    "desk/window/prereviews/<int:pk>/": CLERK_DESK,
    "desk/window/applicants/": CLERK_DESK,
    "portal/window/prereview/": ENTERPRISE,
    "portal/window/prereview/<int:pk>/": ENTERPRISE,
    # 一件事: the desk as the window's other pages (each action checks its role); the guide and look-up public.
    "desk/window/bundles/": WINDOW_STAFF,
    "desk/window/bundles/<int:bundle_id>/apply/": WINDOW_STAFF,
    "desk/window/bundles/cases/<int:bundle_case_id>/": WINDOW_STAFF,
    "desk/window/bundles/efficiency/": WINDOW_STAFF,
    "portal/window/bundles/": PUBLIC,
    "portal/window/bundles/<int:bundle_id>/": PUBLIC,
    "portal/window/bundles/lookup/": PUBLIC,
    # 部门进驻: who sits where today.
    "desk/window/centre/": WINDOW_STAFF,
}
