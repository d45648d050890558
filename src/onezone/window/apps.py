from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowConfig(AppConfig):
    name = "onezone.window"
    label = "window"
    verbose_name = _("政务服务窗口")

    def ready(self) -> None:
        import importlib.util

        from onezone.core.calendar import calendar_changed
        from onezone.core.sweeps import register_sweep
        from onezone.window import files, navigation  # noqa: F401  file policies and the sidebar
        from onezone.window.sweep import on_calendar_changed, sweep_summary

        register_sweep("window", sweep_summary, order=40)
        calendar_changed.connect(on_calendar_changed, dispatch_uid="onezone.window.calendar_changed")
        if importlib.util.find_spec("onezone.personnel.metrics") is not None:
            from onezone.personnel.metrics import register_metric
            from onezone.window.selectors import clerk_on_time_rate

            def _clerk_rate(person, start, end):
                user = getattr(person, "user", None)
                return None if user is None else clerk_on_time_rate(user=user, start=start, end=end)

            register_metric("window.clerk_on_time_rate", label="窗口办件按时办结率（%）", fn=_clerk_rate)
