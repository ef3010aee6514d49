"""Town outlines: the loader (all or nothing), the endpoint's scope, the demo's shipped file."""

import json

import pytest
from django.core.management import CommandError, call_command

from anlan.demo.geography import BOUNDARIES
from anlan.demo.world import TOWNS
from anlan.regions.boundaries import BoundariesRejected, load_boundaries, read_boundaries
from anlan.regions.models import Region
from anlan.registry.models import Enterprise

TOWN_A, TOWN_B, TOWN_C = "990102002", "990102003", "990102001"
URL = "/api/v1/regions/boundaries"


def square(lon: float, lat: float, half: float = 0.01) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def feature(code, geometry, *, by_id: bool = False) -> dict:
    if by_id:
        return {"type": "Feature", "id": code, "properties": {}, "geometry": geometry}
    return {"type": "Feature", "properties": {"code": code, "name": "镇"}, "geometry": geometry}


def outlines() -> dict[str, dict | None]:
    return dict(Region.objects.filter(level="town").values_list("code", "boundary"))


def inside(lon: float, lat: float, geometry: dict) -> bool:
    """Whether a point lies in a Polygon (outer ring; the demo's have no holes), by crossings."""
    ring = geometry["coordinates"][0]
    crossings = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:], strict=False):
        if (ay > lat) != (by > lat) and lon < ax + (lat - ay) * (bx - ax) / (by - ay):
            crossings = not crossings
    return crossings


def test_a_good_file_gives_its_towns_their_outlines(db):
    before = outlines()
    raw = collection(
        feature(TOWN_A, square(117.4, 29.7)), feature(TOWN_B, square(117.7, 29.7), by_id=True)
    )
    assert load_boundaries(raw, reason="导入边界 towns.geojson") == 2
    after = outlines()
    assert after[TOWN_A] == square(117.4, 29.7)
    assert after[TOWN_B] == square(117.7, 29.7)
    assert after[TOWN_C] == before[TOWN_C]  # not in the file: kept
    last = Region.objects.get(code=TOWN_A).history.first()
    assert last.boundary == square(117.4, 29.7)
    assert last.history_change_reason == "导入边界 towns.geojson"


def test_the_command_loads_a_file(db, tmp_path, capsys):
    path = tmp_path / "towns.geojson"
    path.write_bytes(collection(feature(TOWN_A, square(117.4, 29.7))))
    call_command("load_boundaries", str(path))
    assert "已导入 1 个区划的边界" in capsys.readouterr().out
    assert outlines()[TOWN_A] == square(117.4, 29.7)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (feature("990102999", square(117.4, 29.7)), "区划代码 990102999 不存在"),
        (feature("", square(117.4, 29.7)), "缺少区划代码"),
        (feature(TOWN_C, square(29.7, 117.4)), "不在中国境内"),
        (
            feature(TOWN_C, {"type": "Point", "coordinates": [117.4, 29.7]}),
            "Polygon 或 MultiPolygon",
        ),
        (
            feature(
                TOWN_C,
                {
                    "type": "Polygon",
                    "coordinates": [[[117.4, 29.7], [117.5, 29.7], [117.5, 29.8], [117.4, 29.8]]],
                },
            ),
            "未闭合",
        ),  # fmt: skip
        (feature(TOWN_A, square(117.5, 29.5)), "重复"),
    ],
)
def test_a_bad_feature_rejects_the_whole_file(db, tmp_path, bad, message):
    before = outlines()
    path = tmp_path / "towns.geojson"
    path.write_bytes(collection(feature(TOWN_A, square(117.4, 29.7)), bad))
    with pytest.raises(CommandError) as refused:
        call_command("load_boundaries", str(path))
    assert "导入失败，未写入任何边界 (nothing loaded)" in str(refused.value)
    assert message in str(refused.value)
    assert outlines() == before


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "不是有效的 JSON"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "没有要素"),
        ("区划".encode("gbk"), "UTF-8"),
    ],
)
def test_a_file_that_is_no_feature_collection_is_refused(db, raw, message):
    with pytest.raises(BoundariesRejected) as refused:
        load_boundaries(raw, reason="")
    assert message in str(refused.value)


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("load_boundaries", str(tmp_path / "none.geojson"))


def names(client) -> list[str]:
    response = client.get(URL)
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert all(f["geometry"]["type"] == "Polygon" for f in data["features"])
    return [f["properties"]["name"] for f in data["features"]]


def test_the_county_sees_every_town_and_a_town_its_own(client_for):
    assert names(client_for("county")) == ["城关镇", "青石镇", "白沙镇"]
    assert names(client_for("dept-transport")) == ["城关镇", "青石镇", "白沙镇"]
    assert names(client_for("town-a")) == ["青石镇"]
    assert names(client_for("town-b")) == ["白沙镇"]
    assert names(client_for("grid-a")) == ["青石镇"]  # the town around their village
    assert names(client_for("ent-b")) == ["白沙镇"]  # the town of their enterprise


def test_a_town_without_an_outline_is_not_drawn(client_for):
    Region.objects.filter(code=TOWN_A).update(boundary=None)
    assert names(client_for("county")) == ["城关镇", "白沙镇"]
    assert names(client_for("town-a")) == []


def test_outlines_need_a_login(client):
    assert client.get(URL).status_code == 401


def test_the_shipped_outlines_name_every_demo_town():
    outlines = read_boundaries(BOUNDARIES.read_bytes())
    assert sorted(outlines) == [f"990102{n:03d}" for n in range(1, len(TOWNS) + 1)]
    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["name"] for f in features] == TOWNS


def test_every_demo_enterprise_lies_in_its_towns_outline(db):
    towns = dict(Region.objects.filter(level="town").values_list("code", "boundary"))
    enterprises = Enterprise.objects.values_list("name", "region_id", "longitude", "latitude")
    assert enterprises
    for name, region, lon, lat in enterprises:
        within = [
            code for code, outline in towns.items() if inside(float(lon), float(lat), outline)
        ]
        assert within == [region[:9]], f"{name} ({region}) lies in {within}"
