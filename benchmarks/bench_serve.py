"""Print /health throughput of each starter's Procfile server beside a bare app of the same
framework, served the same way, measured with wrk in one run on this machine.

Usage: python benchmarks/bench_serve.py [--runs N] [--duration S] [--keep] [FRAMEWORK ...]

Figures only; nothing here passes or fails. Target (issue 14): every starter serves at least
0.9x the requests per second of its bare app.

Each starter is generated with default answers through the CLI, installed non-editable with
uv into a fresh virtualenv (as a deploy would), its `release:` step run, then its `web:`
process started with the production environment (SECRET_KEY, ALLOWED_HOSTS, PORT,
WEB_CONCURRENCY=1, no DEBUG, no .env). The bare app (the framework's minimal JSON /health)
is installed in the same virtualenv and started by the same Procfile line, in the same
folder, with only the app swapped (in the ini file too, where the line names one), so it
gets the same server, worker count, server settings and access log.

Server pinned to core 0, wrk to core 1 (`taskset`): the two never compete for a core, and
one worker on one core measures the cost of a request in Python, not the scheduler.
wrk -t1 (one thread: it has one core) -c32 (more connections than any of the servers works
on at once, so each stays saturated; gunicorn's sync worker and waitress queue the rest),
--duration 10 s after an unmeasured 2 s warm-up (lazy imports, URL resolvers, caches).
Starter and bare runs alternate, so drift in the machine's load hits both alike; the table
shows the median and the spread (min-max) of the runs. "/CPU-s" is requests per second of
the server's own CPU time (user + system of its process group, from /proc): what a request
costs, much less moved than req/s by other work on a shared machine; its ratio is the one
to read there. Linux only; needs wrk and taskset on PATH.
"""

from __future__ import annotations

import argparse
import configparser
import dataclasses
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from pyscaffold_fw import process
from pyscaffold_fw.registry import AVAILABLE_IDS
from pyscaffold_fw.verify import (
    find_uv,
    free_port,
    get,
    project_env,
    read_procfile,
    run_procfile_step,
)

SERVER_CORE, WRK_CORE = "0", "1"
CONNECTIONS = 32
WARM_UP_SECONDS = 2
BARE = "bare_app"
# Every request: the header the TLS-terminating proxy in front of the app sets.
PROXY_HEADER = "X-Forwarded-Proto: https"
PRODUCTION = {
    "SECRET_KEY": "bench-" + "0" * 58,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "WEB_CONCURRENCY": "1",
}
# The distributions whose versions the table names, per framework.
VERSIONS = {
    "django": ("django", "gunicorn", "whitenoise"),
    "flask": ("flask", "werkzeug", "gunicorn"),
    "fastapi": ("fastapi", "starlette", "pydantic", "uvicorn", "uvloop", "httptools"),
    "pyramid": ("pyramid", "waitress"),
    "tornado": ("tornado",),
}
# The minimal app of each framework: JSON {"status": "ok"} at /health, nothing else.
BARE_APPS: dict[str, dict[str, str]] = {
    "django": {
        "__init__.py": "",
        "wsgi.py": """\
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, JsonResponse
from django.urls import path


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


settings.configure(
    SECRET_KEY=os.environ["SECRET_KEY"],
    ALLOWED_HOSTS=os.environ["ALLOWED_HOSTS"].split(","),
    ROOT_URLCONF=__name__,
)
urlpatterns = [path("health", health)]
application = get_wsgi_application()
""",
    },
    "flask": {
        "__init__.py": """\
from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
""",
    },
    "fastapi": {
        "__init__.py": "",
        "main.py": """\
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
""",
    },
    "pyramid": {
        "__init__.py": """\
from typing import Any

from pyramid.config import Configurator
from pyramid.request import Request
from pyramid.router import Router


def health(request: Request) -> dict[str, str]:
    return {"status": "ok"}


def main(global_config: Any, **settings: Any) -> Router:
    with Configurator(settings=settings) as config:
        config.add_route("health", "/health")
        config.add_view(health, route_name="health", renderer="json", request_method="GET")
    return config.make_wsgi_app()
""",
    },
    "tornado": {
        "__init__.py": "",
        # The starter's command line (--address, --port) and logging (INFO to stderr, so
        # Tornado's access log too).
        "__main__.py": """\
import argparse
import asyncio
import logging
import os

import tornado.web


class Health(tornado.web.RequestHandler):
    def get(self) -> None:
        self.write({"status": "ok"})


async def main(address: str, port: int) -> None:
    tornado.web.Application([(r"/health", Health)]).listen(port, address)
    await asyncio.Event().wait()


parser = argparse.ArgumentParser()
parser.add_argument("--address", default="127.0.0.1")
parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
args = parser.parse_args()
logging.basicConfig(
    level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
)
asyncio.run(main(args.address, int(args.port)))
""",
    },
}


