"""The python and outputs kinds and the built-ins."""

import json

import pytest

from evalkit.errors import ConfigError, DataError, SystemError_
from evalkit.systems.base import Request
from evalkit.systems.builtins import CopySource, Lead
from evalkit.systems.outputs import OutputsSystem
from evalkit.systems.python_callable import PythonSystem

REQS = [Request(f"p{i}", "translation", f"Text {i}. More.", "en", "ko") for i in range(3)]


def test_python_callable_gets_requests():
    system = PythonSystem("py", {}, function=lambda rs: [f"{r.tgt_lang}:{r.text}" for r in rs])
    assert system.translate_batch(REQS[:1]) == ["ko:Text 0. More."]


def test_python_callable_raising_names_system_and_ids():
    def boom(requests):
        raise RuntimeError("weights missing")

    with pytest.raises(
        SystemError_, match=r"'py' failed on 3 example\(s\) \[p0, p1, p2\]: raised RuntimeError"
    ):
        PythonSystem("py", {}, function=boom).translate_batch(REQS)


def test_python_callable_timeout():
    import threading

    release = threading.Event()
    system = PythonSystem("py", {"timeout": 0.2}, function=lambda rs: release.wait(30) and [])
    with pytest.raises(SystemError_, match="timeout=0.2s"):
        system.translate_batch(REQS)
    release.set()


@pytest.mark.parametrize(
    "answer, match",
    [
        (lambda rs: ["x"], "answered 1 outputs for 3 requests"),
        (lambda rs: [None] * len(rs), "NoneType, not text"),
        (lambda rs: ["\ud800"] * len(rs), "not valid Unicode"),
        (lambda rs: "abc", "expected a list"),
    ],
)
def test_python_callable_bad_answers(answer, match):
    with pytest.raises(SystemError_, match=match):
        PythonSystem("py", {}, function=answer).translate_batch(REQS)


def test_python_callable_needs_a_spec():
    with pytest.raises(ConfigError):
        PythonSystem("py", {"callable": "no_colon"})


def test_outputs_file_matched_by_id(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(
        "".join(json.dumps({"id": f"p{i}", "output": f"o{i}"}) + "\n" for i in (2, 1, 0, 9))
    )
    system = OutputsSystem("ext", {"path": "out.jsonl"}, root=tmp_path)
    assert system.translate_batch(REQS) == ["o0", "o1", "o2"]
    assert system.version
    with pytest.raises(SystemError_, match=r"\[p7\]: no output with this id"):
        system.translate_batch([Request("p7", "translation", "t", "en", "ko")])


def test_outputs_file_errors(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        OutputsSystem("ext", {"path": "missing.jsonl"}, root=tmp_path)
    (tmp_path / "o.jsonl").write_text('{"id": "p0", "output": "a"}\n{"id": "p0", "output": "b"}\n')
    with pytest.raises(DataError, match=r"o.jsonl:2: id 'p0' appears twice"):
        OutputsSystem("ext", {"path": "o.jsonl"}, root=tmp_path).translate_batch(REQS[:1])


def test_builtins():
    assert CopySource("copy-source").translate_batch(REQS[:1]) == ["Text 0. More."]
    assert Lead("lead", {"sentences": 1}).translate_batch(REQS[:1]) == ["Text 0."]
    with pytest.raises(ConfigError):
        Lead("lead", {"sentences": 0})
