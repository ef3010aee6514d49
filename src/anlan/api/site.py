"""The API object: every app's router mounted under one root (served by anlan/urls.py)."""

from ninja.security import django_auth

from anlan.accounts.api import router as accounts_router
from anlan.api.base import AnlanAPI, BearerToken, HeaderToken, JSONRenderer
from anlan.core.routes import Public, exposes
from anlan.dashboard.api import router as workbench_router
from anlan.duty.api import router as duty_router
from anlan.hazards.api import router as hazards_router
from anlan.incidents.api import router as incidents_router
from anlan.regions.api import router as regions_router
from anlan.registry.api import categories_router
from anlan.registry.api import router as registry_router
from anlan.risks.api import router as risks_router

api = AnlanAPI(
    renderer=JSONRenderer(),
    title="Anlan API",
    version="1",
    description=(
        "安澜安全生产与应急管理平台 API。先用 POST /api/v1/auth/token 取得令牌，"
        "再以 `Authorization: Bearer <token>` 调用其他接口；浏览器中已登录的会话也可直接调用。"
    ),
    auth=[BearerToken(), HeaderToken(), django_auth],
    urls_namespace="api",
)


@exposes(Public("a trivial authenticated answer"))
@api.get("/ping", summary="A trivial authenticated endpoint (health and benchmark baseline)")
def ping(request):
    return {"ok": True}


api.add_router("/auth/", accounts_router)
api.add_router("/regions/", regions_router)
api.add_router("/enterprises/", registry_router)
api.add_router("/supervision-categories/", categories_router)
api.add_router("/hazards/", hazards_router)
api.add_router("/risks/", risks_router)
api.add_router("/duty/", duty_router)
api.add_router("/incidents/", incidents_router)
api.add_router("/workbench/", workbench_router)
