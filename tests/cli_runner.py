"""Run the cleannews CLI in a subprocess, as a user would; shared by the CLI test files (with a user rule file's
text, ``EXTRA_RULE``, for the tests of extra rules)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

EXTRA_RULE = """\
[[rule]]
id = "XT01"
name = "extra.syndication-id"
kind = "line"
pattern = '''(?i:shopper syndication id [0-9]+-[a-z])'''
message = "Our syndication feed's ID line"
"""

# a line the extra rule removes: "Shopper syndication ID 8842-A"

Run = Callable[[], "subprocess.CompletedProcess[str]"]


def start(*args: object, cwd: Path, stdin: bytes = b"") -> Run:
    """Start ``python -m cleannews ARGS`` in *cwd*; call the result to wait for it (stdout/stderr as UTF-8).

    Starting independent runs before waiting on any lets them overlap (start-up dominates their cost).
    A traceback on stderr always fails the test: every error must be a clear one-line message.
    """
    cmd = [sys.executable, "-m", "cleannews", *map(str, args)]
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def wait() -> subprocess.CompletedProcess[str]:
        out, err = proc.communicate(stdin, timeout=120)
        res = subprocess.CompletedProcess(cmd, proc.returncode, out.decode("utf-8"), err.decode("utf-8"))
        assert "Traceback" not in res.stderr, res.stderr
        return res

    return wait


def run(*args: object, cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return start(*args, cwd=cwd, stdin=stdin)()
