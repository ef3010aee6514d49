"""The shared abstract bases: a located record and an attachment."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from anlan.core.models import Attachment, Located, LocatedByTown
from anlan.core.uploads import serve_attachment
from anlan.hazards.models import Hazard, HazardPhoto
from anlan.incidents.models import Incident
from anlan.registry.models import Enterprise
from tests.hazards.factories import photos, report


@pytest.mark.parametrize("model", [Hazard, Incident, Enterprise])
def test_located_models_share_region_and_coordinates(model):
    assert issubclass(model, Located)
    region = model._meta.get_field("region")
    assert region.remote_field.model._meta.label == "regions.Region"
    assert region.column == "region_id"
    for name, bound in (("longitude", 180), ("latitude", 90)):
        field = model._meta.get_field(name)
        assert (field.max_digits, field.decimal_places, field.null) == (9, 6, True)
        limits = {v.limit_value for v in field.validators if hasattr(v, "limit_value")}
        assert {-bound, bound} <= limits


def test_only_hazards_keep_a_town_column():
    assert issubclass(Hazard, LocatedByTown)
    assert Hazard.scope_fields.region_prefixes == ((9, "town"),)
    assert not issubclass(Incident, LocatedByTown)
    assert Incident.scope_fields.region_prefixes == ()
    assert not any(f.name == "location" for f in Enterprise._meta.get_fields())
    assert Enterprise._meta.get_field("region").remote_field.related_name == "enterprises"
    assert not Incident._meta.get_field("location").blank


def test_coordinates_off_the_globe_are_refused(db):
    enterprise = Enterprise.objects.first()
    enterprise.longitude, enterprise.latitude = Decimal("181"), Decimal("-91")
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()
    assert {"longitude", "latitude"} <= set(error.value.message_dict)


def test_the_database_keeps_the_town(personas):
    hazard = report(personas["ent-a"])
    assert Hazard.objects.values_list("town", flat=True).get(pk=hazard.pk) == hazard.region_id[:9]


def test_an_attachment_is_stored_in_its_folder_and_served_by_size(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert issubclass(HazardPhoto, Attachment)
    hazard = report(personas["ent-a"])
    photo = HazardPhoto.attach(
        photos(1)[0], uploaded_by=personas["ent-a"], hazard=hazard, kind="before"
    )
    folder = datetime.now().strftime("hazards/%Y/%m/")
    assert photo.image.name.startswith(folder) and photo.thumbnail.name.startswith(folder)
    full = serve_attachment(photo, "full")
    assert full["Content-Type"] == "image/jpeg" and "private" in full["Cache-Control"]
    thumb = serve_attachment(photo, "thumb")
    assert (
        b"".join(full.streaming_content)[:2] == b"".join(thumb.streaming_content)[:2] == b"\xff\xd8"
    )
    with pytest.raises(Http404):
        serve_attachment(photo, "huge")
