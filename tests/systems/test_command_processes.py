"""Command programs that leave children behind, flood stderr or write escape sequences.

Real processes only. Each test bounds its own time (the batch runs in a daemon thread
joined with a limit) and checks afterwards that no process it started still runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import REPO

from evalkit.errors import SystemError_
from evalkit.systems.base import Request
from evalkit.systems.command import CommandSystem
from evalkit.systems.procs import MARKER

REQS = [Request(f"p{i}/title/en-ko", "translation", f"text {i}", "en", "ko") for i in range(2)]

ANSWER = (
    "import json, os, sys, time\n"
    "reqs = [json.loads(l) for l in sys.stdin]\n"
    "def answer():\n"
    "    for r in reqs:\n"
    "        print(json.dumps({'id': r['id'], 'output': r['text'].upper()}), flush=True)\n"
)

#: Answers, then forks a child that keeps stdout open for CHILD_SECONDS; SETSID makes
#: the child leave the process group, DAEMON makes it close its stdout too.
LEAVES_A_CHILD = ANSWER + (
    "answer()\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    if SETSID: os.setsid()\n"
    "    if DAEMON:\n"
    "        fd = os.open(os.devnull, os.O_RDWR)\n"
    "        for n in (0, 1, 2): os.dup2(fd, n)\n"
    "    open('child.pid', 'w').write(str(os.getpid()))\n"
    "    time.sleep(CHILD_SECONDS)\n"
    "    os._exit(0)\n"
    "while not os.path.exists('child.pid'): time.sleep(0.01)\n"
    "sys.exit(0)\n"
)


def running(pid: int, wait: float = 1.0) -> bool:
    """Whether ``pid`` is alive after ``wait`` seconds (a zombie counts as gone)."""
    end = time.monotonic() + wait
    while True:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                alive = fh.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            alive = False
        if not alive or time.monotonic() > end:
            return alive
        time.sleep(0.02)


def bounded(fn, limit: float = 60.0):
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 (handed back to the test)
            box["value"] = exc

    start = time.monotonic()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    assert not thread.is_alive(), f"still running after {limit:g}s"
    return box["value"], time.monotonic() - start


def system(tmp_path: Path, body: str, **config) -> CommandSystem:
    (tmp_path / "sys.py").write_text(body, encoding="utf-8")
    return CommandSystem("mt", {"command": [sys.executable, "sys.py"], **config}, root=tmp_path)


def kill_leftover(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    if pid_file.exists() and running(int(pid_file.read_text())):
        os.kill(int(pid_file.read_text()), 9)


@pytest.mark.parametrize(
    ("setsid", "daemon", "child_seconds"),
    [(False, False, 15), (False, False, 120), (True, False, 120), (True, True, 120)],
    ids=["child-15s", "child-holds-stdout", "setsid-child-holds-stdout", "daemon-stdout-closed"],
)
def test_a_program_that_answers_and_exits_is_done_and_its_children_stopped(
    tmp_path, setsid, daemon, child_seconds
):
    body = f"SETSID, DAEMON, CHILD_SECONDS = {setsid}, {daemon}, {child_seconds}\n"
    sysm = system(tmp_path, body + LEAVES_A_CHILD, timeout=5)
    try:
        answers, seconds = bounded(lambda: sysm.translate_batch(REQS), limit=60)
        assert answers == ["TEXT 0", "TEXT 1"], answers  # not "no answer within timeout"
        assert seconds < 5  # the program exited at once; nobody waited for its child
        child = int((tmp_path / "child.pid").read_text())
        assert not running(child), "a child of the program is still running"
    finally:
        kill_leftover(tmp_path)


HANGS_WITH_A_SETSID_CHILD = (
    "import os, sys, time\n"
    "sys.stdin.read()\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"  # a grandchild of another session, orphaned at once
    "        open('child.pid', 'w').write(str(os.getpid()))\n"
    "        time.sleep(300)\n"
    "    os._exit(0)\n"
    "while not os.path.exists('child.pid'): time.sleep(0.01)\n"
    "print('loading model...', file=sys.stderr, flush=True)\n"
    "time.sleep(300)\n"
)


def test_a_timeout_is_wall_clock_and_stops_every_process_started(tmp_path):
    sysm = system(tmp_path, HANGS_WITH_A_SETSID_CHILD, timeout=2)
    try:
        error, seconds = bounded(lambda: sysm.translate_batch(REQS), limit=60)
        assert isinstance(error, SystemError_), error
        assert "no answer within timeout=2s" in str(error) and "loading model" in str(error)
        assert seconds < 15
        assert not running(int((tmp_path / "child.pid").read_text()))
    finally:
        kill_leftover(tmp_path)


PERSISTENT_WITH_A_DAEMON = (
    "import json, os, sys, time\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    open('child.pid', 'w').write(str(os.getpid()))\n"
    "    time.sleep(300)\n"
    "    os._exit(0)\n"
    "while not os.path.exists('child.pid'): time.sleep(0.01)\n"
    "for line in sys.stdin:\n"
    "    r = json.loads(line)\n"
    "    print(json.dumps({'id': r['id'], 'output': r['text']}), flush=True)\n"
)


def test_closing_a_persistent_program_stops_what_it_started(tmp_path):
    sysm = system(tmp_path, PERSISTENT_WITH_A_DAEMON, persistent=True, timeout=10)
    try:
        answers, _ = bounded(lambda: sysm.translate_batch(REQS))
        assert answers == ["text 0", "text 1"]
        child = int((tmp_path / "child.pid").read_text())
        assert running(child, wait=0)
        bounded(sysm.close, limit=30)
        assert not running(child)
    finally:
        kill_leftover(tmp_path)


def test_escape_sequences_on_stderr_do_not_reach_the_terminal(tmp_path):
    body = (
        "import sys\nsys.stdin.read()\n"
        "sys.stderr.write('\\x1b[2J\\x1b[H\\x1b]0;owned title\\x07\\x1b]8;;http://x\\x1b\\\\'"
        " + 'fatal: \\x9b31mCUDA\\x1bc out of memory\\r\\n')\n"
        "sys.exit(1)\n"
    )
    error, _ = bounded(lambda: system(tmp_path, body).translate_batch(REQS))
    message = str(error)
    assert "fatal: CUDA out of memory" in message
    assert not any(c in message for c in "\x1b\x07\x9b\r"), repr(message)
    assert "owned title" not in message


FLOOD = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
from evalkit.systems.base import Request
from evalkit.systems.command import CommandSystem
program = (
    "import json, os, sys\\n"
    "reqs = [json.loads(l) for l in sys.stdin]\\n"
    "block = b'e' * (1 << 20)\\n"
    "for _ in range(int(sys.argv[1])): os.write(2, block)\\n"
    "os.write(2, b'the last words')\\n"
    "for r in reqs: print(json.dumps({'id': r['id'], 'output': r['text']}))\\n"
)
open("flood.py", "w").write(program)
system = CommandSystem("mt", {"command": [sys.executable, "flood.py", sys.argv[2]],
                              "timeout": 300}, root=os.getcwd())
reqs = [Request("p0/title/en-ko", "translation", "hi", "en", "ko")]
answers = system.translate_batch(reqs)
# VmHWM: this program's own peak (ru_maxrss keeps the forking parent's across exec)
peak = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
peak //= 1024
print(json.dumps({"answers": answers, "peak_mb": peak}))
"""


def test_a_stderr_flood_keeps_memory_bounded(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", FLOOD, str(REPO), "400"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["answers"] == ["hi"]
    assert result["peak_mb"] < 150, result  # 400 MB of stderr kept whole takes over 800


def test_the_marker_reaches_the_program(tmp_path):
    body = ANSWER + "print(os.environ.get('" + MARKER + "', ''), file=sys.stderr)\nsys.exit(1)\n"
    error, _ = bounded(lambda: system(tmp_path, body).translate_batch(REQS))
    assert len(str(error).rsplit("stderr: ", 1)[1]) == 16
