"""The checks a generated project must pass; `templates check` and the e2e tests share them.

Each check returns an outcome instead of raising, so a report can name the step that failed.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyscaffold_fw import verify

# What a Procfile process gets: production (no DEBUG), a secret and the test host.
PRODUCTION_ENV = {
    "SECRET_KEY": "check-secret-key-that-is-long-enough-for-any-framework-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# Runtime template folders legitimately hold {{ }}; elsewhere an answer name in Jinja
# syntax means Copier left a file unrendered (it lacked the .jinja suffix).
RUNTIME_TEMPLATE_DIRS = frozenset({"templates"})
TEXT_SUFFIXES = frozenset(
    {".py", ".toml", ".cfg", ".ini", ".md", ".txt", ".yml", ".yaml", ".env", ".example", ""}
)


@dataclass(frozen=True)
class Outcome:
    """One step's result: passed, failed or skipped, with what went wrong."""

    step: str
    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        """Tell whether the step did not fail."""
        return self.status != "failed"

    def to_json(self) -> dict[str, str]:
        """Return the outcome as JSON values."""
        return {"step": self.step, "status": self.status, "detail": self.detail}


@dataclass(frozen=True)
class ProjectUnderCheck:
    """A rendered project and what the checks need to know about it."""

    path: Path
    answer_names: frozenset[str]
    deploy_check: Sequence[str] = ()
    python: str = sys.executable
    env: Mapping[str, str] = field(default_factory=lambda: dict(PRODUCTION_ENV))


def run_checks(project: ProjectUnderCheck) -> Iterator[Outcome]:
    """Run every check in order; after a failed install the rest are skipped."""
    yield check_rendered(project)
    setup = [
        check_step("virtualenv", verify.create_venv(project.path, project.python)),
        check_step("install", verify.install_dev(project.path)),
    ]
    yield from setup
    for step in _project_steps(project):
        yield step() if all(o.ok for o in setup) else Outcome(step.__name__, "skipped")


def _project_steps(project: ProjectUnderCheck) -> list[Callable[[], Outcome]]:
    def tests() -> Outcome:
        result = verify.run_tool(project.path, "pytest", "-q", "-p", "no:cacheprovider")
        outcome = check_step("tests", result)
        counts = re.findall(r"\d+ passed", result.output)
        return Outcome("tests", outcome.status, outcome.detail or (counts[-1] if counts else ""))

    def lint() -> Outcome:
        return check_step(
            "ruff check", verify.run_tool(project.path, "ruff", "check", "--no-cache", ".")
        )

    def formatting() -> Outcome:
        result = verify.run_tool(project.path, "ruff", "format", "--check", "--no-cache", ".")
        return check_step("ruff format", result)

    def deploy_check() -> Outcome:
        if not project.deploy_check:
            return Outcome("deploy check", "skipped", "none for this template")
        return check_step(
            "deploy check", verify.run_step(project.deploy_check, project.path, project.env)
        )

    def serve() -> Outcome:
        return check_serves(project.path, project.env)

    return [tests, lint, formatting, deploy_check, serve]


def check_step(name: str, result: verify.StepResult) -> Outcome:
    """Turn a command's result into an outcome carrying the end of its output."""
    if result.ok:
        return Outcome(name, "passed")
    return Outcome(
        name, "failed", f"`{result.command}` exited {result.returncode}:\n{result.output[-3000:]}"
    )


def check_rendered(project: ProjectUnderCheck) -> Outcome:
    """Find Copier syntax left in file names or in files that were not rendered."""
    pattern = (
        re.compile(
            r"\{[{%]-?\s*(?:if\s+|for\s+\w+\s+in\s+)?("
            + "|".join(sorted(map(re.escape, project.answer_names)))
            + r")\b"
        )
        if project.answer_names
        else None
    )
    for path in sorted(project.path.rglob("*")):
        relative = path.relative_to(project.path)
        if "{{" in str(relative) or "{%" in str(relative) or path.suffix == ".jinja":
            return Outcome("rendered", "failed", f"unrendered file name: {relative}")
        if pattern and _is_checked_text(path, relative):
            match = pattern.search(path.read_text(encoding="utf-8", errors="replace"))
            if match:
                return Outcome("rendered", "failed", f"unrendered Jinja in {relative}: {match[0]}")
    return Outcome("rendered", "passed")


