import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from evalkit import dataset
from evalkit.errors import ConfigError
from evalkit.publish import layout

REPO = Path(__file__).resolve().parents[2]

LOADER = textwrap.dedent("""
    import json, sys
    import datasets
    folder, cache = sys.argv[1], sys.argv[2]
    out = {}
    for config in datasets.get_dataset_config_names(folder):
        dd = datasets.load_dataset(folder, config, cache_dir=cache)
        out[config] = {
            split: {
                "rows": ds.num_rows,
                "num_bytes": ds.data.nbytes,
                "features": {k: type(v).__name__ for k, v in ds.features.items()},
                "languages": getattr(ds.features.get("translation"), "languages", None),
                "first": ds[0],
                "ids": list(ds["id"]),
            }
            for split, ds in dd.items()
        }
    print(json.dumps(out))
""")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def built(papers, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub") / "org__name"
    result = layout.build(papers, repo_id="org/name")
    layout.write(result, folder)
    return result, folder


@pytest.fixture(scope="module")
def loaded(built, tmp_path_factory):
    """Every config loaded by `datasets` in a fresh, offline process with its own cache."""
    _, folder = built
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


def test_folder_layout(built):
    result, folder = built
    files = sorted(_files(folder))
    assert files[-1] == "data/summarization/w2024_42-00000-of-00001.parquet"
    assert "README.md" in files
    assert "data/en-ko/w2023_41-00000-of-00001.parquet" in files
    assert "data/en-ja/w2023_36-00000-of-00001.parquet" in files
    assert "data/en-ko/w2023_36-00000-of-00001.parquet" not in files  # no Korean that week
    assert len(files) == 1 + 5 + 3 + 2 + 4  # no summarization in the notes week
    assert sorted(result.file_map()) == files


def test_datasets_loads_every_config(loaded, papers, built):
    result, _ = built
    assert sorted(loaded) == ["en-ja", "en-ko", "papers", "summarization"]
    papers_cfg = loaded["papers"]
    assert sorted(papers_cfg) == ["test", "w2023_31", "w2023_36", "w2023_41", "w2024_42"]
    assert papers_cfg["test"]["rows"] == len(papers)
    for split, info in papers_cfg.items():
        if split != "test":
            week = split[1:5] + "-W" + split[6:]
            assert info["rows"] == sum(p.week == week for p in papers)
    examples = dataset.build_examples(papers, tasks=["translation", "summarization"])
    for config, pair_filter in (("en-ko", "en-ko"), ("en-ja", "en-ja")):
        test = loaded[config]["test"]
        expected = [ex.id for ex in examples if ex.task == "translation" and ex.pair == pair_filter]
        assert test["ids"] == expected
        assert test["features"]["translation"] == "Translation"
        assert test["languages"] == config.split("-")
    assert sorted(loaded["en-ko"]) == ["test", "w2023_41", "w2024_42"]
    assert sorted(loaded["en-ja"]) == ["test", "w2023_36"]
    summ = loaded["summarization"]["test"]
    assert summ["ids"] == [ex.id for ex in examples if ex.task == "summarization"]
    first = loaded["en-ko"]["test"]["first"]
    assert first["translation"] == {"en": "KO paper 0 of 2023-W41", "ko": "논문 0"}
    # The sizes the card declares are the sizes datasets measures.
    for f in result.files:
        info = loaded[f.config][f.split]
        assert (info["rows"], info["num_bytes"]) == (f.num_examples, f.num_bytes)


def test_same_dataset_same_bytes(papers, built, tmp_path):
    _, folder = built
    again = tmp_path / "again"
    shuffled = list(reversed(papers))
    layout.write(layout.build(shuffled, repo_id="org/name"), again)
    assert _files(again) == _files(folder)


def test_rebuild_replaces_an_earlier_build(papers, tmp_path):
    folder = tmp_path / "out"
    layout.write(layout.build(papers, repo_id="org/name"), folder)
    fewer = [p for p in papers if p.week != "2024-W42"]
    layout.write(layout.build(fewer, repo_id="org/name"), folder)
    names = _files(folder)
    assert not [n for n in names if "w2024_42" in n]
    assert "data/papers/w2023_41-00000-of-00001.parquet" in names


def test_refuses_to_clear_a_foreign_folder(papers, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="not written by evalkit publish"):
        layout.write(layout.build(papers, repo_id="org/name"), tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    (tmp_path / "notes.txt").unlink()
    (tmp_path / "README.md").write_text("# my project\n")
    with pytest.raises(ConfigError):
        layout.write(layout.build(papers, repo_id="org/name"), tmp_path)


@pytest.mark.parametrize("repo_id", ["org/name", "my-org/ml.paper_digests-2", "A/b"])
def test_valid_repo_ids(repo_id):
    assert layout.validate_repo_id(repo_id) == repo_id


@pytest.mark.parametrize(
    "repo_id",
    [
        "name",
        "org/",
        "/name",
        "a/b/c",
        "org/na me",
        "org/a--b",
        "org/a..b",
        "org/name.git",
        "../x",
        "org/-x",
        "o" * 97 + "/x",
    ],
)
def test_invalid_repo_ids(repo_id):
    with pytest.raises(ConfigError, match="not a Hub repository id"):
        layout.validate_repo_id(repo_id)


def test_default_out():
    assert layout.default_out("org/name") == Path("data/hub/org__name")
