from pathlib import Path

import pytest

from evalkit.errors import ConfigError
from evalkit.publish import layout


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
