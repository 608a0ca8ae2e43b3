"""Build hook: compile the optional C module ``cleannews/_speedups.c`` into the wheel.

cleannews is pure Python; the C module only makes stopword counting faster (see cleannews/stopwords.py),
with the same results. When it cannot be built (no C compiler, ``CLEANNEWS_NO_EXTENSION=1``), the wheel
is a pure-Python one and cleannews uses its Python twin: the build warns and goes on, it never fails for
this. The compiler is driven through setuptools (a build requirement), which knows each platform's flags.

An editable install (``pip install -e .``) builds the module next to its source, where the checkout is
imported from.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

MODULE = "cleannews._speedups"
SOURCE = "cleannews/_speedups.c"


def compile_speedups(root: Path, tmp: Path) -> Path:
    """Compile ``root/cleannews/_speedups.c`` under *tmp*; the built file (raises if it cannot be built).
    Also used by tests/test_stopwords.py, to test the C module against its Python twin from a checkout."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    cmd = build_ext(Distribution({"name": "cleannews", "ext_modules": [Extension(MODULE, [str(root / SOURCE)])]}))
    cmd.build_lib, cmd.build_temp = str(tmp / "lib"), str(tmp / "temp")
    cmd.ensure_finalized()
    cmd.run()
    built = Path(cmd.get_ext_fullpath(MODULE))
    if not built.is_file():
        raise FileNotFoundError(built)
    return built


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # imported for compile_speedups (tests), not by a build
    BuildHookInterface = object


class SpeedupsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        if os.environ.get("CLEANNEWS_NO_EXTENSION"):
            self.app.display_info("cleannews: CLEANNEWS_NO_EXTENSION is set, building the pure-Python wheel")
            return
        self._tmp = tempfile.mkdtemp(prefix="cleannews-build-")
        try:
            built = compile_speedups(Path(self.root), Path(self._tmp))
        except Exception as exc:  # any failure means "no C module", never a failed install
            self.app.display_warning(
                f"cleannews: the optional C module was not built ({type(exc).__name__}: {exc}); "
                "cleannews will use its pure-Python stopword counter (same results, slower)"
            )
            return
        if version == "editable":  # the checkout is imported in place: put the module beside its source
            shutil.copy2(built, Path(self.root) / "cleannews" / built.name)
        else:
            build_data["force_include"][str(built)] = f"cleannews/{built.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if getattr(self, "_tmp", None):
            shutil.rmtree(self._tmp, ignore_errors=True)
