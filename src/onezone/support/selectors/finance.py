"""Reads of financing: institutions with their products, financing needs with the products that match
them, meetings with their loans, and the financing the zone helped to (from the recorded loans)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet, Sum

from onezone.core.money import yuan
from onezone.support import matching
from onezone.support.models import BankMeeting, FinanceProduct, FinancingNeed, Institution, LoanGranted

PER_PAGE = 50


def institutions_with_products(zone_id: int) -> list[Institution]:
    """The zone's institutions, each with its products in ``products.all()``."""
    return list(
        Institution.objects.filter(zone_id=zone_id)
        .prefetch_related(Prefetch("products", queryset=FinanceProduct.objects.order_by("name", "id")))
        .order_by("kind", "name")
    )


def _product(p: FinanceProduct) -> matching.Product:
    return matching.Product(
        id=p.pk,
        name=p.name,
        amount_min=p.amount_min,
        amount_max=p.amount_max,
        term_min=p.term_min,
        term_max=p.term_max,
        collaterals=frozenset(p.collaterals),
        sizes=frozenset(p.target_sizes),
        industry_prefixes=tuple(p.target_industries),
        rate_min=p.rate_min,
    )


@dataclass
class ProductFit:
    product: FinanceProduct
    score: int
    reasons: tuple[str, ...]


@dataclass
class NeedWithProducts:
    need: FinancingNeed
    products: list[ProductFit]


def _active_products(zone_id: int) -> list[FinanceProduct]:
    return list(
        FinanceProduct.objects.filter(zone_id=zone_id, active=True)
        .select_related("institution")
        .order_by("id")[: matching.MAX_CANDIDATES]
    )


def _fit(need: FinancingNeed, products: list[FinanceProduct], by_id: dict[int, FinanceProduct]) -> list[ProductFit]:
    ask = matching.FinancingAsk(
        amount=need.amount,
        term_months=need.term_months,
        collateral=need.collateral,
        size=need.enterprise.size,
        industry_code=need.enterprise.industry_code,
    )
    return [
        ProductFit(by_id[m.product_id], m.score, m.reasons)
        for m in matching.products_for(ask, [_product(p) for p in products])
    ]


def needs_of_enterprise(enterprise: Any) -> list[NeedWithProducts]:
    """The enterprise's financing needs, newest first, each with the products that can serve it."""
    needs = list(
        FinancingNeed.objects.filter(zone_id=enterprise.zone_id, enterprise=enterprise)
        .select_related("enterprise")
        .order_by("-created_at", "-id")[:100]
    )
    products = _active_products(enterprise.zone_id)
    by_id = {p.pk: p for p in products}
    return [NeedWithProducts(n, _fit(n, products, by_id) if n.status == n.Status.OPEN else []) for n in needs]


def needs_list(*, zone_id: int, status: str = "", page: int = 1) -> tuple[Page, list[NeedWithProducts]]:
    """A page of the zone's financing needs, each with its matching products."""
    qs = FinancingNeed.objects.filter(zone_id=zone_id).select_related("enterprise")
    if status:
        qs = qs.filter(status=status)
    current = Paginator(qs.order_by("-created_at", "-id"), PER_PAGE).get_page(page)
    products = _active_products(zone_id)
    by_id = {p.pk: p for p in products}
    return current, [NeedWithProducts(n, _fit(n, products, by_id)) for n in current.object_list]


def meetings_list(zone_id: int, *, limit: int = 50) -> list[BankMeeting]:
    """The zone's meetings, newest first, with participants and loans."""
    return list(
        BankMeeting.objects.filter(zone_id=zone_id)
        .select_related("organiser")
        .prefetch_related(
            "institutions",
            "enterprises",
            Prefetch(
                "loans",
                queryset=LoanGranted.objects.select_related("institution", "enterprise").order_by("granted_on", "id"),
            ),
        )
        .order_by("-held_on", "-id")[:limit]
    )


def loans_query(*, zone_id: int, year: int | None = None) -> QuerySet[LoanGranted]:
    """The zone's loans (of a year), newest first, with institution, enterprise and meeting."""
    qs = LoanGranted.objects.filter(zone_id=zone_id).select_related("institution", "enterprise", "meeting")
    if year is not None:
        qs = qs.filter(granted_on__gte=dt.date(year, 1, 1), granted_on__lte=dt.date(year, 12, 31))
    return qs.order_by("-granted_on", "-id")


def loans_list(*, zone_id: int, year: int | None = None, page: int = 1) -> Page:
    return Paginator(loans_query(zone_id=zone_id, year=year), PER_PAGE).get_page(page)


@dataclass(frozen=True)
class FinancingFigure:
    total: Decimal
    count: int
    enterprises: int


def financing_helped(*, zone_id: int, year: int | None = None) -> FinancingFigure:
    """How much financing the zone helped its enterprises to: the sum of the recorded loans (in a year)."""
    qs = LoanGranted.objects.filter(zone_id=zone_id)
    if year is not None:
        qs = qs.filter(granted_on__gte=dt.date(year, 1, 1), granted_on__lte=dt.date(year, 12, 31))
    got = qs.aggregate(total=Sum("amount"), count=Count("id"), enterprises=Count("enterprise_id", distinct=True))
    return FinancingFigure(total=yuan(got["total"] or 0), count=got["count"], enterprises=got["enterprises"])
