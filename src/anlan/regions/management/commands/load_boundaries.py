from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anlan.regions.boundaries import BoundariesRejected, load_boundaries


class Command(BaseCommand):
    help = (
        "Load division outlines (town boundaries) from a GeoJSON FeatureCollection whose features "
        "carry the division code in properties.code (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"文件不存在 (no such file): {path}")
        try:
            count = load_boundaries(path.read_bytes(), reason=f"导入边界 {path.name}")
        except BoundariesRejected as rejected:
            raise CommandError(
                "导入失败，未写入任何边界 (nothing loaded):\n" + "\n".join(rejected.errors)
            ) from rejected
        self.stdout.write(f"已导入 {count} 个区划的边界 (outlines loaded: {count}).")
