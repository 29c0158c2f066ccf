"""The published folder of the bundled sample digests, loaded back with `datasets`."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
import yaml
from helpers import run_cli

from evalkit import dataset
from evalkit.cli import main

WEEKS = {
    "w2023_31": "2023-W31",
    "w2023_36": "2023-W36",
    "w2023_41": "2023-W41",
    "w2024_42": "2024-W42",
}

LOADER = textwrap.dedent("""
    import json, sys
    import datasets
    folder, cache = sys.argv[1], sys.argv[2]
    out = {}
    for config in datasets.get_dataset_config_names(folder):
        dd = datasets.load_dataset(folder, config, cache_dir=cache)
        out[config] = {
            split: {
                "num_bytes": ds.data.nbytes,
                "features": {k: type(v).__name__ for k, v in ds.features.items()},
                "languages": getattr(ds.features.get("translation"), "languages", None),
                "rows": ds.to_list(),
            }
            for split, ds in dd.items()
        }
    print(json.dumps(out, ensure_ascii=False))
""")


@pytest.fixture(scope="module")
def bundled():
    return dataset.load()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """`evalkit publish --dry-run` with every default but --out: the bundled digests."""
    out = tmp_path_factory.mktemp("hub") / "evalkit__ml-paper-digests"
    assert (
        main(["publish", "--repo-id", "evalkit/ml-paper-digests", "--out", str(out), "--dry-run"])
        == 0
    )
    return out


@pytest.fixture(scope="module")
def loaded(folder, tmp_path_factory):
    """Every config loaded by `datasets` in a fresh, offline process with its own cache."""
    home = tmp_path_factory.mktemp("hf_home")
    env = {
        **os.environ,
        "HF_HOME": str(home),
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_CACHE": str(home / "datasets"),
    }
    proc = subprocess.run(
        [sys.executable, "-c", LOADER, str(folder), str(home / "cache")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


def test_bundled_dataset_is_what_the_extractor_promises(bundled):
    assert len(bundled) == 36
    assert sorted({p.week for p in bundled}) == sorted(WEEKS.values())


def test_every_config_and_split(loaded):
    assert sorted(loaded) == ["en-ja", "en-ko", "papers", "summarization"]
    assert sorted(loaded["papers"]) == sorted(["test", *WEEKS])
    assert sorted(loaded["en-ko"]) == ["test", "w2023_41", "w2024_42"]
    assert sorted(loaded["en-ja"]) == ["test", "w2023_36"]
    assert sorted(loaded["summarization"]) == ["test", "w2023_36", "w2023_41", "w2024_42"]


def test_papers_config_is_the_dataset(loaded, bundled):
    test = loaded["papers"]["test"]["rows"]
    assert len(test) == 36
    by_id = {p.id: p for p in bundled}
    assert sorted(r["id"] for r in test) == sorted(by_id)
    for row in test:
        paper = by_id[row["id"]]
        for field in dataset.TEXT_FIELDS:
            assert row[field] == {lang: paper.text(field, lang) for lang in dataset.LANGS}
        assert row["authors"] == paper.authors and row["tags"] == paper.tags
        assert [json.loads(s) for s in row["sources"]] == paper.sources
        assert [json.loads(f) for f in row["flags"]] == paper.flags
    for split, week in WEEKS.items():
        rows = loaded["papers"][split]["rows"]
        assert (
            len(rows) == sum(p.week == week for p in bundled) == (6 if week == "2023-W31" else 10)
        )
        assert {r["week"] for r in rows} == {week}


@pytest.mark.parametrize("pair,counts", [("en-ko", (20, 20, 19)), ("en-ja", (10, 10, 9))])
def test_translation_configs(loaded, bundled, pair, counts):
    config = loaded[pair]
    test = config["test"]
    assert test["features"]["translation"] == "Translation"
    assert test["languages"] == pair.split("-")
    got = tuple(sum(r["field"] == f for r in test["rows"]) for f in dataset.TEXT_FIELDS)
    assert got == counts
    examples = dataset.build_examples(bundled, tasks=["translation"], pairs=[pair])
    src, tgt = pair.split("-")
    assert [(r["id"], r["translation"]) for r in test["rows"]] == [
        (ex.id, {src: ex.source, tgt: ex.reference}) for ex in examples
    ]
    for split, rows in ((s, v["rows"]) for s, v in config.items() if s != "test"):
        assert {r["week"] for r in rows} == {WEEKS[split]}
    assert sum(len(v["rows"]) for s, v in config.items() if s != "test") == sum(counts)


def test_summarization_config(loaded, bundled):
    test = loaded["summarization"]["test"]
    examples = dataset.build_examples(bundled, tasks=["summarization"])
    assert [(r["id"], r["abstract"], r["summary"]) for r in test["rows"]] == [
        (ex.id, ex.source, ex.reference) for ex in examples
    ]
    pairs = {}
    for r in test["rows"]:
        key = f"{r['src_lang']}-{r['tgt_lang']}"
        pairs[key] = pairs.get(key, 0) + 1
    assert pairs == {"en-en": 28, "ko-ko": 19, "ja-ja": 9, "en-ko": 19, "en-ja": 9}


def test_card_names_every_config_with_its_counts(folder, loaded, bundled):
    text = (folder / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert [c["config_name"] for c in meta["configs"]] == [
        "papers",
        "en-ko",
        "en-ja",
        "summarization",
    ]
    for info in meta["dataset_info"]:
        for split in info["splits"]:
            got = loaded[info["config_name"]][split["name"]]
            assert split["num_examples"] == len(got["rows"])
            assert split["num_bytes"] == got["num_bytes"]
    assert f"fingerprint: `{dataset.fingerprint(bundled)}`" in text
    # Limitations computed from the data: Q-Transformer's title is the same in en and ja.
    copies = [p.id for p in bundled if p.title["ja"] and p.title["ja"] == p.title["en"]]
    assert len(copies) == 1 and "q-transformer" in copies[0]
    assert "- In 1 translation pair the reference equals the source" in text
    assert "- 6 of the papers have no text in a second language" in text
    assert "| `test` | all | 2023-07-31 .. 2024-10-20 | 36 | 20 / 20 / 19 | 10 / 10 / 9 |" in text
    assert (
        "| `w2023_36` | 2023-W36 | 2023-09-04 .. 2023-09-10 | 10 | 0 / 0 / 0 | 10 / 10 / 9 |"
        in text
    )


def test_rebuild_is_byte_identical(folder, tmp_path):
    again = tmp_path / "again"
    assert (
        main(["publish", "--repo-id", "evalkit/ml-paper-digests", "--out", str(again), "--dry-run"])
        == 0
    )
    first = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert len(first) == 1 + 5 + 3 + 2 + 4
    assert first == second


def test_dataset_stats_command(bundled):
    proc = run_cli("dataset", "stats", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    stats = json.loads(proc.stdout)
    assert stats["schema_version"] == 1
    assert stats["fingerprint"] == dataset.fingerprint(bundled)
    total = stats["total"]
    assert total["papers"] == 36
    assert total["translation"]["en-ko"] == {
        "title": 20,
        "summary": 20,
        "abstract": 19,
        "total": 59,
    }
    assert total["translation"]["en-ja"] == {"title": 10, "summary": 10, "abstract": 9, "total": 29}
    assert [w["week"] for w in stats["weeks"]] == sorted(WEEKS.values())
    assert [w["papers"] for w in stats["weeks"]] == [6, 10, 10, 10]
    assert stats["configs"]["en-ko"] == {"test": 59, "w2023_41": 30, "w2024_42": 29}
    text = run_cli("dataset", "stats")
    assert text.returncode == 0
    assert (
        "| `test` | all | 2023-07-31 .. 2024-10-20 | 36 | 20 / 20 / 19 | 10 / 10 / 9 |"
        in text.stdout
    )
