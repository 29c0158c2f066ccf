import json
import re

import pytest
import yaml

from evalkit import __version__, dataset
from evalkit.cli import main
from evalkit.publish import counts as dataset_counts
from evalkit.publish import layout
from evalkit.publish import tables as T


@pytest.fixture(scope="module")
def card(papers):
    return layout.build(papers, repo_id="org/name", license_id="cc-by-4.0").card


def _front_matter(text):
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


def test_yaml_metadata(card, papers):
    meta, _ = _front_matter(card)
    assert meta["language"] == ["en", "ko", "ja"]
    assert meta["license"] == "cc-by-4.0"
    assert meta["task_categories"] == ["translation", "summarization"]
    assert "machine-generated" in meta["language_creators"]
    assert meta["annotations_creators"] == ["machine-generated"]
    assert meta["size_categories"] == ["n<1K"]
    assert meta["pretty_name"] and meta["source_datasets"]
    assert "translation" in meta["multilinguality"]
    configs = {c["config_name"]: c for c in meta["configs"]}
    # every config with rows, in CONFIGS order; no commentary pair in this dataset
    assert list(configs) == [c for c in T.CONFIGS if c != T.COMMENTARY_CONFIG]
    assert configs["papers"]["default"] is True
    assert not any(c.get("default") for n, c in configs.items() if n != "papers")
    tables = {t.name: t for t in T.build_tables(papers)}
    for name, config in configs.items():
        splits = [f["split"] for f in config["data_files"]]
        assert splits == [s.name for s in tables[name].splits]
        assert all(re.match(r"^\w+(\.\w+)*$", s) for s in splits)
        assert [f["path"] for f in config["data_files"]] == [
            layout.data_path(name, s) for s in splits
        ]
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    assert infos["en-ko"]["splits"][0] == {
        "name": "test",
        "num_bytes": infos["en-ko"]["splits"][0]["num_bytes"],
        "num_examples": 6 + 6 + 5,
    }
    assert infos["en-ja"]["features"][-1] == {
        "name": "translation",
        "dtype": {"translation": {"languages": ["en", "ja"]}},
    }


def test_card_yaml_is_what_datasets_reads(card):
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCardData

    meta, _ = _front_matter(card)
    infos = DatasetInfosDict.from_dataset_card_data(DatasetCardData(**meta))
    assert set(infos) == set(T.CONFIGS) - {T.COMMENTARY_CONFIG}
    assert infos["en-ko"].splits["test"].num_examples == 17
    assert type(infos["en-ko"].features["translation"]).__name__ == "Translation"


def test_prose(card, papers):
    _, body = _front_matter(card)
    for heading in (
        "## Where the data comes from",
        "## Configs and splits",
        "## Counts per week, config and language pair",
        "## Fields",
        "## Example records",
        "## How it was extracted",
        "## Limitations",
        "## Citation",
    ):
        assert heading in body
    assert f"evalkit {__version__}" in body
    assert dataset.fingerprint(papers) in body
    assert "machine translations" in body
    assert 'load_dataset("org/name", "en-ko", split="test")' in body
    # Counts table: one line per week split and one for test, with the en-ko cells.
    assert "| `w2023_41` | 2023-W41 | 2023-10-09 .. 2023-10-15 | 3 | 3 / 3 / 3 |" in body
    assert "| `test` | all | 2023-07-31 .. 2024-10-20 | 10 | 6 / 6 / 5 | 2 / 2 / 1 |" in body
    # Where from: one paragraph per source format present.
    assert "PyTorchKR community's weekly posts (Korean and Japanese)" in body
    assert "paper notes are one reader's notes on arXiv papers" in body
    assert "Human-translated ko-en commentary pairs (notes): 0." in body
    assert "- No human-translated pair: no note has both" in body
    assert "arXiv metadata snapshot" not in body
    # Every source file is named.
    for name in ("000_notes.txt", "003_ja.txt", "kr_2023-W41.txt", "kr_2024-W42.txt"):
        assert f"`{name}`" in body
    # Every column of every config is documented.
    for config in [c for c in T.CONFIGS if c != T.COMMENTARY_CONFIG]:
        section = body.split(f"\n`{config}`:\n", 1)[1].lstrip("\n").split("\n\n", 1)[0]
        assert section.startswith("| field | type | meaning |")
        for column in T.columns(config):
            assert re.search(rf"`[^`]*\b{column}\b[^`]*`", section), (config, column)
    example = body.split("A row of `en-ko`:\n\n```json\n", 1)[1].split("\n```", 1)[0]
    assert json.loads(example)["translation"] == {"en": "KO paper 0 of 2023-W41", "ko": "논문 0"}


