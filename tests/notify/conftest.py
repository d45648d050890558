"""Notification fixtures: a test event registered, the dummy task backend that keeps what is enqueued."""

from __future__ import annotations

import pytest

from onezone.notify.events import register_event

register_event(
    "tests.thing_done",
    label="测试事项已办结",
    subject="事项“{{ name }}”已办结",
    body="您好，{{ person }}：事项“{{ name }}”已于 {{ day }} 办结。",
)
register_event(
    "tests.portal_thing",
    label="企业测试事项",
    subject="企业事项“{{ name }}”",
    body="请登录企业服务门户查看“{{ name }}”。",
    audience="enterprise",
)


@pytest.fixture
def dummy_tasks(settings):
    """Enqueued tasks are kept, not run: ``backend.results`` lists them."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    backend = task_backends["default"]
    backend.clear()
    yield backend
    backend.clear()
