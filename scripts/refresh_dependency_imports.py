"""Write src/pyscaffold_fw/dependency_imports.json: for each built-in starter, the import
names its installed dependencies provide, for every `database` choice, with the dev extra.

Usage: python scripts/refresh_dependency_imports.py   (a few minutes: it installs each
variant into a fresh virtualenv with uv). Run it after changing a starter's dependencies;
the end-to-end tests say when it is needed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from pyscaffold_fw import verify
from pyscaffold_fw.copier_yaml import read_copier_config
from pyscaffold_fw.dependency_imports import DATA_FILE, LIST_IMPORTS_CODE
from pyscaffold_fw.registry import AVAILABLE_IDS, template_path

PACKAGE = "closure_probe"


def database_choices(framework: str) -> list[str]:
    """Return the `database` choices of a starter (one install each)."""
    config = read_copier_config(template_path(framework) / "copier.yml")
    spec = config.get("database") or {}
    return [str(choice) for choice in spec.get("choices") or [None]]


def closure(framework: str, database: str | None, scratch: Path) -> set[str]:
    """Generate one variant, install it, and return its import names but its own."""
    project = scratch / f"{framework}-{database}"
    command = [sys.executable, "-m", "pyscaffold_fw", "new", str(project), "--framework"]
    answers = ["-d", f"package_name={PACKAGE}"] + (
        ["-d", f"database={database}"] if database else []
    )
    subprocess.run([*command, framework, "--defaults", "-q", "--no-git", *answers], check=True)
    for step in (verify.create_venv(project), verify.install_dev(project)):
        if not step.ok:
            sys.exit(f"{framework} ({database}): {step.output}")
    python = str(verify.venv_bin(project) / "python")
    listed = subprocess.run(
        [python, "-c", LIST_IMPORTS_CODE], check=True, capture_output=True, text=True
    )
    return set(listed.stdout.split()) - {PACKAGE}


def main() -> None:
    lists: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for framework in AVAILABLE_IDS:
            names: set[str] = set()
            for database in database_choices(framework):
                names |= closure(framework, database, Path(scratch))
            lists[framework] = sorted(names)
            print(f"{framework}: {len(names)} import names")
    target = Path(__file__).resolve().parents[1] / "src" / "pyscaffold_fw" / DATA_FILE
    target.write_text(json.dumps(lists, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
