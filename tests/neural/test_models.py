"""Finding models on this machine only."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from evalkit.errors import ConfigError
from evalkit.models import fingerprint, resolve_model


def test_folder_resolves_with_a_content_fingerprint(tiny, tmp_path):
    m = resolve_model(str(tiny["bert"]), what="bertscore")
    assert m.path == tiny["bert"].resolve() and m.name == "bert"
    assert m.revision.startswith("fp-") and len(m.revision) == 15
    copy = tmp_path / "bert"
    shutil.copytree(tiny["bert"], copy)
    assert fingerprint(copy) == m.revision
    (copy / "config.json").write_text((copy / "config.json").read_text() + " ")
    assert fingerprint(copy) != m.revision


def test_hub_name_resolves_from_the_local_cache_only(tiny, tmp_path, monkeypatch):
    from huggingface_hub import constants

    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--acme--tiny-bert"
    shutil.copytree(tiny["bert"], repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    m = resolve_model("acme/tiny-bert", what="bertscore")
    assert m.path == repo / "snapshots" / commit
    assert (m.name, m.revision) == ("acme/tiny-bert", commit[:12])


@pytest.mark.parametrize("spec", ["acme/not-cached", "roberta-large"])
def test_uncached_hub_name_is_a_one_line_error(spec, tmp_path, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "empty"))
    with pytest.raises(ConfigError) as err:
        resolve_model(spec, what="bertscore")
    msg = str(err.value)
    assert "\n" not in msg and repr(spec) in msg and "local Hugging Face cache" in msg


def test_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(ConfigError) as err:
        resolve_model(str(tmp_path / "no" / "such-model"), what="comet")
    msg = str(err.value)
    assert "\n" not in msg and "such-model" in msg and "does not exist" in msg


def test_a_file_is_not_a_model_folder(tmp_path):
    f = tmp_path / "model.bin"
    f.write_bytes(b"x")
    with pytest.raises(ConfigError, match="is a file"):
        resolve_model(str(f), what="bertscore")


def test_importing_the_modules_does_not_import_torch():
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    code = (
        "import sys, evalkit.scorers.neural.bertscore, evalkit.scorers.neural.comet, "
        "evalkit.systems.hf; from evalkit.scorers import SCORERS; "
        "from evalkit.systems import KINDS; "
        "assert SCORERS.get('bertscore').__name__ == 'BERTScoreScorer'; "
        "assert SCORERS.get('comet').__name__ == 'CometScorer'; "
        "assert KINDS.get('hf').__name__ == 'HFSystem'; "
        "bad = [m for m in ('torch', 'transformers', 'numpy') if m in sys.modules]; "
        "assert not bad, bad"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=repo,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(repo), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
