from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anlan.core.excel import ImportFailed
from anlan.regions.imports import import_regions


class Command(BaseCommand):
    help = (
        "Import administrative divisions from a CSV file with columns code,name (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"文件不存在 (no such file): {path}")
        try:
            result = import_regions(path.read_bytes())
        except ImportFailed as failure:
            raise CommandError(
                "导入失败，未写入任何数据 (nothing imported):\n"
                + "\n".join(str(e) for e in failure.errors)
            ) from failure
        self.stdout.write(f"新增 {result.created} 个，更名 {result.updated} 个区划。")
