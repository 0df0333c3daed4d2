"""What the tests share: the repository's root and the command line to compare against."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the portsim command line (``PORTSIM_BIN``, or ``cargo run --release``) in the
    repository's root."""
    binary = os.environ.get("PORTSIM_BIN")
    command = [binary] if binary else ["cargo", "run", "--release", "--locked", "--quiet", "--"]
    done = subprocess.run(command + list(args), cwd=ROOT, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"portsim {' '.join(args)} failed: {done.stderr}")
    return done


def cli_json(*args: str) -> dict:
    """The JSON document a command prints with ``--json``."""
    return json.loads(cli(*args, "--json").stdout)


def without_wall_time(doc):
    """The document without its wall-clock fields (the only ones that may differ)."""
    if isinstance(doc, dict):
        return {k: without_wall_time(v) for k, v in doc.items() if k != "wall_seconds"}
    if isinstance(doc, list):
        return [without_wall_time(v) for v in doc]
    return doc


@pytest.fixture(autouse=True)
def in_root(monkeypatch):
    """Tests name scenario files relative to the repository's root, as the README does."""
    monkeypatch.chdir(ROOT)
