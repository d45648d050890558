"""The site's error pages: Chinese, in the site's look, saying what happened and where to go.

Django calls these for errors that no view answered itself (``handler400`` ... in the root URL
configuration). A request body over the site's limit is a 400 to Django; it gets its own page and
status 413 here. A refusal carries the reason the code gave where it has one in Chinese.
"""

from __future__ import annotations

import re

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.template import loader

_HAS_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _page(status: int, title: str, message: str, *, request: HttpRequest | None = None) -> HttpResponse:
    template = loader.get_template("onezone/error_page.html")
    context = {"status": status, "title": title, "message": message}
    return HttpResponse(template.render(context, request), status=status)


def _reason(exception: BaseException | None) -> str:
    """The exception's own message when the code wrote it in Chinese for people (not Django's English)."""
    text = str(exception or "").strip()
    if exception is not None and getattr(exception, "message", None):
        text = str(exception.message).strip()
    return text if _HAS_CHINESE.search(text) else ""


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return _page(
            413,
            "提交的内容过大",
            "这次提交的数据超过了网站允许的大小。请减少一次提交的内容（上传文件请逐个上传，单个文件不超过页面所写的大小），然后重试。",
            request=request,
        )
    return _page(
        400,
        "请求无法处理",
        _reason(exception) or "提交的内容不完整或格式不对。请返回上一页，检查后重新提交；如仍出现，请联系系统管理员。",
        request=request,
    )


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _page(
        403,
        "无权访问",
        _reason(exception) or "您的账号没有打开这个页面的权限。如工作需要，请联系本单位的系统管理员开通相应角色。",
        request=request,
    )


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _page(
        404,
        "页面不存在",
        _reason(exception) or "您要找的页面不存在，或已被移动、删除。请检查网址，或从首页重新进入。",
        request=request,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the error may have come from the database or a context processor itself.
    return _page(
        500, "系统出现错误", "系统处理您的请求时出现了错误，已经记录下来。请稍后重试；如仍出现，请联系系统管理员。"
    )
