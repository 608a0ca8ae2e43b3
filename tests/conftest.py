from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def cleaner():
    from cleannews import Cleaner

    return Cleaner()


@pytest.fixture(scope="session")
def speedups_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    """The optional C module (cleannews/_speedups.c), to test against its Python twins: the one beside the
    checkout if built there (``pip install -e .``), else compiled here with the build hook's own function, so
    that ``pip install . && python -m pytest`` from a checkout tests it too. Skips where no compiler is at hand.
    """
    try:
        from cleannews import _speedups

        return _speedups
    except ImportError:
        pass
    sys.path.insert(0, str(ROOT))
    try:
        from hatch_build import compile_speedups

        built = compile_speedups(ROOT, tmp_path_factory.mktemp("speedups"))
    except Exception as exc:  # no compiler, no setuptools: the Python twins are all there is to test
        pytest.skip(f"C module not built: {exc}")
    finally:
        sys.path.remove(str(ROOT))
    spec = importlib.util.spec_from_file_location("cleannews._speedups", built)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
