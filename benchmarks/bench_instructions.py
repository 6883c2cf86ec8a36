"""Print the CPU instructions each starter's web process spends per /health request, beside
a bare app of the same framework: the same comparison as bench_serve.py, in a measure that
repeats exactly from one run to the next.

Usage: python benchmarks/bench_instructions.py [--requests N] [--keep] [FRAMEWORK ...]

Figures only; nothing here passes or fails. wrk's requests per second move 5-10 % between
runs on a shared machine, which is as much as the 0.9x target leaves; an instruction count
does not move. It is not a time: it ignores cache misses and waiting. Read it beside
bench_serve.py, not instead of it.

Each starter and its bare app are set up as bench_serve.py does (default answers, installed
non-editable, release step, production environment, WEB_CONCURRENCY=1, the Procfile web line
for both). The web process runs under valgrind's callgrind with counting off; after a
warm-up (200 requests), counting is switched on, N requests (default 500) are sent one after
another on one keep-alive connection with the proxy's X-Forwarded-Proto header, and the
counts are dumped. The figure is the busiest process's count (the worker: gunicorn's arbiter
and Tornado's event loop when idle do next to nothing) divided by N. Needs valgrind on PATH
(Debian: apt-get install valgrind); a run takes a minute or two per framework.
"""

from __future__ import annotations

import argparse
import http.client
import re
import subprocess
import sys
import time
from pathlib import Path

from bench_serve import BARE_APPS, Site, prepare, require, scratch_folder

from pyscaffold_fw import process
from pyscaffold_fw.registry import AVAILABLE_IDS
from pyscaffold_fw.verify import find_uv, free_port

WARM_UP = 200
START_SECONDS = 300  # a server starts ten to fifty times slower under valgrind


def send(port: int, count: int) -> None:
    """Send `count` GET /health requests on one connection, as the proxy would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for _ in range(count):
            connection.request("GET", "/health", headers={"X-Forwarded-Proto": "https"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                sys.exit(f"/health answered {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()  # gunicorn's sync worker closes after each response
    finally:
        connection.close()


def wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server exited ({server.returncode}); its log: {log}")
        try:
            send(port, 1)
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the server did not answer within {START_SECONDS} s; its log: {log}")


def per_request(site: Site, which: str, requests: int, scratch: Path) -> float:
    """Run one web line under callgrind; return the busiest process's instructions per
    request."""
    out = scratch / f"callgrind.{site.framework}.{which}"
    log = scratch / f"{site.framework}-{which}.log"
    port = free_port()
    command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--trace-children=yes"]
    command += [f"--callgrind-out-file={out}.%p", "/bin/sh", "-c", site.commands[which]]
    with log.open("ab") as output:
        server = subprocess.Popen(
            command,
            cwd=site.project,
            env={**site.env, "PORT": str(port)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(port, server, log)
        send(port, WARM_UP)
        control = ["callgrind_control"]
        processes = [str(pid) for pid in group_pids(server.pid)]
        subprocess.run([*control, "-i", "on", *processes], capture_output=True, check=False)
        send(port, requests)
        subprocess.run([*control, "-d", *processes], capture_output=True, check=False)
    finally:
        process.stop(server, grace=10)
    totals = [total(path) for path in scratch.glob(f"{out.name}.*.1")]
    if not totals:
        sys.exit(f"callgrind wrote no counts; the server's log: {log}")
    return max(totals) / requests


def group_pids(group: int) -> list[int]:
    """Return the processes of a process group (the server and its workers)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="ascii").rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == group:
            pids.append(int(stat.parent.name))
    return pids


def total(path: Path) -> int:
    """Read a callgrind file's total instruction count."""
    text = path.read_text(encoding="utf-8", errors="replace")
    found = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
    return int(found[1]) if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--requests", type=int, default=500, help="counted requests (500)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("frameworks", nargs="*", default=list(AVAILABLE_IDS))
    arguments = parser.parse_args()
    require("valgrind", "apt-get install valgrind")
    uv = find_uv() or require("uv", "pip install uv")
    unknown = [name for name in arguments.frameworks if name not in BARE_APPS]
    if unknown:
        sys.exit(f"no bare app for: {', '.join(unknown)} (known: {', '.join(BARE_APPS)})")
    with scratch_folder("bench-instructions-", keep=arguments.keep) as scratch:
        print(f"instructions per /health request, {arguments.requests} requests counted")
        print(f"{'':<8}{'starter':>10}{'bare':>10}{'ratio':>8}")
        for framework in arguments.frameworks:
            site = prepare(framework, scratch, uv)
            starter, bare = (
                per_request(site, which, arguments.requests, scratch)
                for which in ("starter", "bare")
            )
            # As bench_serve.py's ratio: the starter's throughput over the bare app's.
            print(
                f"{framework:<8}{starter / 1000:>9.0f}k{bare / 1000:>9.0f}k{bare / starter:>7.2f}x"
            )


if __name__ == "__main__":
    main()
