"""Ctrl-C and SIGTERM stop ``evalkit run`` within seconds, with one line and no leftovers.

A real ``evalkit`` process runs against a loopback server that never answers (or a
command program whose child left its session); the test signals it once it is
waiting, then checks how long it took to exit, its exit code and stderr, and that no
process it started still runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import hostile_servers as hs
import pytest
from helpers import REPO
from runkit import make_dataset

HANGS_WITH_A_SETSID_CHILD = """
import os, sys, time
sys.stdin.read()
if os.fork() == 0:
    os.setsid()
    open('child.pid', 'w').write(str(os.getpid()))
    time.sleep(300)
    os._exit(0)
time.sleep(300)
"""


def start(project: Path, system: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "EVALKIT_SIGNAL_TEST_KEY": "sk-sig-0123456789"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "evalkit",
            "run",
            "--system",
            system,
            "--dataset",
            "papers.jsonl",
            "--metrics",
            "chrf",
            "--resamples",
            "10",
        ],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def project_with(tmp_path: Path, url: str) -> Path:
    make_dataset(tmp_path)
    (tmp_path / "hang.py").write_text(HANGS_WITH_A_SETSID_CHILD, encoding="utf-8")
    (tmp_path / "evalkit.toml").write_text(
        "[systems.llm]\n"
        'kind = "openai"\n'
        f'base_url = "{url}"\n'
        'model = "m"\n'
        'api_key_env = "EVALKIT_SIGNAL_TEST_KEY"\n'
        "timeout = 120\n"
        "max_concurrency = 4\n"
        "\n[systems.cmd]\n"
        'kind = "command"\n'
        f"command = {json.dumps([sys.executable, 'hang.py'])}\n"
        "timeout = 300\n",
        encoding="utf-8",
    )
    return tmp_path


def stop(proc: subprocess.Popen[str], signals: list[int]) -> tuple[int, str, float]:
    sent = time.monotonic()
    for n, signum in enumerate(signals):
        if n:
            time.sleep(0.05)
        proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"evalkit still running 60 s after {signals}: {err[-2000:]}")
    return proc.returncode, err, time.monotonic() - sent


@pytest.mark.parametrize(
    ("signals", "code", "word"),
    [
        ([signal.SIGINT], 130, "interrupted"),
        ([signal.SIGINT, signal.SIGINT, signal.SIGINT], 130, ""),
        ([signal.SIGTERM], 143, "terminated"),
    ],
    ids=["ctrl-c", "ctrl-c-thrice", "sigterm"],
)
def test_requests_in_flight_do_not_delay_an_interrupt(tmp_path, signals, code, word):
    with hs.RawServer(hs.never) as server:
        project = project_with(tmp_path, server.base_url)
        proc = start(project, "llm")
        assert hs.wait_for(lambda: len(server.requests) >= 4, timeout=60), proc.stderr
        status, err, seconds = stop(proc, signals)
    # a signal arriving after Python restored the default handlers, in the last moments of
    # its shutdown, ends the process by that signal: the shell shows 128 + signal either way
    assert status == code or (len(signals) > 1 and status == 128 - code), err
    assert seconds < 10, seconds  # was 61 s: the requests in flight were waited for
    assert "Traceback" not in err and "Exception ignored" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) <= 1, err
    if word:
        assert lines == [f"evalkit run: {word}"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_command_program_and_its_setsid_child(tmp_path, signum):
    project = project_with(tmp_path, "http://127.0.0.1:9/v1")
    proc = start(project, "cmd")
    pid_file = project / "child.pid"
    assert hs.wait_for(pid_file.exists, timeout=60), proc.stderr
    child = int(pid_file.read_text())
    try:
        status, err, seconds = stop(proc, [signum])
        assert status == 128 + signum, err
        assert seconds < 10 and "Traceback" not in err, err
        assert hs.wait_for(lambda: not alive(child), timeout=2), "the setsid child survived"
    finally:
        if alive(child):
            os.kill(child, signal.SIGKILL)
