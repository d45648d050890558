"""Who may open each page: one declared policy per URL outside the admin and the API.

The admin's pages are governed by each ModelAdmin's ``view_roles``/``write_roles``
(``core.admin_base``), the API's by its authentication and each service's role check. Every other URL
must appear here; ``tests/test_access_matrix.py`` requests each one as every role and as an anonymous
visitor and compares the answer with this table, and fails for a URL that is missing from it.
The view itself still enforces the rule (and the zone, and whose data it is): this table declares it.
"""

from __future__ import annotations

from dataclasses import dataclass

from onezone.core.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class Policy:
    public: bool = False
    roles: frozenset[str] = frozenset()
    post_only: bool = False  # a form target: GET answers 405 for everyone

    def allows(self, role: str | None) -> bool:
        return self.public or (role is not None and role in self.roles)


PUBLIC = Policy(public=True)
STAFF = Policy(roles=frozenset(STAFF_ROLES))
ENTERPRISE = Policy(roles=frozenset({Role.ENTERPRISE}))


def roles(*names: str, post_only: bool = False) -> Policy:
    return Policy(roles=frozenset(Role(n) for n in names), post_only=post_only)


WINDOW_STAFF = roles("admin", "agent", "clerk", "dept_head", "leader", "province_supervisor", "reviewer")
COMMITTEE_READERS = roles("admin", "dept_head", "leader", "province_supervisor")
COMPANY_READERS = roles("admin", "company_staff", "dept_head", "leader", "province_supervisor")
COMPANY_WRITERS = roles("company_staff")
ENTERPRISE_IMPORTERS = roles("admin", "dept_head", "investment_officer")
REQUEST_DESK = roles("admin", "agent", "clerk", "dept_head", "investment_officer", "leader")

