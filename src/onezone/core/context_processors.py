from django.conf import settings


def onezone(request):
    return {"onezone_demo": getattr(settings, "ONEZONE_DEMO", False)}
