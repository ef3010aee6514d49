"""Division outlines from GeoJSON: the towns (or any divisions) a county's maps draw.

A FeatureCollection whose features carry a division code (``properties.code``, or the
feature's ``id``) and a Polygon or MultiPolygon geometry in WGS 84 / CGCS2000 degrees
(longitude, latitude), as Tianditu and the national surveying data use. All or nothing: every
feature is checked, and the outlines are written in one transaction only when none fails.
Divisions not in the file keep the outline they had. See docs/deploy.md, "Maps".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from anlan.core.history import save_with_history
from anlan.core.validators import CHINA_LAT, CHINA_LON
from anlan.regions.models import Region
from anlan.regions.rules import level_of

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
# More points than a map of a county needs; simplify first (mapshaper -simplify, QGIS).
MAX_POSITIONS = 50_000


class BoundariesRejected(Exception):
    """The file was refused as a whole; ``errors`` says why, one line per problem."""

    def __init__(self, errors: Iterable[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ring_problem(ring: Any) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "每个环至少 4 个坐标点 (a ring needs at least 4 positions)"
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) not in (2, 3)
            or not all(_number(v) for v in position)
        ):
            return f"坐标 {json.dumps(position)[:40]} 不是 [经度, 纬度] (not [longitude, latitude])"
        lon, lat = position[0], position[1]
        if not (CHINA_LON[0] <= lon <= CHINA_LON[1] and CHINA_LAT[0] <= lat <= CHINA_LAT[1]):
            return (
                f"坐标 [{lon}, {lat}] 不在中国境内，经纬度是否颠倒或不是 WGS 84 度数 "
                "(outside China: longitude and latitude swapped, or not WGS 84 degrees?)"
            )
    if ring[0][:2] != ring[-1][:2]:
        return "环的首尾坐标不同，未闭合 (a ring must end where it starts)"
    return None


def geometry_problem(geometry: Any) -> str | None:
    """Why a GeoJSON geometry cannot serve as a division's outline, or None if it can."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return (
            "几何类型须为 Polygon 或 MultiPolygon (the geometry must be a Polygon or MultiPolygon)"
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "缺少坐标 (no coordinates)"
    positions = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "缺少坐标 (no coordinates)"
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return problem
            positions += len(ring)
    if positions > MAX_POSITIONS:
        return (
            f"坐标点过多（{positions} 个，上限 {MAX_POSITIONS}），请先简化 "
            f"(too many positions: simplify the outline first)"
        )
    return None


def read_boundaries(raw: bytes) -> dict[str, dict[str, Any]]:
    """The outlines in a GeoJSON file, by division code; checks the file, not the database."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise BoundariesRejected(
            ["文件须为 UTF-8 编码的 GeoJSON (the file must be UTF-8 GeoJSON)"]
        ) from error
    except json.JSONDecodeError as error:
        raise BoundariesRejected(
            [
                f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列 (not valid JSON: {error.msg})"
            ]
        ) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundariesRejected(
            ["文件须为 GeoJSON FeatureCollection (the file must be a GeoJSON FeatureCollection)"]
        )
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundariesRejected(["文件中没有要素 (the file has no features)"])
    outlines: dict[str, dict[str, Any]] = {}
    first_seen: dict[str, int] = {}
    errors = []
    for number, feature in enumerate(features, start=1):
        where = f"第 {number} 个要素 (feature {number})"
        if not isinstance(feature, dict):
            errors.append(f"{where}：不是 GeoJSON Feature (not a Feature)")
            continue
        properties = feature.get("properties") or {}
        code = str(properties.get("code") or feature.get("id") or "").strip()
        if level_of(code) is None:
            errors.append(
                f"{where}：缺少区划代码 properties.code，或“{code}”不是区划代码 "
                "(no division code in properties.code or id)"
            )
            continue
        where = f"{where} {code}"
        if code in first_seen:
            errors.append(f"{where}：与第 {first_seen[code]} 个要素重复 (duplicate code)")
            continue
        first_seen[code] = number
        problem = geometry_problem(feature.get("geometry"))
        if problem:
            errors.append(f"{where}：{problem}")
            continue
        geometry = feature["geometry"]
        outlines[code] = {"type": geometry["type"], "coordinates": geometry["coordinates"]}
    if errors:
        raise BoundariesRejected(errors)
    return outlines


def write_boundaries(outlines: dict[str, dict[str, Any]], *, reason: str, actor=None) -> int:
    """Give each division its outline, all or none: every code must name a division."""
    regions = Region.objects.in_bulk(list(outlines))
    missing = sorted(set(outlines) - set(regions))
    if missing:
        raise BoundariesRejected(
            f"区划代码 {code} 不存在，请先导入区划 (no such division: import the divisions first)"
            for code in missing
        )
    with transaction.atomic():
        for code in sorted(outlines):
            region = regions[code]
            region.boundary = outlines[code]
            save_with_history(region, actor=actor, reason=reason, update_fields=["boundary"])
    return len(outlines)


def load_boundaries(raw: bytes, *, reason: str, actor=None) -> int:
    """Read a GeoJSON file and give its divisions their outlines (all or nothing)."""
    return write_boundaries(read_boundaries(raw), reason=reason, actor=actor)