@dataclass(frozen=True)
class Run:
    """One wrk measurement of one server."""

    requests_per_second: float
    p99_ms: float
    errors: int
    requests: int
    cpu_seconds: float = 0.0  # the server's, user + system, over the run

    @property
    def per_cpu_second(self) -> float:
        """Requests per second of the server's own CPU time: what it costs, not the wait."""
        return self.requests / self.cpu_seconds if self.cpu_seconds else 0.0


@dataclass(frozen=True)
class Site:
    """A generated starter, installed, with the bare app beside it in its virtualenv."""

    framework: str
    project: Path
    commands: Mapping[str, str]  # "starter" and "bare": their Procfile web lines
    env: Mapping[str, str]


def interrupted(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM and SIGHUP into Ctrl-C, so every server is stopped on the way out."""
    raise KeyboardInterrupt


def require(name: str, hint: str) -> str:
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} is not on PATH: {hint}")
    return found


def quiet(command: list[str], cwd: Path, env: Mapping[str, str] | None = None) -> str:
    """Run a setup command; show its output and stop when it fails."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"failed: {shlex.join(command)}\n{result.stdout}{result.stderr}")
    return result.stdout


def generate(framework: str, scratch: Path) -> tuple[Path, str]:
    """Render the starter with default answers through the CLI; return its folder, package."""
    command = [sys.executable, "-m", "pyscaffold_fw", "new", f"{framework}_starter"]
    command += ["--framework", framework, "--defaults", "--no-git", "--json"]
    report = json.loads(quiet(command, scratch))
    project = Path(report["project_dir"])
    # Deployed from git, a project has no .env (git-ignored): production reads none.
    (project / ".env").unlink(missing_ok=True)
    return project, str(report["answers"]["package_name"])


def write_bare_project(framework: str, project: Path, folder: Path) -> None:
    """Write the bare app as a package built with the starter's own build backend."""
    package = folder / BARE
    package.mkdir(parents=True)
    for name, text in BARE_APPS[framework].items():
        (package / name).write_text(text, encoding="utf-8")
    starter = (project / "pyproject.toml").read_text(encoding="utf-8")
    build_system = starter.split("\n[project]", 1)[0]
    (folder / "pyproject.toml").write_text(
        f"{build_system}\n[project]\nname = 'bare-app'\nversion = '0'\n"
        # The framework and server come from the starter, installed in the same venv.
        f"dependencies = []\n\n[tool.uv.build-backend]\nmodule-name = '{BARE}'\n"
        "module-root = ''\n",
        encoding="utf-8",
    )


def install(project: Path, bare: Path, uv: str) -> None:
    """Make the project's virtualenv and install the starter and the bare app, non-editable."""
    venv = project / ".venv"
    quiet([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], project)
    python = str(venv / "bin" / "python")
    quiet([uv, "pip", "install", "--quiet", "--python", python, str(project), str(bare)], project)


def swap_app(command: str, package: str, project: Path) -> str:
    """Return the Procfile line serving the bare app instead of `package`.

    The app is named on the line (gunicorn, uvicorn, python -m) or in an ini file the
    line names (pserve): that file is copied with only its [app:main] `use` changed.
    """
    words = shlex.split(command, posix=True)
    for word in words:
        if word.endswith(".ini") and (project / word).is_file():
            bare_ini = f"bare-{word}"
            text = (project / word).read_text(encoding="utf-8")
            (project / bare_ini).write_text(swap_ini_app(text), encoding="utf-8")
            return command.replace(word, bare_ini)
    swapped = re.sub(rf"\b{re.escape(package)}\b", BARE, command)
    if swapped == command:
        sys.exit(f"cannot find the app ({package}) on the web line: {command}")
    return swapped


def swap_ini_app(text: str) -> str:
    """Point an ini file's [app:main] at the bare app, everything else as it was."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    old = parser["app:main"]["use"]
    section = re.search(r"^\[app:main\]$.*?(?=^\[)", text, re.MULTILINE | re.DOTALL)
    if section is None:
        sys.exit("no [app:main] section in the ini file")
    start, end = section.span()
    body = re.sub(
        rf"^use\s*=\s*{re.escape(old)}$",
        f"use = call:{BARE}:main",
        section[0],
        count=1,
        flags=re.MULTILINE,
    )
    return text[:start] + body + text[end:]


def prepare(framework: str, scratch: Path, uv: str) -> Site:
    """Generate, install and release one starter; return how to serve it and its bare app."""
    project, package = generate(framework, scratch)
    bare = scratch / f"{framework}-bare"
    write_bare_project(framework, project, bare)
    install(project, bare, uv)
    processes = read_procfile(project)
    env = project_env(project, PRODUCTION)
    if "release" in processes:
        step = run_procfile_step(project, processes["release"], env)
        if not step.ok:
            sys.exit(f"{framework}: release failed: {step.command}\n{step.output}")
    web = processes["web"]
    commands = {"starter": web, "bare": swap_app(web, package, project)}
    return Site(framework, project, commands, env)


@contextmanager
def serving(site: Site, which: str, log: Path) -> Iterator[tuple[str, int]]:
    """Start one web line on the server core; yield its /health URL and process group."""
    port = free_port()
    with log.open("ab") as output:
        server = subprocess.Popen(
            ["taskset", "-c", SERVER_CORE, "/bin/sh", "-c", site.commands[which]],
            cwd=site.project,
            env={**site.env, "PORT": str(port)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
        )
    try:
        url = f"http://127.0.0.1:{port}/health"
        wait_until_up(server, url, log)
        yield url, server.pid
    finally:
        process.stop(server, grace=10)


def wait_until_up(server: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited ({server.returncode}); its log: {log}")
        try:
            reply = get(url, {"X-Forwarded-Proto": "https"})
        except OSError:
            time.sleep(0.2)
            continue
        if reply.status != 200:
            sys.exit(f"{url} answered {reply.status}; the server's log: {log}")
        return
    sys.exit(f"{url} did not answer within 60 s; the server's log: {log}")


def wrk(url: str, seconds: int) -> Run:
    """Drive `url` from the wrk core for `seconds`; return its figures."""
    command = ["taskset", "-c", WRK_CORE, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    command += ["--latency", "-H", PROXY_HEADER, url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> Run:
    count = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\b", output, re.MULTILINE)
    if rate is None or p99 is None or count is None:
        sys.exit(f"cannot read wrk's output:\n{output}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99[2]]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(bad[1]) if bad else 0
    # Read errors are how wrk counts a server closing the connection after each response
    # (gunicorn's sync worker does): not a failure. Connect, write and timeout ones are.
    errors += sum(int(sockets[i]) for i in (1, 3, 4)) if sockets else 0
    return Run(float(rate[1]), float(p99[1]) * scale, errors, int(count[1]))


def group_cpu_seconds(group: int) -> float:
    """Return the CPU time (user + system) used so far by the processes of a group."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text(encoding="ascii")
        except OSError:
            continue  # exited meanwhile
        # After the command's name, in parentheses: state ppid pgrp ... utime stime (14, 15).
        fields = text.rpartition(")")[2].split()
        if int(fields[2]) == group:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measured(url: str, seconds: int, group: int) -> Run:
    """One wrk run, with the CPU time the server's process group spent on it."""
    before = group_cpu_seconds(group)
    run = wrk(url, seconds)
    return dataclasses.replace(run, cpu_seconds=group_cpu_seconds(group) - before)


def measure(site: Site, runs: int, seconds: int, logs: Path) -> dict[str, list[Run]]:
    """Alternate starter and bare runs, each on a freshly started server."""
    results: dict[str, list[Run]] = {"starter": [], "bare": []}
    for attempt in range(runs):
        for which in ("starter", "bare"):
            log = logs / f"{site.framework}-{which}.log"
            with serving(site, which, log) as (url, group):
                wrk(url, WARM_UP_SECONDS)
                run = measured(url, seconds, group)
            results[which].append(run)
            print(
                f"  {site.framework} {which} run {attempt + 1}: {run.requests_per_second:.0f}"
                f" req/s, {run.per_cpu_second:.0f} req/CPU-s, load {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
            )
    return results


def versions(site: Site) -> str:
    names = VERSIONS.get(site.framework, (site.framework,))
    script = (
        "import importlib.metadata as m, sys\n"
        "for n in sys.argv[1:]:\n"
        "    try: print(n + ' ' + m.version(n))\n"
        "    except m.PackageNotFoundError: pass\n"
    )
    python = str(site.project / ".venv" / "bin" / "python")
    return ", ".join(quiet([python, "-c", script, *names], site.project).split("\n")[:-1])


def row(framework: str, results: Mapping[str, list[Run]]) -> str:
    cells = []
    for which in ("starter", "bare"):
        rates = [run.requests_per_second for run in results[which]]
        p99 = statistics.median(run.p99_ms for run in results[which])
        spread = f"{min(rates):.0f}-{max(rates):.0f}"
        cpu = statistics.median(run.per_cpu_second for run in results[which])
        cells.append(f"{statistics.median(rates):>7.0f} {spread:>11} {p99:>7.1f} {cpu:>7.0f}")
    ratios = [
        ratio([run.requests_per_second for run in results[which]] for which in ("starter", "bare")),
        ratio([run.per_cpu_second for run in results[which]] for which in ("starter", "bare")),
    ]
    errors = sum(run.errors for runs in results.values() for run in runs)
    note = f"  {errors} errors" if errors else ""
    return f"{framework:<8}{cells[0]} {cells[1]}{ratios[0]:>7.2f}x{ratios[1]:>7.2f}x{note}"


def ratio(figures: Iterator[list[float]]) -> float:
    """The median of the starter's figures over the median of the bare app's."""
    starter, bare = (statistics.median(values) for values in figures)
    return starter / bare if bare else 0.0


def machine() -> str:
    model = ""
    with Path("/proc/cpuinfo").open(encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
    return (
        f"{os.cpu_count()} cores ({model}), load average {load}; Python "
        f"{platform.python_version()}, wrk {wrk_version[1] if len(wrk_version) > 1 else '?'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--runs", type=int, default=3, help="runs of each server (default 3)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (default 10)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("frameworks", nargs="*", default=list(AVAILABLE_IDS))
    arguments = parser.parse_args()
    require("wrk", "apt-get install wrk (Debian, Ubuntu), brew install wrk (macOS)")
    require("taskset", "apt-get install util-linux")
    uv = find_uv() or require("uv", "pip install uv")
    unknown = [name for name in arguments.frameworks if name not in BARE_APPS]
    if unknown:
        sys.exit(f"no bare app for: {', '.join(unknown)} (known: {', '.join(BARE_APPS)})")
    if len(os.sched_getaffinity(0)) < 2:
        sys.exit("needs two cores: the server on core 0, wrk on core 1")
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    with scratch_folder("bench-serve-", keep=arguments.keep) as scratch:
        report(arguments.frameworks, arguments.runs, arguments.duration, scratch, uv)


@contextmanager
def scratch_folder(prefix: str, *, keep: bool) -> Iterator[Path]:
    """Yield a new temporary folder, removed at the end unless `keep`; Ctrl+C exits 130."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield scratch
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        if keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def report(frameworks: list[str], runs: int, seconds: int, scratch: Path, uv: str) -> None:
    print(machine())
    print(
        f"wrk -t1 -c{CONNECTIONS} -d{seconds}s on core {WRK_CORE}, one server worker on core "
        f"{SERVER_CORE}; median of {runs} runs (spread: min-max)"
    )
    heading = f"{'req/s':>7} {'spread':>11} {'p99 ms':>7} {'/CPU-s':>7}"
    print(f"{'':<8}{'starter':^34} {'bare':^34}{'ratio':>8}{'ratio':>8}")
    print(f"{'':<8}{heading} {heading}{'req/s':>8}{'CPU-s':>8}")
    lines = []
    for framework in frameworks:
        site = prepare(framework, scratch, uv)
        results = measure(site, runs, seconds, scratch)
        print(row(framework, results), flush=True)
        lines.append(f"{framework}: {versions(site)}; {site.commands['starter']}")
    print("\n".join(lines))
    # The machine's load during the runs: figures from a shared machine are only comparable
    # within one run, starter beside bare.
    print("load average at the end: " + ", ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
