"""The app's REST endpoints, one router per area, mounted under the app's label."""

from ninja import Router

from onezone.safety.api import base, operations

router = Router()
router.add_router("", base.router)
router.add_router("", operations.router)
