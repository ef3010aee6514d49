"""Where the demo county lies: the centre of each town, and its shipped town boundaries.

Plain data (no Django import): ``scripts/demo_boundaries.py`` draws the boundaries around these
centres, and ``world.py`` places each town's enterprises within ``SPREAD`` of its centre, so
every demo enterprise lies inside its own town's polygon. Invented, not survey data.
"""

from decimal import Decimal
from pathlib import Path

# County bounding box (degrees): the outline, towns and enterprises lie inside it.
LON = (Decimal("117.30"), Decimal("117.90"))
LAT = (Decimal("29.40"), Decimal("29.90"))
# Town centres (longitude, latitude), in the order of world.TOWNS (codes 990102001, 002, …):
# 城关镇 in the middle with its two streets (街道) beside it, the townships around.
TOWN_CENTRES: list[tuple[Decimal, Decimal]] = [
    (Decimal(lon), Decimal(lat))
    for lon, lat in [
        ("117.600", "29.640"),  # 城关镇
        ("117.430", "29.780"),  # 青石镇
        ("117.760", "29.790"),  # 白沙镇
        ("117.400", "29.520"),  # 柳塘镇
        ("117.770", "29.520"),  # 龙泉乡
        ("117.600", "29.810"),  # 桃源镇
        ("117.380", "29.670"),  # 石门乡
        ("117.590", "29.490"),  # 杉木镇
        ("117.500", "29.690"),  # 凤凰街道
        ("117.700", "29.660"),  # 河东街道
        ("117.840", "29.670"),  # 云岭乡
        ("117.510", "29.575"),  # 平湖镇
    ]
]
# A town's enterprises lie within this many degrees of its centre, in longitude and latitude.
SPREAD = Decimal("0.03")
# The town boundaries the demo loads (scripts/demo_boundaries.py writes it).
BOUNDARIES = Path(__file__).resolve().parent / "data" / "towns.geojson"
