"""The checks a generated project must pass; `templates check` and the e2e tests share them.

Each check returns an outcome instead of raising, so a report can name the step that failed.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pyscaffold_fw import verify
from pyscaffold_fw.errors import PyscaffoldError, TemplateSourceError, UnknownFrameworkError

if TYPE_CHECKING:
    from pyscaffold_fw.catalog import TemplateInfo

# What a step needs before it may run; see Step.
Requirement = Literal["nothing", "trust", "install"]
NEEDS_TRUST = (
    "needs --trust: this template is not built in or from a plugin, and installing it runs its code"
)
# --no-fix: a template's ruff settings may say `fix = true`; a check only reads.
RUFF_ARGS = {
    "check": ("check", "--no-cache", "--no-fix", "."),
    "format": ("format", "--check", "--no-cache", "."),
}

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


class Status(StrEnum):
    """What became of a step; NOT_RUN is neither a pass nor a failure, and not a skip."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"  # nothing to check here (no Procfile), or an earlier step failed
    NOT_RUN = "not_run"  # it would run the template's code, which is not trusted


@dataclass(frozen=True)
class Outcome:
    """One step's result, with what went wrong or why it did not run."""

    step: str
    status: Status
    detail: str = ""

    @property
    def ok(self) -> bool:
        """Tell whether the step passed or had nothing to check; NOT_RUN is not ok."""
        return self.status in (Status.PASSED, Status.SKIPPED)

    def to_json(self) -> dict[str, str]:
        """Return the outcome as JSON values."""
        return {"step": self.step, "status": str(self.status), "detail": self.detail}


@dataclass(frozen=True)
class ProjectUnderCheck:
    """A rendered project and what the checks need to know about it."""

    path: Path
    answer_names: frozenset[str]
    deploy_check: Sequence[str] = ()
    python: str = sys.executable
    env: Mapping[str, str] = field(default_factory=lambda: dict(PRODUCTION_ENV))


@dataclass(frozen=True)
class Step:
    """One check under the one name it has in every report, run or not.

    `required`: "nothing" reads files only; "trust" sets up the project and runs the
    template's code (the installer runs its build backend), so a failure skips what
    follows; "install" runs the installed project, so it also needs trust.
    """

    name: str
    run: Callable[[], Outcome]
    required: Requirement


def run_code(template: TemplateInfo, *, trust: bool) -> bool:
    """Tell whether checking `template` may run its code: --trust, built-in or plugin."""
    return trust or template.trusted_by_default


def run_checks(project: ProjectUnderCheck, *, trusted: bool = True) -> Iterator[Outcome]:
    """Run every check in order; untrusted, only those that read files run."""
    yield check_rendered(project)
    installed = True
    for step in project_steps(project, trusted=trusted):
        outcome = _run_step(step, trusted=trusted, installed=installed)
        installed = installed and (step.required != "trust" or outcome.ok)
        yield outcome


def _run_step(step: Step, *, trusted: bool, installed: bool) -> Outcome:
    if step.required != "nothing" and not trusted:
        return Outcome(step.name, Status.NOT_RUN, NEEDS_TRUST)
    if step.required != "nothing" and not installed:
        return Outcome(step.name, Status.SKIPPED, "the virtualenv or the install failed")
    return step.run()


def project_steps(project: ProjectUnderCheck, *, trusted: bool) -> list[Step]:
    """Return the steps after rendering, in order; untrusted, ruff is ours, not the project's."""
    path = project.path
    lint: Requirement = "install" if trusted else "nothing"
    return [
        Step("virtualenv", lambda: check_step("virtualenv", _venv(project)), "trust"),
        Step("install", lambda: check_step("install", verify.install_dev(path)), "trust"),
        Step("tests", lambda: _tests(project), "install"),
        Step("ruff check", lambda: _ruff(path, "check", trusted=trusted), lint),
        Step("ruff format", lambda: _ruff(path, "format", trusted=trusted), lint),
        Step("deploy check", lambda: _deploy_check(project), "install"),
        Step("serve", lambda: check_serves(path, project.env), "install"),
    ]


def _venv(project: ProjectUnderCheck) -> verify.StepResult:
    return verify.create_venv(project.path, project.python)


