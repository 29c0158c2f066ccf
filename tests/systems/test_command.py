"""The command kind: JSON lines over stdin/stdout, failures with the tail of stderr."""

import sys
from pathlib import Path

import pytest

from evalkit.errors import ConfigError, SystemError_
from evalkit.systems.base import Request
from evalkit.systems.command import CommandSystem

REQS = [Request(f"p{i}/title/en-ko", "translation", f"text {i}", "en", "ko") for i in range(3)]


def system(tmp_path: Path, body: str, **config) -> CommandSystem:
    (tmp_path / "sys.py").write_text(body, encoding="utf-8")
    return CommandSystem("mt", {"command": [sys.executable, "sys.py"], **config}, root=tmp_path)


ECHO = (
    "import json, sys\n"
    "for line in sys.stdin:\n"
    "    r = json.loads(line)\n"
    "    print(json.dumps({'id': r['id'], 'output': r['tgt_lang'] + ':' + r['text']}))\n"
)


def test_answers_in_request_order_matched_by_id(tmp_path):
    body = (
        "import json, sys\n"
        "reqs = [json.loads(l) for l in sys.stdin]\n"
        "for r in reversed(reqs):\n"
        "    print(json.dumps({'id': r['id'], 'output': r['text'][::-1]}))\n"
    )
    assert system(tmp_path, body).translate_batch(REQS) == ["0 txet", "1 txet", "2 txet"]


def test_request_lines_follow_the_contract(tmp_path):
    body = (
        "import json, sys\n"
        "for l in sys.stdin:\n"
        "    r = json.loads(l)\n"
        "    print(json.dumps({'id': r['id'], 'output': ','.join(sorted(r))}))\n"
    )
    out = system(tmp_path, body).translate_batch(REQS[:1])
    assert out == ["id,src_lang,task,text,tgt_lang"]


def test_unicode_round_trip(tmp_path):
    reqs = [Request("a", "translation", "링 어텐션 · リング 🚀", "ko", "ja")]
    assert system(tmp_path, ECHO).translate_batch(reqs) == ["ja:링 어텐션 · リング 🚀"]


def test_no_shell_metacharacters_are_literal(tmp_path):
    sysm = CommandSystem(
        "mt", {"command": [sys.executable, "-c", ECHO, "; touch pwned"]}, root=tmp_path
    )
    assert sysm.translate_batch(REQS[:1]) == ["ko:text 0"]
    assert not (tmp_path / "pwned").exists()


def test_shell_string_is_rejected():
    with pytest.raises(ConfigError, match="argv list"):
        CommandSystem("mt", {"command": "python translate.py"})


def failure(tmp_path, body, **config) -> str:
    with pytest.raises(SystemError_) as info:
        system(tmp_path, body, **config).translate_batch(REQS)
    message = str(info.value)
    assert "'mt'" in message and "p0/title/en-ko" in message and "\n" not in message
    return message


def test_nonzero_exit_shows_stderr_tail(tmp_path):
    body = (
        "import sys\nsys.stdin.read()\nprint('x' * 5000, file=sys.stderr)\n"
        "print('CUDA out of memory', file=sys.stderr)\nsys.exit(3)\n"
    )
    message = failure(tmp_path, body)
    assert "exited with status 3" in message and "CUDA out of memory" in message
    assert len(message) < 1000


def test_exception_traceback_tail(tmp_path):
    message = failure(tmp_path, "raise ValueError('model weights missing')\n")
    assert "ValueError: model weights missing" in message


def test_hang_past_timeout_is_killed(tmp_path):
    message = failure(tmp_path, "import time\ntime.sleep(60)\n", timeout=0.5)
    assert "timeout=0.5s" in message


def test_wrong_count(tmp_path):
    body = (
        "import json, sys\nfor l in list(sys.stdin)[:2]:\n    print(json.dumps({'output': 'x'}))\n"
    )
    assert "answered 2 lines for 3 requests" in failure(tmp_path, body)


def test_non_text_output(tmp_path):
    body = (
        "import json, sys\nfor l in sys.stdin:\n"
        "    print(json.dumps({'id': json.loads(l)['id'], 'output': 42}))\n"
    )
    assert "output is int, not text" in failure(tmp_path, body)


