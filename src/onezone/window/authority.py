"""Which bodies hold a case, for the one rule of authority by body (``org.authority``).

A case is held by its implementing body (实施主体) and by the zone's service centre, whose window
receives, notifies, hands out and closes every case (一窗受理、一站办结). Staff of any other body act
on it only as the zone's leaders or administrators.
"""

from __future__ import annotations

from onezone.org.models import Body


def case_body_ids(zone_id: int, body_id: int | None) -> list[int]:
    """The bodies holding a case of the zone whose implementing body is ``body_id``."""
    centres = Body.objects.filter(zone_id=zone_id, kind=Body.Kind.SERVICE_CENTRE).values_list("pk", flat=True)
    return [pk for pk in (body_id, *centres) if pk is not None]
