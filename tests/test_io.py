import json

import pytest

from evalkit.errors import ConfigError, DataError
from evalkit.io import JsonlAppender, read_jsonl, safe_name, write_json


@pytest.mark.parametrize(
    "bad", ["../x", "/etc/passwd", "a/b", "a\x00b", ".hidden", "..", "", "a\\b"]
)
def test_safe_name_rejects_path_tricks(bad):
    with pytest.raises(ConfigError):
        safe_name(bad, what="system name")


def test_safe_name_accepts_plain():
    assert safe_name("my-translator_v2.1", what="system") == "my-translator_v2.1"


def test_write_json_adds_schema_version(tmp_path):
    write_json(tmp_path / "a.json", {"x": 1})
    assert json.loads((tmp_path / "a.json").read_text())["schema_version"] == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_appender_repairs_torn_tail(tmp_path):
    p = tmp_path / "o.jsonl"
    p.write_text('{"id": 1}\n{"id": 2')  # killed mid-line
    with JsonlAppender(p) as out:
        out.write({"id": 3})
    assert [r["id"] for _, r in read_jsonl(p)] == [1, 3]


def test_read_jsonl_names_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"a": 1}\nnot json\n')
    with pytest.raises(DataError, match=r"bad.jsonl:2"):
        list(read_jsonl(p))


def test_written_files_are_readable_by_others_like_open(tmp_path):
    import os

    write_json(tmp_path / "a.json", {"x": 1})
    (tmp_path / "b.txt").write_text("x")
    assert (
        os.stat(tmp_path / "a.json").st_mode & 0o777 == os.stat(tmp_path / "b.txt").st_mode & 0o777
    )
