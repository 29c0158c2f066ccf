"""Regression tests for what the reliability work found."""

from __future__ import annotations

import sys

import pytest

from evalkit.errors import SystemError_, UnknownNameError
from evalkit.registry import import_spec
from evalkit.scorers.tokenizers import get_tokenizer
from evalkit.systems.base import Request
from evalkit.systems.command import CommandSystem


@pytest.mark.parametrize(("name", "unit"), [("ko-mecab", "번역 "), ("ja-mecab", "🚀")])
def test_mecab_tokenizes_a_line_of_megabytes(name, unit):
    """MeCab returns nothing for such a line; sacrebleu then raised AttributeError."""
    line = unit * (2_500_000 // len(unit))
    tokens = get_tokenizer(name)(line).split()
    assert len(tokens) >= len(line) // 3


@pytest.mark.parametrize("name", ["ko-mecab", "ja-mecab"])
def test_mecab_on_ordinary_text_is_sacrebleus(name):
    ours = get_tokenizer(name)
    raw = ours._tok  # type: ignore[attr-defined]  # sacrebleu's (another would leak maps)
    for line in [
        "링 어텐션은 컨텍스트를 확장합니다. GPT-4 모델 성능 향상",
        "リングアテンションは文脈を拡張する。" * 200,  # 3,800 characters, no space
        "x" * 4_999,
        ("가나다 " * 30_000).strip(),  # 120,000 characters, pieces cut at spaces
    ]:
        assert ours(line) == raw(line)
    assert ours.signature() == raw.signature()  # type: ignore[attr-defined]


def test_a_long_run_without_spaces_is_cut_into_pieces():
    from evalkit.scorers.tokenizers import _MECAB_RUN, _pieces

    line = "ab cd " + "x" * (3 * _MECAB_RUN) + " ef"
    pieces = _pieces(line)
    assert "".join(pieces) == line and all(len(p) <= _MECAB_RUN for p in pieces)


def test_a_module_failing_on_import_is_one_line(tmp_path, monkeypatch):
    (tmp_path / "broken_mt_mod.py").write_text("def f(:\n", encoding="utf-8")
    (tmp_path / "raising_mt_mod.py").write_text("raise RuntimeError('no GPU')\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(UnknownNameError, match="SyntaxError") as info:
        import_spec("broken_mt_mod:f")
    assert "\n" not in str(info.value)
    with pytest.raises(UnknownNameError, match="RuntimeError: no GPU"):
        import_spec("raising_mt_mod:f")


def test_secrets_of_the_env_table_are_scrubbed_from_stderr(tmp_path):
    secret = "cfg-secret-value-123456"
    body = (
        "import os, sys\nsys.stdin.read()\n"
        "print('x' * 590 + os.environ['MY_API_TOKEN'], file=sys.stderr)\nsys.exit(1)\n"
    )
    (tmp_path / "s.py").write_text(body, encoding="utf-8")
    system = CommandSystem(
        "mt",
        {"command": [sys.executable, "s.py"], "env": {"MY_API_TOKEN": secret}},
        root=tmp_path,
    )
    with pytest.raises(SystemError_) as info:
        system.translate_batch([Request("a", "translation", "t", "en", "ko")])
    message = str(info.value)
    assert "exited with status 1" in message and message.endswith("***")
    assert secret not in message and secret[10:] not in message  # not even its tail
