"""Draw the demo county's town boundaries: src/anlan/demo/data/towns.geojson.

Run once (the file is committed); run again only when the demo's towns or their centres
(src/anlan/demo/geography.py) change:

    .venv/bin/python scripts/demo_boundaries.py

The polygons are invented, not survey data: a county outline (a smooth irregular loop inside
the county's bounding box) cut into one cell per town, each cell being the points nearer to
its town's centre than to any other (a Voronoi cell), with the borders made to wander a
little as real ones do. Each feature carries the town's division code and name. The script
checks that every town's enterprise square (centre ± SPREAD, where world.py places them)
lies inside its own cell, so the demo's points fall in their towns.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from anlan.demo.geography import BOUNDARIES, LAT, LON, SPREAD, TOWN_CENTRES  # noqa: E402

TOWNS = [
    "城关镇", "青石镇", "白沙镇", "柳塘镇", "龙泉乡", "桃源镇",
    "石门乡", "杉木镇", "凤凰街道", "河东街道", "云岭乡", "平湖镇",
]  # fmt: skip  # as in anlan.demo.world (not imported: that needs Django)
COUNTY = "990102"
Point = tuple[float, float]


def outline(vertices: int = 120) -> list[Point]:
    """The county: a smooth irregular loop in the bounding box (a rounded rectangle bent by
    a few low harmonics)."""
    cx, cy = float(LON[0] + LON[1]) / 2, float(LAT[0] + LAT[1]) / 2
    rx, ry = float(LON[1] - LON[0]) / 2, float(LAT[1] - LAT[0]) / 2
    harmonics = [(2, 0.04, 0.7), (3, 0.035, 2.1), (5, 0.02, 4.0), (7, 0.012, 1.3)]
    points = []
    for k in range(vertices):
        angle = 2 * math.pi * k / vertices
        c, s = math.cos(angle), math.sin(angle)
        rounded = (abs(c) ** 3 + abs(s) ** 3) ** (-1 / 3)  # a superellipse's radius
        r = 0.9 * rounded * (1 + sum(a * math.sin(n * angle + p) for n, a, p in harmonics))
        points.append((cx + rx * r * c, cy + ry * r * s))
    return points


def clip(polygon: list[Point], a: float, b: float, c: float) -> list[Point]:
    """The part of ``polygon`` where a·x + b·y <= c (Sutherland–Hodgman, one half-plane)."""
    result: list[Point] = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            result.append(p)
        if (fp < 0) != (fq < 0) and fp != fq:
            t = fp / (fp - fq)
            result.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return result


def cell(index: int, centres: list[Point], county: list[Point]) -> list[Point]:
    """The part of the county nearer to centre ``index`` than to any other."""
    polygon = county
    px, py = centres[index]
    for j, (qx, qy) in enumerate(centres):
        if j != index:  # |x - p|² <= |x - q|²  <=>  (q - p)·x <= (|q|² - |p|²) / 2
            polygon = clip(polygon, qx - px, qy - py, (qx * qx + qy * qy - px * px - py * py) / 2)
    return polygon


def wander(x: float, y: float) -> float:
    """A smooth made-up field in [-1, 1]: how far a border strays at a place."""
    return (
        math.sin(x * 173.0 + y * 61.0)
        + 0.6 * math.sin(x * 97.0 - y * 211.0 + 1.7)
        + 0.4 * math.sin(x * 389.0 + y * 331.0 + 0.4)
    ) / 2.0


def wiggle(polygon: list[Point], step: float = 0.003, amplitude: float = 0.005) -> list[Point]:
    """Each edge as a wandering line. The offset depends only on the place and on the edge's
    direction up to sign, so two neighbouring cells bend their shared border alike."""
    result: list[Point] = []
    for i, (ax, ay) in enumerate(polygon):
        bx, by = polygon[(i + 1) % len(polygon)]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        result.append((ax, ay))
        if length < 2 * step:
            continue
        nx, ny = -dy / length, dx / length
        if nx < 0 or (nx == 0 and ny < 0):
            nx, ny = -nx, -ny
        scale = amplitude * min(1.0, length / 0.05)
        n = math.ceil(length / step)
        for k in range(1, n):
            t = k / n
            x, y = ax + t * dx, ay + t * dy
            offset = scale * math.sin(math.pi * t) * wander(x, y)
            result.append((x + nx * offset, y + ny * offset))
    return result


def inside(point: Point, polygon: list[Point]) -> bool:
    x, y = point
    crossings = False
    for i, (ax, ay) in enumerate(polygon):
        bx, by = polygon[i - 1]
        if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
            crossings = not crossings
    return crossings


def square(centre: Point, half: float) -> list[Point]:
    """Points around the enterprise square of a town (its corners and edges)."""
    cx, cy = centre
    steps = [-1 + k / 5 for k in range(11)]
    return [(cx + half * s, cy + half * e) for s in steps for e in (-1, 1)] + [
        (cx + half * e, cy + half * s) for s in steps for e in (-1, 1)
    ]


def main() -> int:
    centres = [(float(lon), float(lat)) for lon, lat in TOWN_CENTRES]
    county = outline()
    features = []
    for index, centre in enumerate(centres):
        polygon = wiggle(cell(index, centres, county))
        outside = [p for p in square(centre, float(SPREAD) + 0.004) if not inside(p, polygon)]
        if outside:
            print(f"{TOWNS[index]}: its enterprises would fall outside its cell at {outside[:3]}")
            return 1
        ring = [(round(x, 5), round(y, 5)) for x, y in polygon]
        ring.append(ring[0])
        code = f"{COUNTY}{index + 1:03d}"
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": TOWNS[index]},
                "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": "清河县乡镇（街道）界线（演示数据，虚构）",
        "features": features,
    }
    BOUNDARIES.parent.mkdir(parents=True, exist_ok=True)
    BOUNDARIES.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"{BOUNDARIES.relative_to(ROOT)}: {len(features)} towns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