def _tests(project: ProjectUnderCheck) -> Outcome:
    """Run the project's tests; they get the processes' database server, if it has one
    (a starter whose tests need a real server makes its test database there)."""
    database = {k: v for k, v in project.env.items() if k == "DATABASE_URL"}
    result = verify.run_step(
        [str(verify.venv_bin(project.path) / "pytest"), "-q", "-p", "no:cacheprovider"],
        project.path,
        database,
    )
    outcome = check_step("tests", result)
    counts = re.findall(r"\d+ passed", result.output)
    return Outcome("tests", outcome.status, outcome.detail or (counts[-1] if counts else ""))


def _ruff(project: Path, command: str, *, trusted: bool) -> Outcome:
    """Run ruff: the project's own once installed, else ours (it never imports the project)."""
    args = RUFF_ARGS[command]
    if trusted:
        return check_step(f"ruff {command}", verify.run_tool(project, "ruff", *args))
    ruff = verify.find_ruff()
    if ruff is None:
        return Outcome(f"ruff {command}", Status.SKIPPED, "ruff is not installed here")
    return check_step(f"ruff {command}", verify.run_step([ruff, *args], project))


def _deploy_check(project: ProjectUnderCheck) -> Outcome:
    if not project.deploy_check:
        return Outcome("deploy check", Status.SKIPPED, "none for this template")
    return check_step(
        "deploy check", verify.run_step(project.deploy_check, project.path, project.env)
    )


def check_step(name: str, result: verify.StepResult) -> Outcome:
    """Turn a command's result into an outcome carrying the end of its output."""
    if result.ok:
        return Outcome(name, Status.PASSED)
    return Outcome(
        name,
        Status.FAILED,
        f"`{result.command}` exited {result.returncode}:\n{result.output[-3000:]}",
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
            return Outcome("rendered", Status.FAILED, f"unrendered file name: {relative}")
        if pattern and _is_checked_text(path, relative):
            match = pattern.search(path.read_text(encoding="utf-8", errors="replace"))
            if match:
                return Outcome(
                    "rendered", Status.FAILED, f"unrendered Jinja in {relative}: {match[0]}"
                )
    return Outcome("rendered", Status.PASSED)


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
        return Outcome("serve", Status.SKIPPED, "no Procfile")
    try:
        processes = verify.read_procfile(project)
    except (PyscaffoldError, UnicodeDecodeError) as error:
        return Outcome("serve", Status.FAILED, f"the Procfile cannot be read: {error}")
    if "web" not in processes:
        return Outcome("serve", Status.FAILED, "the Procfile has no web: line")
    if "release" in processes:
        release = check_step(
            "release", verify.run_procfile_step(project, processes["release"], env)
        )
        if not release.ok:
            return Outcome("serve", Status.FAILED, f"release step: {release.detail}")
    try:
        with verify.serve(project, processes["web"], env) as base_url:
            problem = _probe(base_url)
    except verify.ServerFailedError as error:
        return Outcome("serve", Status.FAILED, str(error)[-3000:])
    if problem:
        return Outcome("serve", Status.FAILED, problem)
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
    except (ValueError, RecursionError):  # a body nested past the parser's limit is no JSON
        return None


def _check_refuses_without_secret(project: Path, web: str, env: Mapping[str, str]) -> Outcome:
    without_secret = {key: value for key, value in env.items() if key != "SECRET_KEY"}
    exit_code = verify.wait_for_exit(project, web, without_secret, timeout=30)
    if exit_code in (None, 0):
        return Outcome(
            "serve", Status.FAILED, "the web process started in production without SECRET_KEY"
        )
    return Outcome(
        "serve", Status.PASSED, "/health and / answered; refused to start without SECRET_KEY"
    )


def check_template(
    template: str, data: Mapping[str, Any], workdir: Path, *, trust: bool = False
) -> list[Outcome]:
    """Render `template` (an id, folder or git URL) with its defaults, then check the project.

    The project's code runs only with `trust` or for a built-in or plugin template.
    """
    from pyscaffold_fw.catalog import list_templates  # noqa: PLC0415
    from pyscaffold_fw.generation import GenerateRequest, generate  # noqa: PLC0415

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
    except (TemplateSourceError, UnknownFrameworkError):
        raise  # no such template: a usage error (exit 2), not a failed check
    except PyscaffoldError as error:
        return [Outcome("render", Status.FAILED, error.message)]
    framework = result.template.framework
    project = ProjectUnderCheck(
        path=result.project_dir,
        answer_names=frozenset(result.answers),
        deploy_check=framework.deploy_check if framework else (),
    )
    trusted = run_code(result.template, trust=trust)
    rendered = Outcome("render", Status.PASSED, f"{len(result.files)} files")
    return [rendered, *run_checks(project, trusted=trusted)]
