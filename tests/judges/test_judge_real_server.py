"""A judge served by a real OpenAI-compatible server (``transformers serve``) on a tiny
model the test builds: its answers are nonsense, which proves the unparseable path and
the protocol against a server evalkit did not write."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="transformers[serving] (installed by .ci/run)")
pytest.importorskip("uvicorn", reason="transformers[serving] (installed by .ci/run)")

from evalkit.judges.scorers import GembaMQMScorer  # noqa: E402
from tests.neural.tiny_models import build_gpt2  # noqa: E402

pytestmark = pytest.mark.slow

CHAT_TEMPLATE = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}assistant:"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served_model(tmp_path_factory: pytest.TempPathFactory):
    # GEMBA's few-shot prompt is about 6,000 bytes: positions for all of it
    folder = build_gpt2(tmp_path_factory.mktemp("tiny-judge") / "gpt2", n_positions=16384)
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    config["chat_template"] = CHAT_TEMPLATE
    (folder / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cli = Path(sys.executable).with_name("transformers")
    proc = subprocess.Popen(
        [str(cli), "serve", "--host", "127.0.0.1", "--port", str(port), str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=folder.parent,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                    pytest.fail(f"transformers serve did not start: {err[-2000:]}")
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/v1", str(folder)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_nonsense_answers_are_unparsed_and_counted(
    served_model, tmp_path: Path, monkeypatch
) -> None:
    base_url, model = served_model
    (tmp_path / "evalkit.toml").write_text(
        "[systems.tiny]\n"
        'kind = "openai"\n'
        f'base_url = "{base_url}"\n'
        f'model = "{model}"\n'
        "max_tokens = 12\n"
        "timeout = 120\n"
        "retries = 0\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    scorer = GembaMQMScorer(
        lang="ko", judge="tiny", parse_retries=1, cache_dir=str(tmp_path / "cache")
    )
    stats = scorer.segment_stats(
        hyps=["모델은 작다.", "주의를 쓴다."],
        refs=["모델은 작습니다.", "어텐션을 사용합니다."],
        srcs=["The model is small.", "It uses attention."],
    )
    comps = scorer.components(stats.sum(axis=0))
    assert comps["judged"] == 0 and comps["unparsed"] == 2 and comps["failed"] == 0
    assert "score" not in comps  # nothing judged: no score, never 0 or -25
    usage = scorer.usage
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    # every answer was cached: a second scorer asks nothing
    again = GembaMQMScorer(
        lang="ko", judge="tiny", parse_retries=1, cache_dir=str(tmp_path / "cache")
    )
    again.segment_stats(
        hyps=["모델은 작다."], refs=["모델은 작습니다."], srcs=["The model is small."]
    )
    assert again.usage.prompt_tokens == 0