POLICIES: dict[str, Policy] = {
    "": PUBLIC,
    "healthz": PUBLIC,
    "zone/switch/": STAFF,
    # The holiday calendar serves every zone of the site: its administrator imports it.
    "desk/calendar/import/": roles("admin"),
    # Stored files: each file field declares its readers in its app's files module (core.files), and
    # the view applies that: the lists' blank forms and samples are public, evidence is not.
    "files/<slug:app_label>/<slug:model_name>/<int:pk>/<slug:field>/": PUBLIC,
    # The three lists: public disclosure.
    "portal/powers/": PUBLIC,
    "portal/powers/items/<int:item_id>/": PUBLIC,
    "portal/powers/versions/": PUBLIC,
    "portal/powers/responsibilities/": PUBLIC,
    "portal/powers/enforcement/": PUBLIC,
    # Enterprises: the staff desk and the enterprise's own portal.
    "desk/enterprises/<int:pk>/": STAFF,
    "desk/enterprises/import/": ENTERPRISE_IMPORTERS,
    "desk/enterprises/export.xlsx": STAFF,
    "desk/enterprises/import-template.xlsx": ENTERPRISE_IMPORTERS,
    "desk/enterprises/requests/": REQUEST_DESK,
    "desk/enterprises/requests/<int:pk>/": REQUEST_DESK,
    "desk/enterprises/inspections/": STAFF,
    "desk/enterprises/inspections/calendar/": STAFF,
    "portal/enterprise/login/": PUBLIC,
    "portal/enterprise/": ENTERPRISE,
    "portal/enterprise/requests/new/": ENTERPRISE,
    "portal/enterprise/requests/<str:number>/": ENTERPRISE,
    # Personnel: everyone sees their own payslips only; HR sees all (checked in the view).
    "desk/personnel/my-payslips/": STAFF,
    "desk/personnel/payslips/<int:payslip_id>/": STAFF,
    # The operating company: its staff write, the committee reads.
    "company/assets/new/": COMPANY_WRITERS,
    "company/assets/<int:pk>/dispose/": COMPANY_WRITERS,
    "company/leases/new/": COMPANY_WRITERS,
    "company/leases/<int:pk>/": COMPANY_READERS,
    "company/arrears/": COMPANY_READERS,
    "company/loans/new/": COMPANY_WRITERS,
    "company/loans/<int:pk>/": COMPANY_READERS,
    "company/projects/new/": COMPANY_WRITERS,
    "company/projects/<int:pk>/": COMPANY_READERS,
    "company/statements/": COMPANY_READERS,
    # The service window.
    "desk/window/": WINDOW_STAFF,
    "desk/window/queue/": WINDOW_STAFF,
    "desk/window/cases/<int:case_id>/": WINDOW_STAFF,
    "desk/window/cases/<int:case_id>/applicant/": WINDOW_STAFF,
    "desk/window/cases/<int:case_id>/notices/<slug:kind>.docx": WINDOW_STAFF,
    "desk/window/cases/<int:case_id>/notices/<slug:kind>.pdf": WINDOW_STAFF,
    "desk/window/efficiency/": WINDOW_STAFF,
    "desk/window/delegations/": WINDOW_STAFF,
    "desk/window/follow-up/": WINDOW_STAFF,
    "portal/window/lookup/": PUBLIC,
    "portal/window/lookup/notices/": PUBLIC,
    # Issued documents: anyone checks one by its verification code (nothing personal is shown).
    "portal/logout/": Policy(public=True, post_only=True),
    "portal/enterprise/cases/<str:number>/": ENTERPRISE,
    "portal/verify/": PUBLIC,
    "portal/verify/<str:code>/": PUBLIC,
    "portal/window/rate/": Policy(public=True, post_only=True),
    "portal/window/complaint/": PUBLIC,
    # Investment: every member of staff of the zone reads; officers and agents act (checked in services).
    "desk/investment/": STAFF,
    "desk/investment/projects/<int:pk>/": STAFF,
    "desk/investment/projects/<int:pk>/<slug:action>/": Policy(roles=frozenset(STAFF_ROLES), post_only=True),
    "desk/investment/figures/": STAFF,
    "desk/investment/chains/": STAFF,
    "desk/investment/chains/targets.xlsx": STAFF,
    "desk/investment/chains/<int:pk>/": STAFF,
    "desk/investment/agent/": STAFF,
    "desk/investment/awards/": STAFF,
    "desk/investment/awards/<int:pk>/<slug:action>/": Policy(roles=frozenset(STAFF_ROLES), post_only=True),
    # Policies: public library, the enterprise's own notices and grants.
    "portal/policies/": PUBLIC,
    "portal/policies/<int:policy_id>/": PUBLIC,
    "portal/policies/mine/": ENTERPRISE,
    "portal/policies/grants/<int:grant_id>/": ENTERPRISE,
    "portal/policies/notices/<int:notice_id>/": ENTERPRISE,
    # Assessment: the leadership reads the dashboard and targets; everyone sees the published ranking.
    "desk/assessment/": COMMITTEE_READERS,
    "desk/assessment/targets/": COMMITTEE_READERS,
    "desk/assessment/targets/compute/": roles("admin", "dept_head", "leader", post_only=True),
    "desk/assessment/targets/<int:target_id>/actual/": COMMITTEE_READERS,
    "desk/assessment/rankings/": STAFF,
    "desk/assessment/rankings/<int:evaluation_id>/": STAFF,
    "desk/assessment/rankings/<int:evaluation_id>/action/": roles("admin", "province_supervisor", post_only=True),
    "desk/assessment/rankings/<int:evaluation_id>/export.xlsx": STAFF,
    "desk/assessment/rankings/<int:evaluation_id>/report.docx": STAFF,
    "desk/assessment/zones/<int:zone_id>/": STAFF,
    "desk/assessment/whatif/": COMMITTEE_READERS,
    "desk/assessment/export/targets.xlsx": COMMITTEE_READERS,
    "desk/assessment/export/dashboard.xlsx": COMMITTEE_READERS,
    "desk/assessment/report.docx": COMMITTEE_READERS,
}


def _app_policies() -> dict[str, Policy]:
    """Pages declared by an app beside its views: ``onezone.<app>.page_access.PAGE_POLICIES``."""
    import importlib
    import importlib.util

    from django.apps import apps

    found: dict[str, Policy] = {}
    for config in apps.get_app_configs():
        module_name = f"{config.name}.page_access"
        if config.name.startswith("onezone.") and importlib.util.find_spec(module_name):
            declared = importlib.import_module(module_name).PAGE_POLICIES
            clash = set(declared) & (set(POLICIES) | set(found))
            assert not clash, f"{module_name} declares pages declared elsewhere: {sorted(clash)}"
            found.update(declared)
    return found


POLICIES.update(_app_policies())
