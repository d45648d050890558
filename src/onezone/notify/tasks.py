"""The worker's task: send a batch of deliveries (enqueued after the recording transaction commits)."""

from __future__ import annotations

from django_tasks import task

from onezone.notify.delivery import deliveries_send


@task(queue_name="default")
def deliver(delivery_ids: list[int]) -> dict[str, int]:
    """Send the deliveries that are due; a failed one is re-enqueued for its retry time."""
    return deliveries_send(delivery_ids)
