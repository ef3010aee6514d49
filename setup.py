"""Build step beyond pyproject.toml: a wheel carries the compiled translations.

The .mo files are not kept in git (`./dev setup` compiles them in a checkout); building the
package compiles every src/anlan/locale/*/LC_MESSAGES/*.po into the built package with polib,
so an installed wheel answers in Chinese like a checkout does.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SRC = Path(__file__).resolve().parent / "src"


class BuildWithMessages(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's .mo (scripts/compile_messages.py)
        import polib

        for po_path in sorted(SRC.glob("anlan/locale/*/LC_MESSAGES/*.po")):
            mo_path = Path(self.build_lib) / po_path.relative_to(SRC).with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


setup(cmdclass={"build_py": BuildWithMessages})
