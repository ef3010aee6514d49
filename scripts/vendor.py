"""Copy the pinned front-end packages from node_modules into src/anlan/static/vendor.

Run after `npm ci` (`./dev setup` does). Pages load these files from the app itself: no CDN.

Source maps are not vendored: the `sourceMappingURL` comments of the copied .js and .css files
are removed, so the production storage (hashed names, which follows every reference) finds no
missing file. Every relative `url(...)` of a vendored stylesheet must name a vendored file.
"""

import re
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


# `//# sourceMappingURL=x.map` (JS) and `/*# sourceMappingURL=x.map */` (CSS), alone on a line.
SOURCE_MAP = re.compile(
    rb"^[ \t]*(?://[#@] sourceMappingURL=[^\n]*|/\*[#@] sourceMappingURL=[^\n]*?\*/)[ \t]*\r?\n?",
    re.M,
)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""")


def copy_file(src: Path, dst: Path) -> None:
    if src.suffix in {".js", ".css"}:
        dst.write_bytes(SOURCE_MAP.sub(b"", src.read_bytes()))
        shutil.copystat(src, dst)
    else:
        shutil.copy2(src, dst)


def missing_references(root: Path) -> list[str]:
    """Relative url(...) targets of the vendored stylesheets that are not vendored."""
    missing = []
    for css in sorted(root.rglob("*.css")):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
            url = next(group for group in match.groups() if group is not None)
            if url.startswith(("data:", "#", "/", "http:", "https:")):
                continue
            target = (css.parent / url.split("#")[0].split("?")[0]).resolve()
            if not target.is_file():
                missing.append(f"{css.relative_to(root)}: {url}")
    return missing


def _copy_function(src: str, dst: str) -> None:
    copy_file(Path(src), Path(dst))


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
            shutil.copytree(src, dst, dirs_exist_ok=True, copy_function=_copy_function)
        else:
            copy_file(src, dst)
    missing = missing_references(VENDOR)
    if missing:
        print("vendored stylesheets name files that are not vendored:", file=sys.stderr)
        print("\n".join(f"  {line}" for line in missing), file=sys.stderr)
        return 1
    print(f"front-end packages copied to {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