def _is_checked_text(path: Path, relative: Path) -> bool:
    return (
        path.is_file()
        and not path.is_symlink()
        and path.suffix in TEXT_SUFFIXES
        and not RUNTIME_TEMPLATE_DIRS & set(relative.parts)
        and ".venv" not in relative.parts
    )


def check_serves(project: Path, env: Mapping[str, str]) -> Outcome:
    """Run the Procfile release then web processes; probe /health and /; stop it."""
    if not (project / "Procfile").is_file():
        return Outcome("serve", "skipped", "no Procfile")
    processes = verify.read_procfile(project)
    if "web" not in processes:
        return Outcome("serve", "failed", "the Procfile has no web: line")
    if "release" in processes:
        release = check_step(
            "release", verify.run_procfile_step(project, processes["release"], env)
        )
        if not release.ok:
            return Outcome("serve", "failed", f"release step: {release.detail}")
    try:
        with verify.serve(project, processes["web"], env) as base_url:
            problem = _probe(base_url)
    except verify.ServerFailedError as error:
        return Outcome("serve", "failed", str(error)[-3000:])
    if problem:
        return Outcome("serve", "failed", problem)
    return _check_refuses_without_secret(project, processes["web"], env)


def _probe(base_url: str) -> str | None:
    health = verify.get(f"{base_url}/health", PROXY_HEADERS)
    if health.status != 200 or health.content_type != "application/json":
        return f"/health answered {health.status} {health.content_type}"
    if not isinstance(_json(health.body), dict):
        return "/health did not answer a JSON object"
    plain = verify.get(f"{base_url}/health")
    if plain.status != 200:
        return f"/health over plain HTTP answered {plain.status} (it must not redirect)"
    home = verify.get(f"{base_url}/", PROXY_HEADERS)
    return None if home.status == 200 else f"/ answered {home.status}"


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _check_refuses_without_secret(project: Path, web: str, env: Mapping[str, str]) -> Outcome:
    without_secret = {key: value for key, value in env.items() if key != "SECRET_KEY"}
    exit_code = verify.wait_for_exit(project, web, without_secret, timeout=30)
    if exit_code in (None, 0):
        return Outcome(
            "serve", "failed", "the web process started in production without SECRET_KEY"
        )
    return Outcome("serve", "passed", "/health and / answered; refused to start without SECRET_KEY")


def check_template(
    template: str, data: Mapping[str, Any], workdir: Path, *, trust: bool = False
) -> list[Outcome]:
    """Render `template` (an id, folder or git URL) with its defaults, then check the project."""
    from pyscaffold_fw.catalog import list_templates  # noqa: PLC0415
    from pyscaffold_fw.errors import PyscaffoldError  # noqa: PLC0415
    from pyscaffold_fw.generate import GenerateRequest, generate  # noqa: PLC0415

    is_id = template in {info.id for info in list_templates()}
    request = GenerateRequest(
        workdir / "checked-project",
        framework=template if is_id else None,
        template=None if is_id else template,
        data=data,
        use_defaults=True,
        trust=trust,
    )
    try:
        result = generate(request)
    except PyscaffoldError as error:
        return [Outcome("render", "failed", error.message)]
    framework = result.template.framework
    project = ProjectUnderCheck(
        path=result.project_dir,
        answer_names=frozenset(result.answers),
        deploy_check=framework.deploy_check if framework else (),
    )
    return [Outcome("render", "passed", f"{len(result.files)} files"), *run_checks(project)]
