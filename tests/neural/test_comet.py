"""COMET on tiny checkpoints in unbabel-comet's layout, checked against its numbers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
import torch
import yaml

from evalkit.errors import ConfigError
from evalkit.scorers.neural.comet import CometScorer
from evalkit.scorers.neural.comet_model import sparsemax

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = json.loads((DATA / "comet_reference.json").read_text(encoding="utf-8"))
SRCS, HYPS, REFS = REFERENCE["srcs"], REFERENCE["hyps"], REFERENCE["refs"]


class NotWeights:
    """A pickled object a weights-only load refuses."""


@pytest.mark.parametrize("name", sorted(REFERENCE["models"]))
def test_scores_equal_unbabel_comet(tiny, name):
    expected = REFERENCE["models"][name]
    scorer = CometScorer(lang="ko", model=str(tiny[name]), batch_size=2)
    st = scorer.segment_stats(hyps=HYPS, refs=REFS, srcs=SRCS)
    np.testing.assert_allclose(st[:, 0], expected["scores"], atol=2e-6)
    score = scorer.score(hyps=HYPS, refs=REFS, srcs=SRCS, n_resamples=100)
    assert score.score == pytest.approx(expected["system"], abs=2e-6)


def test_shapes_determinism_batching_and_corpus_mean(tiny):
    a = CometScorer(lang="ja", model=str(tiny["comet"]), batch_size=1)
    b = CometScorer(lang="ja", model=str(tiny["comet"]), batch_size=16)
    st = a.segment_stats(hyps=HYPS, refs=REFS, srcs=SRCS)
    assert st.shape == (len(HYPS), 2) and a.stat_names == ("score", "count")
    assert np.all(np.isfinite(st)) and np.all(st[:, 1] == 1.0)
    np.testing.assert_array_equal(st, a.segment_stats(hyps=HYPS, refs=REFS, srcs=SRCS))
    np.testing.assert_allclose(b.segment_stats(hyps=HYPS, refs=REFS, srcs=SRCS), st, atol=1e-6)
    score = a.score(hyps=HYPS, refs=REFS, srcs=SRCS, n_resamples=200)
    assert score.score == pytest.approx(float(st[:, 0].mean()), abs=1e-12)
    assert score.ci95[0] <= score.score <= score.ci95[1]
    assert len(a.segment_stats(hyps=[], refs=[], srcs=[])) == 0


def test_checkpoint_file_path_and_signature(tiny):
    scorer = CometScorer(lang="ko", model=str(tiny["comet"] / "checkpoints" / "model.ckpt"))
    sig = scorer.signature()
    for part in (
        "nrefs:1|model:comet@fp-",
        "class:regression_metric",
        "encoder:xlmr@fp-",
        "|layer:mix|",
        "|pool:avg|",
        "|bs:16|",
        "torch:",
    ):
        assert part in sig
    qe = CometScorer(lang="ko", model=str(tiny["comet_qe"]))
    assert qe.signature().startswith("nrefs:0|") and "|layer:1|pool:max|" in qe.signature()


def test_sources_are_required(tiny):
    scorer = CometScorer(lang="ko", model=str(tiny["comet"]))
    assert CometScorer.needs_sources
    with pytest.raises(ConfigError, match="source segments"):
        scorer.segment_stats(hyps=HYPS, refs=REFS)
    with pytest.raises(ConfigError, match="must align"):
        scorer.segment_stats(hyps=HYPS, refs=REFS, srcs=SRCS[:2])


def test_sparsemax_matches_its_definition():
    z = torch.tensor([1.0, 0.5, -1.0])
    torch.testing.assert_close(sparsemax(z), torch.tensor([0.75, 0.25, 0.0]))
    rng = np.random.default_rng(0)
    for _ in range(20):
        v = torch.from_numpy(rng.normal(0, 2, size=6).astype(np.float32))
        p = sparsemax(v)
        assert float(p.sum()) == pytest.approx(1.0, abs=1e-6) and bool((p >= 0).all())
        # the Euclidean projection onto the simplex: p = max(z - tau, 0)
        support = p > 0
        tau = (v[support] - p[support]).mean()
        torch.testing.assert_close(p, torch.clamp(v - tau, min=0), atol=1e-6, rtol=0)


def test_missing_model_and_encoder_are_one_line_errors(tiny, tmp_path):
    with pytest.raises(ConfigError) as err:
        CometScorer(lang="ko", model=str(tmp_path / "wmt22-comet-da"))
    assert "wmt22-comet-da" in str(err.value) and "\n" not in str(err.value)
    folder = tmp_path / "comet"
    shutil.copytree(tiny["comet"], folder)
    hp = yaml.safe_load((folder / "hparams.yaml").read_text())
    hp["pretrained_model"] = "acme/xlm-roberta-tiny-absent"
    (folder / "hparams.yaml").write_text(yaml.safe_dump(hp))
    with pytest.raises(ConfigError) as err:
        CometScorer(lang="ko", model=str(folder))
    assert "acme/xlm-roberta-tiny-absent" in str(err.value) and "\n" not in str(err.value)
    assert CometScorer(lang="ko", model=str(folder), encoder=str(tiny["xlmr"])).segment_stats(
        hyps=HYPS[:1], refs=REFS[:1], srcs=SRCS[:1]
    ).shape == (1, 2)
    (folder / "checkpoints" / "model.ckpt").unlink()
    with pytest.raises(ConfigError, match="model.ckpt is missing"):
        CometScorer(lang="ko", model=str(folder))


def test_unsupported_class_is_refused(tiny, tmp_path):
    folder = tmp_path / "kiwi"
    shutil.copytree(tiny["comet"], folder)
    hp = yaml.safe_load((folder / "hparams.yaml").read_text())
    hp["class_identifier"] = "unified_metric"
    (folder / "hparams.yaml").write_text(yaml.safe_dump(hp))
    ckpt = torch.load(folder / "checkpoints" / "model.ckpt", weights_only=True)
    ckpt["hyper_parameters"]["class_identifier"] = "unified_metric"
    torch.save(ckpt, folder / "checkpoints" / "model.ckpt")
    scorer = CometScorer(lang="ko", model=str(folder))
    with pytest.raises(ConfigError, match="'unified_metric' .* not supported"):
        scorer.segment_stats(hyps=HYPS, refs=REFS, srcs=SRCS)


def test_pickled_objects_need_trust(tiny, tmp_path):
    folder = tmp_path / "pickled"
    shutil.copytree(tiny["comet"], folder)
    ckpt = torch.load(folder / "checkpoints" / "model.ckpt", weights_only=True)
    ckpt["callbacks"] = NotWeights()
    torch.save(ckpt, folder / "checkpoints" / "model.ckpt")
    with pytest.raises(ConfigError, match="trust_checkpoint"):
        CometScorer(lang="ko", model=str(folder)).segment_stats(hyps=HYPS, refs=REFS, srcs=SRCS)
    trusted = CometScorer(lang="ko", model=str(folder), trust_checkpoint=True)
    np.testing.assert_allclose(
        trusted.segment_stats(hyps=HYPS, refs=REFS, srcs=SRCS)[:, 0],
        REFERENCE["models"]["comet"]["scores"],
        atol=2e-6,
    )


def test_weights_that_do_not_fit_are_refused(tiny, tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(tiny["comet"], folder)
    ckpt = torch.load(folder / "checkpoints" / "model.ckpt", weights_only=True)
    del ckpt["state_dict"]["estimator.ff.3.weight"]
    torch.save(ckpt, folder / "checkpoints" / "model.ckpt")
    with pytest.raises(ConfigError, match="does not fit its estimator"):
        CometScorer(lang="ko", model=str(folder)).segment_stats(hyps=HYPS, refs=REFS, srcs=SRCS)
