"""The enterprise's own cases in its portal: no query code asked, since the enterprise is the applicant.

A case belongs to the enterprise when it was applied for under the enterprise's credit code in its
zone; any other number answers 404, as a case that does not exist would.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from onezone.enterprises.portal_pages import enterprise_page
from onezone.window.models import Case, RatingLevel
from onezone.window.selectors import public_status


def applicant_case(*, zone_id: int, uscc: str, number: str) -> Case | None:
    """The case ``number`` if the enterprise with ``uscc`` applied for it in ``zone_id``, else None."""
    return (
        Case.objects.filter(zone_id=zone_id, applicant_uscc=uscc.strip().upper(), number=number.strip().upper())
        .only("number", "query_code")
        .first()
    )


@enterprise_page
def enterprise_case(request: HttpRequest, enterprise, number: str) -> HttpResponse:
    case = applicant_case(zone_id=enterprise.zone_id, uscc=enterprise.uscc, number=number[:30])
    if case is None:
        raise Http404("没有这个办件，或它不是本企业申请的。")
    status = public_status(number=case.number, query_code=case.query_code)
    return render(
        request,
        "window/portal/lookup.html",
        {
            "title": f"我的办件 · {case.number}",
            "status": status,
            "number": case.number,
            "code": case.query_code,
            "levels": RatingLevel.choices,
            "own_case": True,
        },
    )
