"""The hf system kind on tiny local seq2seq (T5) and causal (GPT-2) models."""

from __future__ import annotations

import json
import shutil

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from evalkit.errors import ConfigError
from evalkit.systems import KINDS
from evalkit.systems.base import Request
from evalkit.systems.hf import HFSystem, cut_at_stop, render_prompt

REQUESTS = [
    Request(
        id="p1/title/en-ko",
        task="translation",
        text="The cat sat on the mat.",
        src_lang="en",
        tgt_lang="ko",
    ),
    Request(
        id="p2/title/en-ja",
        task="translation",
        text="Attention is all you need.",
        src_lang="en",
        tgt_lang="ja",
    ),
    Request(
        id="p3/abstract/en-ko",
        task="translation",
        text="Large language models improve long context performance.",
        src_lang="en",
        tgt_lang="ko",
    ),
    Request(
        id="p4/summarize/ko-ko",
        task="summarization",
        text="어텐션 모델의 성능이 향상되었다.",
        src_lang="ko",
        tgt_lang="ko",
    ),
    Request(id="p5/title/en-ko", task="translation", text="x", src_lang="en", tgt_lang="ko"),
]


@pytest.mark.parametrize(("model", "kind"), [("t5", "seq2seq"), ("gpt2", "causal")])
def test_one_string_per_request_deterministic_and_batch_invariant(tiny, model, kind):
    system = KINDS.get("hf")(
        "tiny", {"model": str(tiny[model]), "batch_size": 2, "max_new_tokens": 6}
    )
    assert system.task_type() == kind
    out = system.translate_batch(REQUESTS)
    assert len(out) == len(REQUESTS) and all(isinstance(o, str) for o in out)
    assert any(out), "a random model still generates something"
    assert system.translate_batch(REQUESTS) == out
    one = HFSystem("tiny", {"model": str(tiny[model]), "batch_size": 1, "max_new_tokens": 6})
    assert one.translate_batch(REQUESTS) == out
    assert system.translate_batch(REQUESTS[2:3]) == out[2:3]


def test_version_follows_the_model_files(tiny, tmp_path):
    folder = tmp_path / "t5"
    shutil.copytree(tiny["t5"], folder)
    system = HFSystem("t", {"model": str(folder), "version": "2"})
    before = system.version
    assert before.startswith("2+fp-")
    cfg = json.loads((folder / "config.json").read_text())
    cfg["max_length"] = 7
    (folder / "config.json").write_text(json.dumps(cfg))
    assert HFSystem("t", {"model": str(folder), "version": "2"}).version != before
    assert system.spec()["kind"] == "hf" and system.spec()["model"] == str(folder)


def test_prompts_and_chat_template(tiny, tmp_path):
    from transformers import AutoTokenizer

    r = REQUESTS[0]
    assert (
        render_prompt("{src_name}->{tgt_name} ({task}, {src_lang}-{tgt_lang}): {text}", r)
        == "English->Korean (translation, en-ko): The cat sat on the mat."
    )
    with pytest.raises(ConfigError, match="fields"):
        render_prompt("{source}", r)
    system = HFSystem(
        "g", {"model": str(tiny["gpt2"]), "prompt": {"translation": "T[{tgt_lang}] {text}"}}
    )
    tok = AutoTokenizer.from_pretrained(tiny["gpt2"])
    prompts, chat = system._prompts(tok, "causal", [r], "translation")
    assert prompts == ["T[ko] The cat sat on the mat."] and not chat
    assert "Summarize" in system.template("summarization", "causal")
    tok.chat_template = "{% for m in messages %}<user>{{ m['content'] }}</user>{% endfor %}<bot>"
    prompts, chat = system._prompts(tok, "causal", [r], "translation")
    assert prompts == ["<user>T[ko] The cat sat on the mat.</user><bot>"] and chat
    folder = tmp_path / "chat"
    shutil.copytree(tiny["gpt2"], folder)
    tok.save_pretrained(folder)
    chatty = HFSystem("c", {"model": str(folder), "max_new_tokens": 3, "stop": ["\n"]})
    assert len(chatty.translate_batch(REQUESTS[:2])) == 2
    plain = HFSystem("c", {"model": str(tiny["gpt2"]), "chat_template": True})
    with pytest.raises(ConfigError, match="has none"):
        plain.translate_batch(REQUESTS[:1])


def test_cut_at_stop():
    assert cut_at_stop(" 안녕하세요\n\nEnglish: hi", ["\n\n"]) == "안녕하세요"
    assert cut_at_stop("abc", ["", "z"]) == "abc"


def test_missing_model_and_bad_config_are_one_line_errors(tiny, tmp_path):
    with pytest.raises(ConfigError) as err:
        HFSystem("mt", {"model": str(tmp_path / "opus-mt-en-ko")})
    assert "opus-mt-en-ko" in str(err.value) and "'mt'" in str(err.value)
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="'model'"):
        HFSystem("mt", {})
    with pytest.raises(ConfigError, match="unknown key"):
        HFSystem("mt", {"model": str(tiny["t5"]), "temperature": 0.7})
    with pytest.raises(ConfigError, match="task_type"):
        HFSystem("mt", {"model": str(tiny["t5"]), "task_type": "encoder"})
    with pytest.raises(ConfigError, match="batch_size"):
        HFSystem("mt", {"model": str(tiny["t5"]), "batch_size": 0})
    with pytest.raises(ConfigError, match="CUDA is not available|unknown device"):
        HFSystem("mt", {"model": str(tiny["t5"]), "device": "tpu"}).translate_batch(REQUESTS[:1])


def test_lang_codes_force_the_first_target_token(tiny):
    codes = {"en": "e", "ko": "k", "ja": "j"}  # single bytes of the tiny byte vocabulary
    system = HFSystem(
        "nllb-like", {"model": str(tiny["t5"]), "max_new_tokens": 4, "lang_codes": codes}
    )
    out = system.translate_batch(REQUESTS[:3])
    assert [o[:1] for o in out] == ["k", "j", "k"]
    bad = HFSystem("x", {"model": str(tiny["t5"]), "lang_codes": {"en": "e", "ko": "<kor>"}})
    with pytest.raises(ConfigError, match="not a token"):
        bad.translate_batch(REQUESTS[:1])
    with pytest.raises(ConfigError, match="no code for"):
        bad.translate_batch(REQUESTS[1:2])
