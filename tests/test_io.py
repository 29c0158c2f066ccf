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


# --- the one write path: confinement, special targets, temporary files ----------------

import os  # noqa: E402
import stat  # noqa: E402

from evalkit import fsplace  # noqa: E402
from evalkit.io import (  # noqa: E402
    UnsafePathError,
    append_text,
    atomic_write_bytes,
    confine,
    make_dirs,
    read_input_jsonl,
    remove,
    remove_tree,
)


def _outside(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_text("line one\nline two")
    return elsewhere, victim


def test_confined_write_refuses_a_planted_file_link(tmp_path):
    elsewhere, victim = _outside(tmp_path)
    root = tmp_path / "results"
    (root / "runs" / "r1").mkdir(parents=True)
    (root / "runs" / "r1" / "run.json").symlink_to(victim)
    (root / "runs" / "r1" / "missing.json").symlink_to(elsewhere / "created.json")
    with confine(root):
        for name in ("run.json", "missing.json"):
            with pytest.raises(UnsafePathError, match="symbolic link"):
                write_json(root / "runs" / "r1" / name, {"x": 1})
        with pytest.raises(UnsafePathError):
            JsonlAppender(root / "runs" / "r1" / "run.json")
        with pytest.raises(UnsafePathError):
            append_text(root / "runs" / "r1" / "missing.json", "x")
    assert victim.read_text() == "line one\nline two"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"]


@pytest.mark.parametrize("planted", ["runs", "runs/r1", "runs/r1/charts"])
def test_confined_write_refuses_a_planted_folder_link(tmp_path, planted):
    elsewhere, _ = _outside(tmp_path)
    root = tmp_path / "results"
    link = root / planted
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere, target_is_directory=True)
    target = root / "runs" / "r1" / "charts" / "bleu.png"
    with confine(root):
        with pytest.raises(UnsafePathError, match=f"{link} is a symbolic link"):
            atomic_write_bytes(target, b"png")
        with pytest.raises(UnsafePathError):
            JsonlAppender(target)
        with pytest.raises(UnsafePathError):
            make_dirs(target.parent)
        with pytest.raises(UnsafePathError):
            remove(target)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"]


def test_a_dangling_folder_link_creates_nothing_outside(tmp_path):
    root = tmp_path / "results"
    root.mkdir()
    (root / "runs").symlink_to(tmp_path / "nowhere")
    with confine(root), pytest.raises(UnsafePathError):
        make_dirs(root / "runs" / "r1")
    assert not (tmp_path / "nowhere").exists()


def test_the_root_itself_may_be_a_link_the_user_made(tmp_path):
    real = tmp_path / "big-disk"
    real.mkdir()
    (tmp_path / "results").symlink_to(real, target_is_directory=True)
    with confine(tmp_path / "results"):
        write_json(tmp_path / "results" / "runs" / "r1" / "run.json", {"x": 1})
        with JsonlAppender(tmp_path / "results" / "cache" / "c.jsonl") as out:
            out.write({"k": 1})
    assert json.loads((real / "runs" / "r1" / "run.json").read_text())["x"] == 1
    assert (real / "cache" / "c.jsonl").read_text() == '{"k": 1}\n'


def test_remove_tree_removes_a_planted_link_not_its_target(tmp_path):
    elsewhere, victim = _outside(tmp_path)
    root = tmp_path / "out"
    root.mkdir()
    (root / "data").symlink_to(elsewhere, target_is_directory=True)
    with confine(root):
        remove_tree(root / "data")
    assert not (root / "data").exists() and victim.exists()
    (root / "data" / "sub").mkdir(parents=True)
    (root / "data" / "sub" / "link").symlink_to(elsewhere, target_is_directory=True)
    with confine(root):
        remove_tree(root / "data")
    assert not (root / "data").exists() and victim.exists()


def test_a_character_device_target_is_streamed_not_replaced(tmp_path):
    null = tmp_path / "null"
    null.symlink_to("/dev/null")
    atomic_write_bytes(null, b"baseline")
    assert null.is_symlink() and os.readlink(null) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_target_is_streamed(tmp_path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    atomic_write_bytes(fifo, b"<xml/>")
    reader.join(10)
    assert got == [b"<xml/>"] and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_link_to_a_regular_file_is_refused(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "baseline.json"
    link.symlink_to(real)
    with pytest.raises(DataError, match="baseline.json: is a symbolic link to a file"):
        atomic_write_bytes(link, b"new")
    assert link.is_symlink() and real.read_text() == "old"


@pytest.mark.parametrize("kind", ["dangling", "socket", "folder"])
def test_other_targets_are_refused_and_left_alone(tmp_path, kind):
    import socket

    target = tmp_path / "target"
    if kind == "dangling":
        target.symlink_to(tmp_path / "missing")
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(target))
    else:
        target.mkdir()
    before = os.lstat(target)
    with pytest.raises((DataError, OSError)) as exc:
        atomic_write_bytes(target, b"x")
    assert str(target) in str(exc.value)
    after = os.lstat(target)
    assert (before.st_ino, before.st_mode) == (after.st_ino, after.st_mode)
    assert not (tmp_path / "missing").exists()


def test_errors_name_the_target_not_the_temporary_file(tmp_path, monkeypatch):
    real_open = os.open

    def refuse_tmp(path, flags, *args, **kwargs):
        if str(path).endswith(".tmp"):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_tmp)
    with pytest.raises(OSError) as exc:
        atomic_write_bytes(tmp_path / "index.md", b"x")
    assert exc.value.filename == str(tmp_path / "index.md")
    assert ".tmp" not in str(exc.value)


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit, OSError])
def test_temporary_file_removed_on_any_exception(tmp_path, monkeypatch, interrupt):
    def fail(fd):
        raise interrupt()

    monkeypatch.setattr(os, "fsync", fail)
    (tmp_path / "a.parquet").write_bytes(b"old")
    with pytest.raises(interrupt):
        atomic_write_bytes(tmp_path / "a.parquet", b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["a.parquet"]
    assert (tmp_path / "a.parquet").read_bytes() == b"old"


def test_roots_are_released(tmp_path):
    with confine(tmp_path):
        assert fsplace.root_of(tmp_path / "x") == str(tmp_path)
    assert fsplace.root_of(tmp_path / "x") is None


def test_read_input_jsonl_names_file_and_line(tmp_path):
    p = tmp_path / "outputs.jsonl"
    p.write_bytes(b'{"id": "a", "output": "x"}\n\n{"id": "b", "output": "y"}\n')
    assert [(n, r["id"]) for n, r in read_input_jsonl(p)] == [(1, "a"), (3, "b")]
    for bad, message in [
        (b"{oops\n", "invalid JSON line"),
        (b"null\n", "expected a JSON object"),
        (b"[1, 2]\n", "expected a JSON object"),
        (b'{"id": "\xff"}\n', "line is not valid utf-8"),
    ]:
        p.write_bytes(b'{"id": "a", "output": "x"}\n\n' + bad)
        with pytest.raises(DataError, match=rf"outputs.jsonl:3: {message}"):
            list(read_input_jsonl(p))
    with pytest.raises(DataError, match="file not found"):
        list(read_input_jsonl(tmp_path / "missing.jsonl"))
