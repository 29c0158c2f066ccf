"""Prompt template files for openai systems, and few-shot examples from other weeks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit.errors import ConfigError
from evalkit.fewshot import choose_shots
from evalkit.systems.prompt_file import load_prompt_file

VALUES = {
    "text": "Hello {task}",
    "src_lang": "en",
    "tgt_lang": "ko",
    "src_name": "English",
    "tgt_name": "Korean",
    "task": "translation",
    "field": "abstract",
}


def write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_messages_with_shots_before_the_last_user_turn(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[messages]]\nrole = "system"\ncontent = "Translate {field}s to {tgt_name}."\n'
        '[[messages]]\nrole = "user"\ncontent = "{src_name}: {text}"\n'
        '[[summarization.messages]]\nrole = "user"\ncontent = "Summarize: {text}"\n',
    )
    prompt = load_prompt_file(path)
    msgs = prompt.messages(VALUES, shots=[("a", "가"), ("b", "나")])
    assert msgs == [
        {"role": "system", "content": "Translate abstracts to Korean."},
        {"role": "user", "content": "English: a"},
        {"role": "assistant", "content": "가"},
        {"role": "user", "content": "English: b"},
        {"role": "assistant", "content": "나"},
        {"role": "user", "content": "English: Hello {task}"},  # inserted text is not filled
    ]
    summ = prompt.messages({**VALUES, "task": "summarization"})
    assert summ == [{"role": "user", "content": "Summarize: Hello {task}"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[messages]]\nrole = "user"\ncontent = "{txt}"\n', "unknown placeholder {txt}"),
        ('[[messages]]\nrole = "robot"\ncontent = "x"\n', "role must be one of"),
        ('[[messages]]\nrole = "system"\ncontent = "x"\n', "at least one user message"),
        ('[[messages]]\nrole = "user"\ncontnt = "x"\n', "unknown key 'contnt'"),
        ("mesages = []\n", "unknown key 'mesages'"),
        ("messages = [\n", "not valid TOML"),
        ("[translation]\nx = 1\n", "must hold only messages"),
    ],
)
def test_bad_prompt_files_are_one_line_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match="prompt file .*p.toml") as err:
        load_prompt_file(path)
    assert message in str(err.value) and "\n" not in str(err.value)


@dataclass(frozen=True)
class Ex:
    id: str
    week: str
    task: str = "translation"
    field: str = "abstract"
    src_lang: str = "en"
    tgt_lang: str = "ko"
    source: str = "s"
    reference: str = "r"


@settings(max_examples=60, deadline=None)
@given(
    weeks=st.lists(st.sampled_from(["2023-W41", "2023-W42", "2023-W43"]), min_size=1, max_size=30),
    fields=st.lists(st.sampled_from(["title", "abstract"]), min_size=30, max_size=30),
    n=st.integers(min_value=0, max_value=4),
)
def test_shots_never_come_from_the_week_evaluated(weeks, fields, n) -> None:
    examples = [
        Ex(f"p{i}/{fields[i]}", w, field=fields[i], source=f"src{i}", reference=f"ref{i}")
        for i, w in enumerate(weeks)
    ]
    shots = choose_shots(examples, n)
    by_source = {e.source: e for e in examples}
    for e in examples:
        chosen = [by_source[s] for s, _ in shots[e.id]]
        assert all(c.week != e.week for c in chosen)
        assert len(chosen) == min(n, sum(1 for c in examples if c.week != e.week))
        same_field = sum(1 for c in examples if c.week != e.week and c.field == e.field)
        assert sum(1 for c in chosen if c.field == e.field) == min(n, same_field)
    assert choose_shots(examples, n) == shots  # stable
