"""The enterprise portal's 申请材料预审: pick an item, see its checklist, upload per line, submit.

Every page works on the signed-in user's own enterprise; another enterprise's pre-review answers 404.
Views parse input, call ``window.prereview`` and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onezone.core.errors import DomainError, NotFound
from onezone.enterprises.portal_pages import enterprise_page
from onezone.window import prereview
from onezone.window.materials import upload_max_bytes
from onezone.window.models_materials import PreReviewStatus
from onezone.window.views import _int

QUERY_MAX = 40
ACTIONS = ("upload", "delete", "submit", "withdraw")


@enterprise_page
@require_http_methods(["GET", "POST"])
def prereview_home(request: HttpRequest, enterprise: Any) -> HttpResponse:
    """The enterprise's pre-reviews, and a search for the item to begin one."""
    from onezone.powers.selectors import items_in_force

    error = ""
    if request.method == "POST":
        try:
            started = prereview.prereview_start(
                actor=request.user, zone_id=enterprise.zone_id, item_id=_int(request.POST.get("item_id")) or 0
            )
        except DomainError as exc:
            error = exc.message
        else:
            return HttpResponseRedirect(reverse("window-prereview", args=[started.pk]))
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    results = (
        [t for t in items_in_force(zone_id=enterprise.zone_id, on=timezone.localdate(), query=query) if t.materials]
        if query
        else []
    )
    return render(
        request,
        "window/materials_portal_home.html",
        {
            "title": "申请材料预审",
            "enterprise": enterprise,
            "rows": prereview.prereviews_of_enterprise(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk),
            "query": query,
            "results": results,
            "error": error,
        },
        status=400 if error else 200,
    )


def _act(request: HttpRequest, pk: int) -> str:
    action = request.POST.get("action", "")
    if action == "upload":
        added = prereview.prereview_file_add(
            actor=request.user,
            prereview_id=pk,
            material_id=_int(request.POST.get("material_id")) or 0,
            upload=request.FILES.get("file"),
        )
        return f"已上传“{added.original_name}”（{added.material_name}）。"
    if action == "delete":
        prereview.prereview_file_delete(actor=request.user, file_id=_int(request.POST.get("file_id")) or 0)
        return "已删除该文件。"
    if action == "submit":
        prereview.prereview_submit(actor=request.user, prereview_id=pk)
        return "已提交预审。窗口工作人员预审后，您可在本页看到结果；如需修改会逐项说明。"
    if action == "withdraw":
        prereview.prereview_withdraw(actor=request.user, prereview_id=pk)
        return "已撤销本次预审。"
    raise NotFound("未知的操作。")


@enterprise_page
@require_http_methods(["GET", "POST"])
def prereview_page(request: HttpRequest, enterprise: Any, pk: int) -> HttpResponse:
    """One pre-review: the checklist, each line's files and the window's note on it; upload, submit."""
    error, fields = "", {}
    if request.method == "POST":
        try:
            prereview.prereview_of_enterprise(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk, prereview_id=pk)
            done = _act(request, pk)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            error, fields = exc.message, exc.fields
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("window-prereview", args=[pk]))
    try:
        p, lines = prereview.prereview_of_enterprise(
            zone_id=enterprise.zone_id, enterprise_id=enterprise.pk, prereview_id=pk
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "window/materials_portal_prereview.html",
        {
            "title": f"材料预审 {p.number}",
            "p": p,
            "lines": lines,
            "editable": p.status in prereview.EDITABLE,
            "can_withdraw": p.status in prereview.TRANSITIONS["withdraw"].sources,
            "returned": p.status == PreReviewStatus.RETURNED,
            "error": error,
            "fields": fields,
            "upload_max_mb": upload_max_bytes() // (1024 * 1024),
            "page_messages": messages.get_messages(request),
        },
        status=400 if error else 200,
    )
