"""The REST API at /api/v1: each domain app's ``api.router`` mounted under its label.

Errors always have the shape ``{"code", "message", "fields"}``.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from onezone.api.auth import AUTH
from onezone.core.errors import DomainError

api = NinjaAPI(
    title="OneZone API",
    version="1",
    description="开发区综合管理平台接口。错误统一返回 {code, message, fields}。",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(request, {"code": code, "message": message, "fields": fields or {}}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return _error(request, exc.http_status, str(exc.code), exc.message, exc.fields)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    fields: dict[str, str] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "form")]
        fields[".".join(loc) or "_"] = _chinese(err)
    message = "；".join(f"{k}：{v}" for k, v in fields.items())
    return _error(request, 422, "invalid", f"提交的数据有误：{message}", fields)


def _chinese(err: dict) -> str:
    kind = err.get("type", "")
    table = {
        "missing": "必填",
        "int_parsing": "应为整数",
        "decimal_parsing": "应为数字",
        "float_parsing": "应为数字",
        "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
        "date_parsing": "应为日期，格式 YYYY-MM-DD",
        "datetime_parsing": "应为时间，格式 YYYY-MM-DDTHH:MM:SS",
        "string_too_long": "内容过长",
        "string_too_short": "内容过短",
        "enum": "取值不在允许范围内",
        "literal_error": "取值不在允许范围内",
        "bool_parsing": "应为 true 或 false",
        "greater_than_equal": "数值过小",
        "less_than_equal": "数值过大",
        "json_invalid": "不是合法的 JSON",
        "model_attributes_type": "格式不正确",
        "dict_type": "应为对象",
        "list_type": "应为列表",
        "string_type": "应为文本",
    }
    return table.get(kind, f"格式不正确（{err.get('msg', kind)}）")


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return _error(request, 401, "not_authenticated", "请先登录，或在 Authorization 头中提供有效的接口令牌。")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", "请求的记录不存在，或您无权查看。")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "error", str(exc))


@api.get("/health", auth=None, tags=["system"], summary="接口健康检查")
def health(request):
    return {"status": "ok"}


def _mount_app_routers() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("onezone.") or config.name == "onezone.api":
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.api":
                continue
            raise
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(f"/{config.label}/", router)


_mount_app_routers()
