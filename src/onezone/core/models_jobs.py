"""The progress record of background work (``core.Job``): who started what, how far it is, its result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """One piece of background work: an import, a report, the nightly sweep, a synthetic province.

    A job started by a user belongs to the zone it works on and is seen by that user and the zone's
    administrators; a job the system starts (the scheduled sweep, a command) names no user, and a
    province-wide one no zone: those are seen by superusers.
    """

    zone = models.ForeignKey(
        settings.ONEZONE_ZONE_MODEL,
        verbose_name=_("开发区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=64, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    key = models.CharField(_("幂等键"), max_length=100, null=True, blank=True, unique=True)
    state = models.CharField(_("状态"), max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总量"), default=0)
    message = models.CharField(_("进度说明"), max_length=500, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    task_path = models.CharField(_("任务"), max_length=200)
    arguments = models.JSONField(_("参数"), default=dict, blank=True)
    task_result_id = models.CharField(_("队列任务ID"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    input_file = models.FileField(_("输入文件"), upload_to="jobs/input/%Y/%m/", max_length=300, blank=True)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/result/%Y/%m/", max_length=300, blank=True)
    result_link = models.CharField(_("结果链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["started_by", "-id"], name="core_job_starter"),
            models.Index(fields=["zone", "-id"], name="core_job_zone"),
            models.Index(fields=["state", "updated_at"], name="core_job_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="core_job_done_le_total"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        return min(100, 100 * self.done // self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
