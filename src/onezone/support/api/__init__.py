"""The app's REST endpoints, one router per area, mounted under the app's label."""

from ninja import Router

from onezone.support.api import finance, labour, markets, statistics

router = Router()
router.add_router("", markets.router)
router.add_router("", finance.router)
router.add_router("", labour.router)
router.add_router("", statistics.router)
