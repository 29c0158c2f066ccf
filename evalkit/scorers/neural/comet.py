"""COMET on a local checkpoint: segment scores from source, hypothesis and reference.

The model is rebuilt by :mod:`evalkit.scorers.neural.comet_model` (what is supported
is listed there) rather than through the ``unbabel-comet`` package, whose pins
(numpy<2, huggingface-hub<1, transformers<5, torchmetrics<0.11) would hold back the
rest of evalkit's dependencies. The tests build a tiny checkpoint in COMET's layout and
check the architecture module by module.

Statistics per segment: ``[score, count]``; the corpus score is the mean segment
score, which is COMET's system score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from evalkit.errors import ConfigError
from evalkit.models import (
    library_versions,
    pick_device,
    require_torch,
    resolve_model,
)
from evalkit.option_checks import at_least
from evalkit.options import Option
from evalkit.scorers.base import Score, Scorer, SegmentRefs, single_references

DEFAULT_MODEL = "Unbabel/wmt22-comet-da"


class CometScorer(Scorer):
    """COMET segment scores, averaged for the corpus.

    COMET needs the source segments: pass ``srcs=`` to :meth:`segment_stats` (see
    :attr:`needs_sources`).

    Options:
        model: A COMET model folder (``hparams.yaml`` + ``checkpoints/model.ckpt``), a
            ``model.ckpt`` path, or a hub name in the local cache (default
            ``Unbabel/wmt22-comet-da``).
        encoder: Folder or cached hub name of the encoder's config and tokenizer
            (default: the checkpoint's ``pretrained_model``, e.g. ``xlm-roberta-large``).
        batch_size: Sentences per forward pass (default 16); does not change scores.
        device: ``cpu``, ``cuda`` or ``auto`` (default).
        trust_checkpoint: Allow a checkpoint holding pickled Python objects (default False).
        revision: Hub revision of a cached model name.
    """

    name: ClassVar[str] = "comet"
    label: ClassVar[str] = "COMET"
    max_drop: ClassVar[float] = 0.005
    segment_rank: ClassVar[int | None] = 10
    #: The runner passes ``srcs=`` to scorers that set this.
    needs_sources: ClassVar[bool] = True
    parallel: ClassVar[bool] = False
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        Option("model", str, None, "checkpoint file or model directory"),
        Option("encoder", str, None, "encoder model directory"),
        Option("batch_size", int, 16, "segments per batch", check=at_least(1)),
        Option("device", str, None, "torch device"),
        Option("trust_checkpoint", bool, False, "load a pickled checkpoint"),
        Option("revision", str, None, "model revision"),
    )

    def __init__(self, *, lang: str, **options: Any):
        super().__init__(lang=lang, **options)
        from pathlib import Path

        from evalkit.scorers.neural.comet_model import find_checkpoint

        spec = str(options.get("model") or DEFAULT_MODEL)
        as_file = Path(spec).expanduser()
        if as_file.is_file():
            self.hparams_file, self.ckpt_file = find_checkpoint(as_file.resolve())
            self.model = resolve_model(str(self.hparams_file.parent), what="comet")
        else:
            self.model = resolve_model(spec, what="comet", revision=options.get("revision"))
            self.hparams_file, self.ckpt_file = find_checkpoint(self.model.path)
        self.hparams = _peek_hparams(self.hparams_file)
        enc_spec = options.get("encoder") or self.hparams.get("pretrained_model")
        if not enc_spec:
            raise ConfigError(
                f"comet: {self.hparams_file} names no pretrained_model; "
                "give the option encoder=FOLDER"
            )
        self.encoder = resolve_model(str(enc_spec), what="comet encoder")
        self.tokenizer = None
        if self.hparams.get("encoder_model") == "MiniLM":  # COMET pairs it with XLM-R's tokenizer
            self.tokenizer = resolve_model("xlm-roberta-base", what="comet MiniLM tokenizer")
        self.batch_size = int(options.get("batch_size", 16))
        self.device_option = options.get("device")
        self.trust = bool(options.get("trust_checkpoint", False))
        self._net: Any = None

    @property
    def stat_names(self) -> tuple[str, ...]:
        return ("score", "count")

    @property
    def referenceless(self) -> bool:
        return self.hparams.get("class_identifier") == "referenceless_regression_metric"

    def signature(self) -> str:
        from evalkit import __version__

        h = self.hparams
        return (
            f"nrefs:{0 if self.referenceless else 1}|model:{self.model.name}@"
            f"{self.model.revision}|class:{h.get('class_identifier')}|encoder:"
            f"{self.encoder.name}@{self.encoder.revision}|layer:{h.get('layer', 'mix')}"
            f"|pool:{h.get('pool', 'avg')}|bs:{self.batch_size}"
            f"|{library_versions('torch', 'transformers')}|version:{__version__}"
        )

    # -- scores from statistics ------------------------------------------------------

    def scores_from_totals(self, totals: Any) -> Any:
        import numpy as np

        totals = np.asarray(totals, dtype=np.float64)
        count = totals[:, 1]
        return np.divide(totals[:, 0], count, out=np.zeros_like(count), where=count > 0)

    def components(self, totals: Any) -> dict[str, float]:
        count = float(totals[1])
        return {"score": float(totals[0]) / count if count > 0 else 0.0}

    def segment_scores(self, stats: Any) -> Any:
        import numpy as np

        return np.asarray(stats, dtype=np.float64)[:, 0]

    # -- statistics ------------------------------------------------------------------

    def _load(self) -> Any:
        if self._net is None:
            require_torch("comet")
            from evalkit.scorers.neural.comet_model import (
                CometModel,
                load_checkpoint,
                read_hparams,
            )

            device = pick_device(self.device_option, what="comet")
            ckpt = load_checkpoint(self.ckpt_file, trust=self.trust)
            self.hparams = read_hparams(self.hparams_file, ckpt)
            self._net = CometModel(
                self.hparams,
                ckpt["state_dict"],
                self.encoder.path,
                self.tokenizer.path if self.tokenizer else None,
                device,
            )
        return self._net

    def segment_stats(
        self,
        *,
        hyps: Sequence[str],
        refs: Sequence[SegmentRefs],
        srcs: Sequence[str] | None = None,
    ) -> Any:
        """COMET score of each segment; ``srcs`` (the sources) is required."""
        import numpy as np

        refs = single_references(refs, "comet")
        if srcs is None:
            raise ConfigError("comet needs the source segments: pass srcs= (one per hypothesis)")
        if not len(hyps) == len(refs) == len(srcs):
            raise ConfigError(
                f"comet: {len(hyps)} hypotheses, {len(refs)} references and "
                f"{len(srcs)} sources; they must align"
            )
        out = np.zeros((len(hyps), 2), dtype=np.float64)
        if not hyps:
            return out
        net = self._load()
        import torch

        texts = {*hyps, *srcs} if self.referenceless else {*hyps, *refs, *srcs}
        emb = self._embed_all(net, sorted(texts))
        index = {t: i for i, t in enumerate(sorted(texts))}
        for start in range(0, len(hyps), self.batch_size):
            rows = range(start, min(start + self.batch_size, len(hyps)))

            def pick(seq: Sequence[str], rows: range = rows) -> Any:
                return emb[torch.tensor([index[seq[i]] for i in rows])]

            scores = net.estimate(
                pick(srcs), pick(hyps), None if self.referenceless else pick(refs)
            )
            out[start : start + len(rows), 0] = scores.float().cpu().numpy()
        out[:, 1] = 1.0
        return out

    def _embed_all(self, net: Any, texts: list[str]) -> Any:
        """Embeddings of unique texts, in batches of similar length (less padding)."""
        import torch

        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), texts[i]))
        parts: list[Any] = []
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            parts.append(net.embed([texts[i] for i in batch]).float().cpu())
        stacked = torch.cat(parts)
        result = torch.empty_like(stacked)
        result[torch.tensor(order)] = stacked
        return result.to(net.device)

    def score(
        self,
        *,
        hyps: Sequence[str],
        refs: Sequence[SegmentRefs],
        n_resamples: int = 1000,
        seed: int = 12345,
        srcs: Sequence[str] | None = None,
    ) -> Score:
        """Statistics, corpus score and bootstrap CI; ``srcs`` is required."""
        from evalkit.intervals import score_with_ci

        stats = self.segment_stats(hyps=hyps, refs=refs, srcs=srcs)
        return score_with_ci(self, stats, n_resamples=n_resamples, seed=seed)


def _peek_hparams(path: Any) -> dict[str, Any]:
    """hparams.yaml without loading the checkpoint (for names and the signature)."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"comet: cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"comet: {path} is not a mapping")
    return data
