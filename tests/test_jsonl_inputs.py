"""JSON lines that users hand in, read through jsonlines: errors name the file and line."""

import json

import pytest

from evalkit.digests import arxiv_metadata
from evalkit.errors import DataError
from evalkit.systems.base import Request
from evalkit.systems.outputs import OutputsSystem

REQ = [Request("p0", "translation", "t", "en", "ko")]


@pytest.mark.parametrize(
    "bad,message",
    [
        ("{not json", "invalid JSON line"),
        ("null", "expected a JSON object"),
        ('["p0", "a"]', "expected a JSON object"),
        ('{"id": "p0"}', 'expected {"id": ..., "output": ...}'),
    ],
)
def test_outputs_file_bad_line_is_named(tmp_path, bad, message):
    path = tmp_path / "o.jsonl"
    path.write_text('{"id": "p9", "output": "x"}\n\n' + bad + "\n", encoding="utf-8")
    system = OutputsSystem("ext", {"path": "o.jsonl"}, root=tmp_path)
    with pytest.raises(DataError) as exc:
        system.translate_batch(REQ)
    assert str(exc.value).startswith(f"{path}:3: {message}")


def test_outputs_file_with_blank_lines_and_crlf(tmp_path):
    rows = [{"id": "p0", "output": "안녕"}, {"id": "p1", "output": "b"}]
    (tmp_path / "o.jsonl").write_bytes(
        b"\r\n".join(json.dumps(r, ensure_ascii=False).encode() for r in rows) + b"\r\n\r\n"
    )
    system = OutputsSystem("ext", {"path": "o.jsonl"}, root=tmp_path)
    assert system.translate_batch(REQ) == ["안녕"]


def test_arxiv_metadata_reads_wanted_lines_and_names_bad_ones(tmp_path):
    path = tmp_path / "snapshot.jsonl"
    path.write_bytes(
        b'{"id": "2301.00001", "title": "A"}\n'
        b'{"id": "2301.00002", "title": \n'  # wanted, broken
        b"\n"
        b'{"id": "2301.00003", "title": "\xff"}\n'  # wanted, not UTF-8
        b'{"id": "9999.99999", "title": broken but not wanted\n'
        b'{"id": "2301.00004v2", "title": "D"}\n'
    )
    wanted = {"2301.00001", "2301.00002", "2301.00003", "2301.00004"}
    found, problems = arxiv_metadata.read(path, wanted)
    assert {k: v[0] for k, v in found.items()} == {"2301.00001": 1, "2301.00004": 6}
    assert found["2301.00004"][1]["title"] == "D"
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (2, "invalid JSON line"),
        (4, "line is not valid utf-8"),
    ]
    assert all(p.file == str(path) for p in problems)
