"""Copy the pinned front-end packages from node_modules into src/anlan/static/vendor.

Run after `npm ci` (the Makefile does). Pages load these files from the app itself: no CDN.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "src" / "anlan" / "static" / "vendor"

FILES = {
    "@tabler/core/dist/css/tabler.min.css": "tabler/css/tabler.min.css",
    "@tabler/core/dist/js/tabler.min.js": "tabler/js/tabler.min.js",
    "@tabler/icons-webfont/dist/tabler-icons.min.css": "tabler-icons/tabler-icons.min.css",
    "@tabler/icons-webfont/dist/fonts/tabler-icons.woff2": "tabler-icons/fonts/tabler-icons.woff2",
    "@tabler/icons-webfont/dist/fonts/tabler-icons.woff": "tabler-icons/fonts/tabler-icons.woff",
    "@tabler/icons-webfont/dist/fonts/tabler-icons.ttf": "tabler-icons/fonts/tabler-icons.ttf",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images": "leaflet/images",
}


def main() -> int:
    if not NODE.exists():
        print("node_modules is missing: run `npm ci` first", file=sys.stderr)
        return 1
    for source, target in FILES.items():
        src, dst = NODE / source, VENDOR / target
        if not src.exists():
            print(
                f"missing {src}: is package.json in step with package-lock.json?", file=sys.stderr
            )
            return 1
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    print(f"front-end packages copied to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
