"""Maps without internet, in Debian's Chromium: with no tile server the risk map and the incident
form's map draw the user's towns (outlines and names) from the site itself, a click on the
incident map sets the coordinates inside the town clicked, and no request leaves the site."""

import pytest
from playwright.sync_api import expect

from anlan.regions.models import Region
from tests.e2e.conftest import person
from tests.regions.test_boundaries import inside

pytestmark = pytest.mark.browser
SMALL_WORLD_TOWNS = ["城关镇", "青石镇", "白沙镇"]


def outside_requests(page, site: str) -> list[str]:
    """The requests the page makes to anywhere but the site (filled as the page runs)."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if not r.url.startswith(site) else None)
    return seen


def town_labels(page) -> list[str]:
    return sorted(page.locator(".leaflet-tooltip.town-label").all_inner_texts())


def test_maps_draw_the_towns_without_tiles(browser, site, shot):  # noqa: F811
    county = person(browser, site, "demo-county", viewport={"width": 1280, "height": 900})
    outside = outside_requests(county, site)
    county.goto(f"{site}/risks/map/")
    risk_map = county.locator("#risk-map")
    expect(risk_map).to_have_attribute("data-loaded", "60")
    expect(risk_map).to_have_attribute("data-towns", "3")
    expect(risk_map.locator("path.town-boundary")).to_have_count(3)
    assert town_labels(county) == sorted(SMALL_WORLD_TOWNS)
    expect(risk_map.locator("path.risk-point")).to_have_count(60)
    expect(risk_map.locator(".leaflet-tile")).to_have_count(0)  # no tile server: no tiles
    shot(county, "40-risk-map-offline")

    # The incident form's map: the same towns; a click in 青石镇 sets coordinates inside it.
    county.goto(f"{site}/incidents/new/")
    pick = county.locator("#pick-map")
    expect(pick).to_have_attribute("data-towns", "3")
    expect(pick.locator("path.town-boundary")).to_have_count(3)
    assert town_labels(county) == sorted(SMALL_WORLD_TOWNS)
    pick.scroll_into_view_if_needed()
    label = county.locator(".leaflet-tooltip.town-label", has_text="青石镇").bounding_box()
    county.mouse.click(label["x"] + label["width"] / 2, label["y"] + label["height"] + 12)
    expect(county.locator("#id_longitude")).not_to_have_value("")
    lon = float(county.locator("#id_longitude").input_value())
    lat = float(county.locator("#id_latitude").input_value())
    assert inside(lon, lat, Region.objects.get(name="青石镇").boundary), (lon, lat)
    expect(pick.locator("path.picked-point")).to_have_count(1)
    shot(county, "41-incident-map-offline")
    assert outside == []


def test_a_town_official_sees_their_town_and_tiles_when_configured(browser, site, settings):  # noqa: F811
    # An intranet tile server on the site itself (the tiles are missing here; the layer is drawn).
    settings.ANLAN_MAP_TILES = "/tiles/{z}/{x}/{y}.png"
    settings.ANLAN_MAP_ATTRIBUTION = "内网地图服务"
    town = person(browser, site, "demo-town-a", viewport={"width": 1280, "height": 900})
    outside = outside_requests(town, site)
    town.goto(f"{site}/incidents/new/")
    pick = town.locator("#pick-map")
    expect(pick).to_have_attribute("data-towns", "1")
    expect(pick.locator("path.town-boundary")).to_have_count(1)
    assert town_labels(town) == ["青石镇"]
    expect(pick.locator("img.leaflet-tile").first).to_be_attached()
    expect(pick.locator(".leaflet-control-attribution")).to_contain_text("内网地图服务")
    pick.scroll_into_view_if_needed()
    box = pick.bounding_box()
    town.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(town.locator("#id_latitude")).not_to_have_value("")
    lon = float(town.locator("#id_longitude").input_value())
    lat = float(town.locator("#id_latitude").input_value())
    assert inside(lon, lat, Region.objects.get(name="青石镇").boundary), (lon, lat)
    assert outside == []
