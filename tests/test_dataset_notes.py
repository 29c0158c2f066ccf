"""The dataset side of the notes: commentary examples, duplicate ids, unknown weeks."""

import json

import pytest

from evalkit import dataset
from evalkit.errors import ConfigError, DataError
from evalkit.extract import extract

NOTE = (
    "https://arxiv.org/abs/2502.01456\n\n*Process Reinforcement* (Ann Lee)\n\n> Abstract.\n\n"
    "한국어 코멘트.\n\n<english>\nEnglish commentary.\n</english>\n\n#rl\n"
)


@pytest.fixture
def notes(tmp_path):
    path = tmp_path / "250203 PRIME.md"
    path.write_text(NOTE, encoding="utf-8")
    return extract([path]).papers


def test_commentary_is_a_translation_field_ko_en_by_default(notes):
    [example] = dataset.build_examples(notes)
    assert example.id == "2025-W06-process-reinforcement/commentary/ko-en"
    assert (example.field, example.source, example.reference) == (
        "commentary",
        "한국어 코멘트.",
        "English commentary.",
    )
    [en_ko] = dataset.build_examples(notes, pairs=["en-ko"], fields=["commentary"])
    assert en_ko.id.endswith("/commentary/en-ko") and en_ko.source == "English commentary."
    assert dataset.build_examples(notes, fields=["title"]) == []


def test_default_examples_on_the_bundled_data_do_not_change():
    papers = dataset.load()
    examples = dataset.build_examples(papers, tasks=["translation", "summarization"])
    assert len(examples) == 172
    assert not any(e.field == "commentary" for e in examples)  # Korean commentary only


def test_duplicate_paper_ids_name_both_lines(tmp_path):
    papers = dataset.load()
    path = dataset.save(papers, tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        dataset.load(path)
    message = str(err.value)
    assert f"papers.jsonl:{len(lines) + 1}:" in message and "papers.jsonl:2" in message
    assert json.loads(lines[1])["id"] in message


@pytest.mark.parametrize(
    "week, hint", [("2023-W99", "2023-W"), ("2023-41", "did you mean '2023-W41'?")]
)
def test_unknown_weeks_list_the_dataset_weeks(week, hint):
    papers = dataset.load()
    with pytest.raises(ConfigError) as err:
        dataset.build_examples(papers, weeks=[week])
    message = str(err.value)
    assert f"week {week!r} is not in the dataset" in message
    assert "2023-W31, 2023-W36, 2023-W41, 2024-W42" in message and hint in message
