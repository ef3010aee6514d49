"""Build hazards through the real actions, at any point of the loop."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from PIL import Image

from anlan.core.uploads import clean_image
from anlan.hazards import actions
from anlan.hazards.models import Hazard, HazardSource


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), orientation: int | None = None) -> bytes:
    img = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    exif = None
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
    img.save(buffer, format="JPEG", exif=exif) if exif else img.save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(name="photo.jpg", content=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or jpeg_bytes(), content_type="image/jpeg")


def photos(n=1):
    return [clean_image(upload(f"p{i}.jpg")) for i in range(n)]


def ordered(days: int = 10):
    """A rectification deadline as the confirming unit orders it."""
    return timezone.localdate() + timedelta(days=days)


def plan(**overrides) -> dict:
    data = {
        "responsible_person": "车间主任王强",
        "responsible_phone": "13800000001",
        "measures": "更换破损的防护罩，设置警示标志",
        "funds": 5000,
        "deadline": timezone.localdate() + timedelta(days=10),
        "plan_goal": "",
        "plan_resources": "",
        "plan_organisation": "",
        "plan_requirements": "",
        "plan_safety_measures": "",
    }
    data.update(overrides)
    return data


ASSESSMENT = "经企业组织的三名专家评估，储罐区隐患已消除，具备恢复生产条件"
MAJOR_PLAN = {
    "plan_goal": "消除储罐区重大隐患",
    "plan_resources": "资金 20 万元，物资已采购",
    "plan_organisation": "总经理负责，设备部实施",
    "plan_requirements": "30 日内完成，分三步",
    "plan_safety_measures": "停用储罐，设置警戒，编制现场处置方案",
}


def report(user, *, enterprise=None, level="general", **fields) -> Hazard:
    enterprise = enterprise or user.enterprise
    hazard = Hazard(
        enterprise=enterprise,
        source=HazardSource.ENTERPRISE_SELF if user.enterprise_id else HazardSource.TOWN_PATROL,
        description=fields.pop("description", "机床防护罩破损，转动部位外露"),
        category_id=fields.pop("category_id", "equipment"),
        level=level,
        **fields,
    )
    # Tests run inside a transaction that never commits: run the on-commit side effects
    # (notifications) when the action returns, as a real commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return actions.do_report_hazard(hazard, actor=user, photos=photos(1))


def advance(hazard: Hazard, people: dict, until: str) -> Hazard:
    """Walk a hazard of ent-a in town A through the loop up to the state ``until``."""
    steps = [
        (
            "confirmed",
            "confirm",
            people["county" if hazard.level == "major" else "town-a"],  # 16号令 art. 21
            {"deadline": ordered()},
        ),
        (
            "rectifying",
            "plan",
            people["ent-a"],
            {"plan": plan(**(MAJOR_PLAN if hazard.level == "major" else {}))},
        ),
        (
            "submitted",
            "submit",
            people["ent-a"],
            {"comment": "已更换防护罩", "photos": photos(1)}
            | ({"assessment": ASSESSMENT} if hazard.level == "major" else {}),
        ),
        ("accepted", "accept", people["county"], {}),
        ("closed", "close", people["city" if hazard.level == "major" else "county"], {}),
    ]
    order = [s[0] for s in steps]
    for state, name, actor, kwargs in steps:
        if hazard.state in order and order.index(hazard.state) >= order.index(state):
            continue  # already past this step
        with TestCase.captureOnCommitCallbacks(execute=True):
            actions.do_transition(hazard, name, actor=actor, **kwargs)
        if state == until:
            break
    hazard.refresh_from_db()
    return hazard
