"""The roles a user can hold in a zone."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "管委会领导"
    DEPT_HEAD = "dept_head", "部门负责人"
    CLERK = "clerk", "窗口受理人员"
    REVIEWER = "reviewer", "审查人员"
    AGENT = "agent", "代办员"
    INVESTMENT_OFFICER = "investment_officer", "招商专员"
    HR_OFFICER = "hr_officer", "人事专员"
    COMPANY_STAFF = "company_staff", "运营公司人员"
    SAFETY_OFFICER = "safety_officer", "安全监管人员"
    ENTERPRISE = "enterprise", "企业用户"
    PROVINCE_SUPERVISOR = "province_supervisor", "省级监管人员"


# Roles that work in the back office (the admin site). Enterprise users use the portal only.
STAFF_ROLES = frozenset(Role) - {Role.ENTERPRISE}
