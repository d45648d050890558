"""The REST API at /api/v1: each domain app's ``api.router`` mounted under its label.

Errors always have the shape ``{"code", "message", "fields"}``.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.conf import settings
from django.db import DataError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.throttling import AnonRateThrottle, UserRateThrottle

from onezone.api.auth import AUTH
from onezone.core.errors import DomainError

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message", "fields"],
    "properties": {
        "code": {"type": "string", "description": "机器可读的错误代码"},
        "message": {"type": "string", "description": "中文说明：错在哪里、应该怎么做"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}, "description": "逐字段的错误"},
    },
}
ERROR_RESPONSES = {
    "400": "输入不符合业务规则",
    "401": "未登录或令牌无效",
    "403": "无权操作",
    "404": "记录不存在或无权查看",
    "409": "与当前状态冲突（已被他人处理、状态不允许）",
    "422": "请求格式错误",
    "429": "请求过于频繁",
}


class OneZoneAPI(NinjaAPI):
    """Ninja with every operation documenting the one error shape it can answer with."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(status, {"description": description, **ref})
        return schema


# Tokens and sessions: 600 requests a minute per user; anonymous callers: 120 a minute per address.
THROTTLE = [
    AnonRateThrottle(getattr(settings, "ONEZONE_API_ANON_RATE", "120/m")),
    UserRateThrottle(getattr(settings, "ONEZONE_API_USER_RATE", "600/m")),
]

api = OneZoneAPI(
    title="OneZone API",
    version="1",
    description="开发区综合管理平台接口。错误统一返回 {code, message, fields}。",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    throttle=THROTTLE,
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


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request, exc):
    # A number beyond what the database stores (SQLite raises OverflowError, PostgreSQL DataError).
    # An id that large in the path names a record that cannot exist: not found.
    match = getattr(request, "resolver_match", None)
    path_values = match.kwargs.values() if match else ()
    if any(str(v).lstrip("-").isdigit() and abs(int(v)) > 2**63 - 1 for v in path_values):
        return _error(request, 404, "not_found", "请求的记录不存在，或您无权查看。")
    return _error(request, 400, "invalid", "提交的数字超出允许范围，请检查编号或数值。")


@api.exception_handler(Throttled)
def _throttled(request, exc):
    return _error(request, 429, "rate_limited", "请求过于频繁，请稍后再试。")


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
