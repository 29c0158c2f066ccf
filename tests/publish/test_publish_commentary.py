"""The notes' human ko-en commentary pairs: config, counts, card, and loading them back."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
import yaml

from evalkit import dataset
from evalkit.cli import main
from evalkit.publish import counts as dataset_counts
from evalkit.publish import tables as T

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
                "languages": getattr(ds.features.get("translation"), "languages", None),
                "feature": type(ds.features.get("translation")).__name__,
                "rows": ds.to_list(),
            }
            for split, ds in dd.items()
        }
    print(json.dumps(out, ensure_ascii=False))
""")


@pytest.fixture(scope="module")
def folder(tmp_path_factory, with_commentary):
    papers_dir = tmp_path_factory.mktemp("papers")
    dataset.save(with_commentary, papers_dir)
    out = tmp_path_factory.mktemp("hub") / "org__name"
    args = ["publish", "--repo-id", "org/name", "--dataset", str(papers_dir), "--out", str(out)]
    assert main([*args, "--dry-run"]) == 0
    return out


@pytest.fixture(scope="module")
def loaded(folder, tmp_path_factory):
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


def test_commentary_rows_are_the_pairs_with_both_sides(with_commentary, papers):
    rows = T.rows(with_commentary, T.COMMENTARY_CONFIG)
    assert [r["id"] for r in rows] == [
        "2024-W02-moe-note-0/commentary/ko-en",
        "2024-W02-moe-note-1/commentary/ko-en",
    ]
    assert rows[0]["translation"] == {
        "ko": "라우팅을 단순화한 방법이네요.\n실험이 작습니다.",
        "en": "Simpler routing.\nSmall.",
    }
    assert {r["field"] for r in rows} == {"commentary"}
    # Korean only, blank English, or no commentary: no pair.
    blank = dataset.Paper.from_dict(
        {**with_commentary[-1].to_dict(), "commentary": {"ko": "한국어", "en": "  "}}
    )
    assert T.commentary_pair(blank) is None
    assert T.rows(papers, T.COMMENTARY_CONFIG) == []


def test_every_config_loads_offline_with_the_commentary_config(loaded):
    assert sorted(loaded) == sorted(T.CONFIGS)
    config = loaded[T.COMMENTARY_CONFIG]
    assert sorted(config) == ["test", "w2024_02"]
    test = config["test"]
    assert test["feature"] == "Translation"
    assert test["languages"] == ["ko", "en"]
    assert [r["translation"] for r in test["rows"]] == [
        {"en": "Simpler routing.\nSmall.", "ko": "라우팅을 단순화한 방법이네요.\n실험이 작습니다."},
        {"en": "A good dataset.", "ko": "좋은 데이터셋입니다."},
    ]
    assert config["w2024_02"]["rows"] == test["rows"]
    # The week with notes but Korean-only commentary has no commentary split.
    assert "w2023_31" not in config
    assert len(loaded["papers"]["w2024_02"]["rows"]) == 3


def test_card_declares_what_datasets_loads(folder, loaded):
    text = (folder / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert [c["config_name"] for c in meta["configs"]] == list(T.CONFIGS)
    assert "expert-generated" in meta["language_creators"]
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    assert set(infos) == set(T.CONFIGS)
    for name, info in infos.items():
        assert [s["name"] for s in info["splits"]] == [
            f["split"] for c in meta["configs"] if c["config_name"] == name for f in c["data_files"]
        ]
        for split in info["splits"]:
            got = loaded[name][split["name"]]
            assert split["num_examples"] == len(got["rows"])
            assert split["num_bytes"] == got["num_bytes"]
    assert infos[T.COMMENTARY_CONFIG]["features"][-1] == {
        "name": "translation",
        "dtype": {"translation": {"languages": ["ko", "en"]}},
    }
    assert "Human-translated ko-en commentary pairs (notes): 2." in text
    assert "- Only the 2 `commentary-ko-en` pairs are human-translated" in text
    assert "No human-translated pair" not in text
    assert f"- `{T.COMMENTARY_CONFIG}`: Korean -> English, human-translated" in text
    assert f"\n`{T.COMMENTARY_CONFIG}`:\n\n| field | type | meaning |" in text


def test_stats_count_the_commentary_pairs(with_commentary, tmp_path, capsys):
    counts = dataset_counts.compute(with_commentary)
    assert counts["total"]["commentary"] == {"ko-en": 2}
    by_week = {w["week"]: w["commentary"]["ko-en"] for w in counts["weeks"]}
    assert by_week == {"2023-W31": 0, "2023-W36": 0, "2023-W41": 0, "2024-W02": 2, "2024-W42": 0}
    assert counts["configs"][T.COMMENTARY_CONFIG] == {"test": 2, "w2024_02": 2}
    dataset.save(with_commentary, tmp_path)
    assert main(["dataset", "stats", "--dataset", str(tmp_path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"]["commentary"] == {"ko-en": 2}
    assert main(["dataset", "stats", "--dataset", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "commentary ko-en (human) |" in out.splitlines()[0]
    test_line = next(line for line in out.splitlines() if line.startswith("| `test`"))
    assert test_line.endswith("| 2 |")