def test_invalid_utf8(tmp_path):
    body = (
        "import sys\nsys.stdin.read()\n"
        'sys.stdout.buffer.write(b\'{"output": "\\xff\\xfe"}\\n\' * 3)\n'
    )
    assert "not valid UTF-8" in failure(tmp_path, body)


def test_invalid_json(tmp_path):
    body = "import sys\nsys.stdin.read()\nprint('loading model...')\n"
    assert "stdout line 1 is not JSON" in failure(tmp_path, body)


def test_huge_output(tmp_path):
    body = (
        "import json, sys\n"
        "for l in sys.stdin:\n"
        "    print(json.dumps({'id': json.loads(l)['id'], 'output': 'a' * 10_000_000}))\n"
    )
    assert "over max_output_chars=100,000" in failure(tmp_path, body)


def test_missing_program(tmp_path):
    sysm = CommandSystem("mt", {"command": ["./no-such-translator"]}, root=tmp_path)
    with pytest.raises(SystemError_, match="cannot start"):
        sysm.translate_batch(REQS)


def test_secrets_in_stderr_are_scrubbed(tmp_path, monkeypatch):
    monkeypatch.setenv("MY_API_KEY", "sk-sentinel-123456")
    body = (
        "import os, sys\nprint('key is', os.environ['MY_API_KEY'], file=sys.stderr)\nsys.exit(1)\n"
    )
    message = failure(tmp_path, body)
    assert "sk-sentinel-123456" not in message and "***" in message


def test_version_follows_the_script(tmp_path):
    sysm = system(tmp_path, ECHO)
    before = sysm.version
    (tmp_path / "sys.py").write_text(ECHO + "# changed\n", encoding="utf-8")
    assert before and sysm.version != before
    assert system(tmp_path, ECHO, version="v7").version == "v7"


PERSISTENT = (
    "import json, os, sys\n"
    "open('starts', 'a').write('+\\n')\n"
    "for line in sys.stdin:\n"
    "    r = json.loads(line)\n"
    "    if r['text'] == 'die':\n"
    "        print('fatal: cannot go on', file=sys.stderr, flush=True)\n"
    "        sys.exit(4)\n"
    "    if r['text'] == 'hang':\n"
    "        import time; time.sleep(60)\n"
    "    print(json.dumps({'id': r['id'], 'output': r['text'].upper()}), flush=True)\n"
)


def test_persistent_program_serves_every_batch(tmp_path):
    sysm = system(tmp_path, PERSISTENT, persistent=True)
    try:
        for _ in range(3):
            assert sysm.translate_batch(REQS) == ["TEXT 0", "TEXT 1", "TEXT 2"]
    finally:
        sysm.close()
    assert (tmp_path / "starts").read_text().count("+") == 1


def test_persistent_program_dying_fails_its_batch_and_restarts(tmp_path):
    sysm = system(tmp_path, PERSISTENT, persistent=True, timeout=5)
    bad = [REQS[0], Request("p9/title/en-ko", "translation", "die", "en", "ko")]
    try:
        with pytest.raises(SystemError_) as info:
            sysm.translate_batch(bad)
        message = str(info.value)
        assert "exited with status 4 after 1 of 2 answers" in message
        assert "fatal: cannot go on" in message and "p9/title/en-ko" in message
        assert sysm.translate_batch(REQS[:1]) == ["TEXT 0"]
    finally:
        sysm.close()
    assert (tmp_path / "starts").read_text().count("+") == 2


def test_persistent_program_hanging_is_killed(tmp_path):
    sysm = system(tmp_path, PERSISTENT, persistent=True, timeout=0.5)
    hang = [Request("p8/title/en-ko", "translation", "hang", "en", "ko")]
    try:
        with pytest.raises(SystemError_, match=r"timeout=0.5s \(0 of 1 lines"):
            sysm.translate_batch(hang)
        assert sysm.translate_batch(REQS[:1]) == ["TEXT 0"]
    finally:
        sysm.close()
