"""文书核验: anyone checks an issued document by its verification code (typed, or read from its QR
code) and may upload the PDF to compare it byte for byte with the one issued. The page says whether
the document is genuine and shows its issuing body, number and date, nothing personal."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from onezone.core.documents.selectors import document_by_hash, document_public, normalise_code, pdf_matches
from onezone.core.errors import DomainError, InvalidInput
from onezone.core.uploads import UPLOAD_MAX_BYTES
from onezone.window.ratelimit import lookup_rate_limit


def _upload(request: HttpRequest) -> bytes | None:
    upload = request.FILES.get("file")
    if upload is None:
        return None
    limit = int(getattr(settings, "ONEZONE_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES))
    if upload.size > limit:
        raise InvalidInput(
            f"上传的文件为 {upload.size // 1024} KB，超过上限 {limit // 1024} KB，请上传原始 PDF 文件。",
            fields={"file": "文件过大。"},
        )
    content = upload.read(limit + 1)
    if not content.startswith(b"%PDF-"):
        raise InvalidInput("上传的文件不是 PDF，请上传从本平台下载的 PDF 文书。", fields={"file": "不是 PDF。"})
    return content


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest, code: str = "") -> HttpResponse:
    typed = request.GET.get("code", "") if request.method == "GET" else request.POST.get("code", "")
    if not code and typed.strip() and request.method == "GET":
        normal = normalise_code(typed)
        if normal:
            return HttpResponseRedirect(reverse("document-verify-code", args=[normal]))
    entered = (code or typed).strip()[:40]
    context: dict = {"title": "文书核验", "code": entered, "document": None, "checked": False, "error": ""}
    status = 200
    if entered or request.method == "POST":
        try:
            lookup_rate_limit(request)
            content = _upload(request) if request.method == "POST" else None
            document = document_public(entered) if entered else None
            if content is not None:
                if document is None and not entered:
                    document = document_by_hash(content)
                context["upload_matches"] = document is not None and pdf_matches(document, content)
                context["uploaded"] = True
            context["document"], context["checked"] = document, True
            if document is None:
                status = 404
        except DomainError as exc:
            context["error"], status = exc.message, exc.http_status
    return render(request, "portal/verify.html", context, status=status)
