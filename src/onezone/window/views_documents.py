"""The window's notices as files: the .docx and the PDF at the desk, the PDF in the public look-up.

The first request for a notice issues it (``window.notices.notice_issue``); every later one, at the
desk or in the look-up, gets the same files.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from onezone.core.documents.web import DOCX, PDF, file_response, public_base_url
from onezone.core.errors import DomainError, NotFound
from onezone.window import selectors
from onezone.window.notices import TITLES, notice_issue, public_document, public_documents
from onezone.window.ratelimit import lookup_rate_limit
from onezone.window.views import _forbidden, _zone_or_403


def _issued(request: HttpRequest, case_id: int, kind: str):
    zone_id = _zone_or_403(request)
    case = selectors.case_get(zone_id=zone_id, case_id=case_id)
    events = list(case.events.order_by("at", "id"))
    return case, notice_issue(
        actor=request.user, case=case, events=events, kind=kind, base_url=public_base_url(request)
    )


@login_required
def notice_docx(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """The notice as .docx (issuing it on the first request)."""
    try:
        case, document = _issued(request, case_id, kind)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return _forbidden(request, exc)
    return file_response(document.docx, f"{case.number}-{kind}.docx", DOCX)


@login_required
def notice_pdf(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """The notice as PDF, with its verification code and QR code (issuing it on the first request)."""
    try:
        case, document = _issued(request, case_id, kind)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return _forbidden(request, exc)
    return file_response(document.pdf, f"{case.number}-{kind}.pdf", PDF)


@require_http_methods(["GET", "POST"])
def public_notices(request: HttpRequest) -> HttpResponse:
    """The applicant's notices by case number and query code: the list, and each one's PDF."""
    number = request.POST.get("number", "").strip()[:30]
    code = request.POST.get("code", "").strip()[:12]
    kind = request.POST.get("kind", "").strip()[:20]
    context = {"title": "办件文书下载", "number": number, "code": code, "documents": None, "error": ""}
    status = 200
    if request.method == "POST":
        try:
            lookup_rate_limit(request)
            if kind:
                document = public_document(number=number, query_code=code, kind=kind)
                return file_response(document.pdf, f"{document.number}.pdf", PDF)
            case_number, documents = public_documents(number=number, query_code=code)
            context.update(number=case_number, documents=[(d, TITLES.get(d.kind, d.kind)) for d in documents])
        except DomainError as exc:
            context["error"], status = exc.message, exc.http_status
    return render(request, "window/portal/notices.html", context, status=status)