def test_bibtex(card, papers):
    bib = card.split("```bibtex\n", 1)[1].split("\n```", 1)[0]
    assert bib.startswith("@misc{org_name,")
    assert bib.count("{") == bib.count("}")
    assert "https://huggingface.co/datasets/org/name" in bib
    assert dataset.fingerprint(papers) in bib
    assert "year         = {2024}" in bib


def test_dataset_card_command_prints_the_published_card(dataset_dir, tmp_path, capsys):
    assert main(["dataset", "card", "--dataset", str(dataset_dir), "--repo-id", "org/name"]) == 0
    printed = capsys.readouterr().out
    out = tmp_path / "repo"
    assert (
        main(
            [
                "publish",
                "--repo-id",
                "org/name",
                "--dataset",
                str(dataset_dir),
                "--out",
                str(out),
                "--dry-run",
            ]
        )
        == 0
    )
    assert (out / "README.md").read_text(encoding="utf-8") == printed


def test_dataset_stats_json(dataset_dir, papers, capsys):
    assert main(["dataset", "stats", "--dataset", str(dataset_dir), "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["schema_version"] == 1
    assert got["fingerprint"] == dataset.fingerprint(papers)
    assert [w["split"] for w in got["weeks"]] == ["w2023_31", "w2023_36", "w2023_41", "w2024_42"]
    assert got["total"]["papers"] == len(papers)
    assert got["total"]["translation"]["en-ko"] == {
        "title": 6,
        "summary": 6,
        "abstract": 5,
        "total": 17,
    }
    assert got["total"]["translation"]["en-ja"] == {
        "title": 2,
        "summary": 2,
        "abstract": 1,
        "total": 5,
    }
    w42 = got["weeks"][3]
    assert w42["translation"]["en-ko"]["abstract"] == 2
    assert w42["summarization"] == {
        "en-en": 2,
        "ko-ko": 2,
        "ja-ja": 0,
        "en-ko": 2,
        "en-ja": 0,
        "total": 6,
    }
    assert got["configs"]["en-ja"] == {"test": 5, "w2023_36": 5}
    for week in got["weeks"]:
        assert week["papers"] == sum(p.week == week["week"] for p in papers)


def test_dataset_stats_text(dataset_dir, papers, capsys):
    assert main(["dataset", "stats", "--dataset", str(dataset_dir)]) == 0
    out = capsys.readouterr().out
    counts = dataset_counts.compute(papers)
    assert dataset_counts.markdown_table(counts) in out
    assert "| `w2023_31` | 2023-W31 | 2023-07-31 .. 2023-08-06 | 2 | 0 / 0 / 0 | 0 / 0 / 0 |" in out
    assert "| `w2023_36` | 1 | - | 5 | 3 |" not in out  # papers column: two JA papers
    assert "| `w2023_36` | 2 | - | 5 | 3 |" in out


def test_dataset_requires_an_action(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["dataset"])
    assert exc.value.code == 2


def test_bad_dataset_path_is_one_line_error(tmp_path, capsys):
    assert main(["dataset", "stats", "--dataset", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err.strip()
    assert "missing" in err and len(err.splitlines()) == 1
