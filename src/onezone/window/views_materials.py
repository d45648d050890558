"""Desk pages of the case's materials: attach a file (upload or document-camera folder) to a checklist
line, remove one; the pre-reviews the enterprises sent; the applicant look-up in the enterprise register.

Views parse input, call the services of ``window.materials`` and ``window.prereview`` and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from onezone.core.errors import DomainError, NotFound, PermissionDenied
from onezone.core.files import can_download
from onezone.core.permissions import has_role
from onezone.window import materials, prereview, scans
from onezone.window.models import Case
from onezone.window.models_materials import CaseFile, PreReviewStatus
from onezone.window.views import _forbidden, _int, _page, _zone_or_403

LOOKUP_QUERY_MAX = 40


def _clerk_zone(request: HttpRequest) -> int:
    zone_id = _zone_or_403(request)
    if not has_role(request.user, zone_id, materials.CLERKS):
        raise PermissionDenied("只有窗口受理人员可以办理此项，请联系系统管理员授权。")
    return zone_id


def materials_context(request: HttpRequest, zone_id: int, case: Case) -> dict[str, Any]:
    """What the case page shows of the materials: each line with its files, the clerk's scan folder."""
    can_attach = case.is_open and has_role(request.user, zone_id, materials.CLERKS)
    return {
        "material_lines": materials.case_material_lines(zone_id=zone_id, case=case),
        "can_attach": can_attach,
        "can_read_files": can_download(request.user, CaseFile, "file", zone_id=zone_id),
        "scan_listing": scans.scan_listing(request.user) if can_attach else None,
        "upload_max_mb": materials.upload_max_bytes() // (1024 * 1024),
    }


@login_required
@require_POST
def case_file_attach(request: HttpRequest, case_id: int) -> HttpResponse:
    """Attach the uploaded file, or the chosen file of the scan folder, to one line of the checklist."""
    try:
        _zone_or_403(request)
        material_id = _int(request.POST.get("material_id")) or 0
        scan_name = request.POST.get("scan", "")
        if scan_name:
            attached = materials.case_file_attach_scan(
                actor=request.user, case_id=case_id, material_id=material_id, name=scan_name
            )
        else:
            attached = materials.case_file_attach(
                actor=request.user, case_id=case_id, material_id=material_id, upload=request.FILES.get("file")
            )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已将“{attached.original_name}”挂接到“{attached.material_name}”。")
    return HttpResponseRedirect(reverse("window-case", args=[case_id]) + "#materials")


@login_required
@require_POST
def case_file_remove(request: HttpRequest, case_id: int, file_id: int) -> HttpResponse:
    try:
        _zone_or_403(request)
        if not CaseFile.objects.filter(pk=file_id, case_id=case_id).exists():
            raise NotFound("没有找到该材料文件，请刷新页面。")
        removed = materials.case_file_remove(
            actor=request.user, case_file_id=file_id, reason=request.POST.get("reason", "")
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已移除“{removed.original_name}”。")
    return HttpResponseRedirect(reverse("window-case", args=[case_id]) + "#materials")


# --- pre-reviews at the desk ----------------------------------------------------------------------------

DESK_STATUSES = [PreReviewStatus.SUBMITTED, PreReviewStatus.RETURNED, PreReviewStatus.TAKEN]


@login_required
@require_safe
def prereview_list(request: HttpRequest) -> HttpResponse:
    """申请材料预审: what the enterprises sent, oldest first; returned and taken ones by filter."""
    try:
        zone_id = _clerk_zone(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    status = request.GET.get("status", PreReviewStatus.SUBMITTED)
    status = status if status in DESK_STATUSES else PreReviewStatus.SUBMITTED
    rows = list(prereview.prereviews_for_desk(zone_id=zone_id, status=status)[: prereview.LIST_MAX])
    return _page(
        request,
        "window/materials_prereviews.html",
        "申请材料预审",
        {"rows": rows, "status": status, "statuses": [(s.value, s.label) for s in DESK_STATUSES]},
    )


def _line_notes(post: Any) -> dict[int, str]:
    notes = {}
    for key in post:
        if key.startswith("note-") and key[5:].isdigit():
            notes[int(key[5:])] = post.get(key, "")
    return notes


@login_required
@require_http_methods(["GET", "POST"])
def prereview_desk(request: HttpRequest, pk: int) -> HttpResponse:
    """One pre-review at the desk: each line's files with a preview, a note per line; return or take in."""
    try:
        zone_id = _clerk_zone(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    error, fields = "", {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if not prereview.PreReview.objects.filter(pk=pk, zone_id=zone_id).exists():
                raise NotFound("没有找到该预审。")
            if action == "return":
                prereview.prereview_return(
                    actor=request.user,
                    prereview_id=pk,
                    line_notes=_line_notes(request.POST),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, "已退回企业修改，企业在“材料预审”中可看到逐项意见。")
            elif action == "take":
                taken = prereview.prereview_take(
                    actor=request.user, prereview_id=pk, case_id=_int(request.POST.get("case_id")) or 0
                )
                messages.success(request, f"预审材料已转入办件 {taken.case.number}。")
                return HttpResponseRedirect(reverse("window-case", args=[taken.case_id]) + "#materials")
            else:
                raise NotFound("未知的操作。")
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            error, fields = exc.message, exc.fields
        else:
            return HttpResponseRedirect(reverse("window-prereview-desk", args=[pk]))
    try:
        detail = prereview.prereview_for_desk(zone_id=zone_id, prereview_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    p = detail.prereview
    if error:  # what the clerk wrote stays in the form
        posted = _line_notes(request.POST)
        for line in detail.lines:
            line.note = posted.get(line.material_id, "")
    return _page(
        request,
        "window/materials_prereview_desk.html",
        f"预审 {p.number}",
        {
            "p": p,
            "lines": detail.lines,
            "open_cases": detail.open_cases,
            "submitted": p.status == PreReviewStatus.SUBMITTED,
            "error": error,
            "fields": fields,
            "intake_url": f"{reverse('window-desk')}?item={p.item_id}&enterprise={p.enterprise_id}",
        },
        status=400 if error else 200,
    )


# --- the applicant look-up -------------------------------------------------------------------------------


@login_required
@require_safe
def applicant_lookup(request: HttpRequest) -> HttpResponse:
    """The enterprise register at intake: ``?q=`` part of a name or credit code gives up to ten matches
    (contacts masked); ``?id=`` one enterprise's details to fill in, with its main contact's mobile
    (a full view of personal data, audited)."""
    from onezone.enterprises.selectors import enterprise_applicant, enterprise_lookup
    from onezone.enterprises.services import contact_reveal

    json_options = {"ensure_ascii": False}
    try:
        zone_id = _clerk_zone(request)
        enterprise_id = _int(request.GET.get("id"))
        if enterprise_id is not None:
            found = enterprise_applicant(zone_id=zone_id, enterprise_id=enterprise_id)
            contact = found.pop("contact")
            revealed = contact_reveal(actor=request.user, contact=contact) if contact is not None else {}
            found["contact_name"] = revealed.get("name", "")
            found["contact_mobile"] = revealed.get("mobile", "")
            return JsonResponse({"enterprise": found}, json_dumps_params=json_options)
        query = request.GET.get("q", "").strip()[:LOOKUP_QUERY_MAX]
        rows = enterprise_lookup(zone_id=zone_id, query=query) if query else []
    except DomainError as exc:
        return JsonResponse(exc.as_dict(), status=exc.http_status, json_dumps_params=json_options)
    return JsonResponse({"items": rows}, json_dumps_params=json_options)
