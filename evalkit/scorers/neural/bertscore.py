"""BERTScore (Zhang et al., 2020) on a local model: greedy cosine matching of token embeddings.

The computation follows the ``bert_score`` package (0.3.13) step for step: the model is
cut after ``layer`` layers, each sentence is encoded with its special tokens, every
token is matched to its most similar token of the other sentence (special tokens
included as candidates), and matches are averaged with idf weights (1 per token, 0
for CLS and SEP, without ``idf``). Two deliberate differences: similarities are taken
per pair, without the padding of a batch (so batch size cannot change a score), and
empty sentences need no special tokenizer method (``bert_score`` fails on them with
transformers 5). The tests compare the numbers with ``bert_score``'s own.

Statistics per segment: ``[P, R, F, count]``; the corpus score is the mean F.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from math import log
from pathlib import Path
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
from evalkit.scorers.base import Scorer, SegmentRefs, single_references

#: bert_score's default models per language.
DEFAULT_MODELS = {"en": "roberta-large"}
DEFAULT_MULTILINGUAL = "bert-base-multilingual-cased"
#: Tokenizers that bert_score calls with ``add_prefix_space=True``.
_PREFIX_SPACE = {"roberta", "gpt2", "bart", "longformer"}
_T5_ENCODERS = {"t5": "T5EncoderModel", "mt5": "MT5EncoderModel", "umt5": "UMT5EncoderModel"}


def _recommended_layer(name: str) -> int | None:
    """bert_score's tuned layer for a known model name (``roberta-large``: 17)."""
    try:
        from bert_score.utils import model2layers
    except ImportError:
        return None
    return model2layers.get(name)


class BERTScoreScorer(Scorer):
    """BERTScore P/R/F of each hypothesis against its reference.

    Options:
        model: A model folder or a hub name in the local cache (default:
            ``roberta-large`` for English, ``bert-base-multilingual-cased`` otherwise).
        layer: Which layer's output to use (default: bert_score's tuned layer for the
            model name, else the last layer).
        idf: Weight tokens by inverse document frequency over the references scored
            together in one call (default False).
        batch_size: Sentences per forward pass (default 64); does not change scores.
        device: ``cpu``, ``cuda`` or ``auto`` (default).
        rescale_with_baseline: Rescale with bert_score's baseline for (lang, model).
        baseline_path: A bert_score baseline TSV to rescale with instead.
        revision: Hub revision of a cached model name.
    """

    name: ClassVar[str] = "bertscore"
    label: ClassVar[str] = "BERTScore"
    max_drop: ClassVar[float] = 0.005
    segment_rank: ClassVar[int | None] = 40
    parallel: ClassVar[bool] = False
    declared_options: ClassVar[tuple[Option, ...] | None] = (
        Option("model", str, None, "model directory or name"),
        Option("layer", int, None, "hidden layer to use", check=at_least(1)),
        Option("idf", bool, False, "idf weighting"),
        Option("batch_size", int, 64, "segments per batch", check=at_least(1)),
        Option("device", str, None, "torch device"),
        Option("rescale_with_baseline", bool, False, "rescale with the baseline"),
        Option("baseline_path", str, None, "baseline file"),
        Option("revision", str, None, "model revision"),
    )

    def __init__(self, *, lang: str, **options: Any):
        super().__init__(lang=lang, **options)
        spec = str(options.get("model") or DEFAULT_MODELS.get(lang, DEFAULT_MULTILINGUAL))
        self.model = resolve_model(spec, what="bertscore", revision=options.get("revision"))
        config = _read_config(self.model.path)
        n_layers = int(
            config.get("num_hidden_layers")
            or config.get("num_layers")
            or config.get("n_layer")
            or 0
        )
        layer = options.get("layer")
        if layer is None:
            layer = _recommended_layer(self.model.name) or n_layers
        self.layer = int(layer)
        if not 0 <= self.layer <= n_layers:
            raise ConfigError(
                f"bertscore: layer {self.layer} out of range 0..{n_layers} "
                f"for model {self.model.name!r}"
            )
        self.model_type = str(config.get("model_type", ""))
        self.idf = bool(options.get("idf", False))
        self.batch_size = int(options.get("batch_size", 64))
        if self.batch_size < 1:
            raise ConfigError(f"bertscore: batch_size must be >= 1, got {self.batch_size}")
        self.device_option = options.get("device")
        self.baseline = self._baseline(options)
        self._loaded: tuple[Any, Any, str] | None = None

    # -- configuration ---------------------------------------------------------------

    def _baseline(self, options: dict[str, Any]) -> tuple[float, float, float] | None:
        path = options.get("baseline_path")
        if not path and not options.get("rescale_with_baseline"):
            return None
        if not path:
            try:
                import bert_score
            except ImportError as exc:
                raise ConfigError(
                    "bertscore: rescale_with_baseline needs the bert-score "
                    "package (pip install 'evalkit[neural]')"
                ) from exc
            path = (
                Path(bert_score.__file__).parent
                / "rescale_baseline"
                / self.lang
                / f"{self.model.name}.tsv"
            )
            if not path.is_file():
                raise ConfigError(
                    f"bertscore: no baseline for language {self.lang!r} and model "
                    f"{self.model.name!r}; give baseline_path=FILE.tsv"
                )
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8").split()
        except OSError as exc:
            raise ConfigError(f"bertscore: cannot read baseline {path}: {exc}") from exc
        for lineno, line in enumerate(lines[1:], start=2):
            cells = line.split(",")
            if len(cells) == 4 and cells[0].strip() == str(self.layer):
                try:
                    p, r, f = (float(c) for c in cells[1:])
                except ValueError as exc:
                    raise ConfigError("bad baseline row", path=path, line=lineno) from exc
                return p, r, f
        raise ConfigError(f"no row for layer {self.layer} in baseline", path=path)

    @property
    def stat_names(self) -> tuple[str, ...]:
        return ("P", "R", "F", "count")

    def signature(self) -> str:
        from evalkit import __version__

        rescale = "no" if self.baseline is None else "yes"
        return (
            f"nrefs:1|model:{self.model.name}@{self.model.revision}|layer:{self.layer}"
            f"|idf:{'yes' if self.idf else 'no'}|rescale:{rescale}|bs:{self.batch_size}"
            f"|{library_versions('torch', 'transformers')}|version:{__version__}"
        )

    # -- scores from statistics ------------------------------------------------------

    def scores_from_totals(self, totals: Any) -> Any:
        import numpy as np

        totals = np.asarray(totals, dtype=np.float64)
        count = totals[:, 3]
        return np.divide(totals[:, 2], count, out=np.zeros_like(count), where=count > 0)

    def components(self, totals: Any) -> dict[str, float]:
        count = float(totals[3])
        if count <= 0:
            return {"P": 0.0, "R": 0.0, "F": 0.0}
        return {
            "P": float(totals[0]) / count,
            "R": float(totals[1]) / count,
            "F": float(totals[2]) / count,
        }

    def segment_scores(self, stats: Any) -> Any:
        import numpy as np

        return np.asarray(stats, dtype=np.float64)[:, 2]

    # -- statistics ------------------------------------------------------------------

    def _load(self) -> tuple[Any, Any, str]:
        if self._loaded is None:
            torch = require_torch("bertscore")
            import transformers

            device = pick_device(self.device_option, what="bertscore")
            kwargs: dict[str, Any] = {"local_files_only": True}
            if self.model_type in _PREFIX_SPACE:
                kwargs["add_prefix_space"] = True
            tokenizer = transformers.AutoTokenizer.from_pretrained(self.model.path, **kwargs)
            cls = getattr(transformers, _T5_ENCODERS.get(self.model_type, "AutoModel"))
            model = cls.from_pretrained(self.model.path, local_files_only=True)
            if hasattr(model, "decoder") and hasattr(model, "encoder"):
                model = model.encoder
            _truncate(model, self.layer, torch)
            model.eval().to(device)
            self._loaded = (tokenizer, model, device)
        return self._loaded

    def segment_stats(self, *, hyps: Sequence[str], refs: Sequence[SegmentRefs]) -> Any:
        import numpy as np

        refs = single_references(refs, "bertscore")
        if len(hyps) != len(refs):
            raise ConfigError(f"bertscore: {len(hyps)} hypotheses but {len(refs)} references")
        out = np.zeros((len(hyps), 4), dtype=np.float64)
        if not hyps:
            return out
        tokenizer, model, device = self._load()
        ids = {s: self._encode(tokenizer, model, s) for s in {*hyps, *refs}}
        weights = self._idf_weights(tokenizer, [ids[r] for r in refs])
        embeddings = self._embed(model, tokenizer, ids, device)
        for i, (h, r) in enumerate(zip(hyps, refs, strict=True)):
            if h.strip() and r.strip():  # bert_score scores an empty side 0
                out[i, :3] = _greedy_match(embeddings[h], embeddings[r], ids[h], ids[r], weights)
        if self.baseline is not None:
            base = np.asarray(self.baseline)
            out[:, :3] = (out[:, :3] - base) / (1.0 - base)
        out[:, 3] = 1.0
        return out

    def _encode(self, tokenizer: Any, model: Any, text: str) -> list[int]:
        limit = int(getattr(tokenizer, "model_max_length", 0) or 0)
        if not 0 < limit < 100_000:
            limit = int(getattr(model.config, "max_position_embeddings", 512)) - 2
        enc = tokenizer(text.strip(), add_special_tokens=True, truncation=True, max_length=limit)
        return list(enc["input_ids"])

    def _idf_weights(self, tokenizer: Any, ref_ids: list[list[int]]) -> Any:
        if not self.idf:
            weights: dict[int, float] = {}
            for tid in (tokenizer.sep_token_id, tokenizer.cls_token_id):
                if tid is not None:
                    weights[tid] = 0.0
            return lambda t: weights.get(t, 1.0)
        df = Counter(t for ids in ref_ids for t in set(ids))
        m = len(ref_ids)
        unseen = log(m + 1)
        idf = {t: log((m + 1) / (c + 1)) for t, c in df.items()}
        return lambda t: idf.get(t, unseen)

    def _embed(self, model: Any, tokenizer: Any, ids: dict[str, list[int]], device: str) -> dict:
        import torch

        order = sorted(ids, key=lambda s: (-len(ids[s]), s))
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        result: dict[str, Any] = {}
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start : start + self.batch_size]
                width = max(len(ids[s]) for s in batch)
                x = torch.full((len(batch), width), pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for j, s in enumerate(batch):
                    x[j, : len(ids[s])] = torch.tensor(ids[s], dtype=torch.long)
                    mask[j, : len(ids[s])] = 1
                hidden = model(input_ids=x.to(device), attention_mask=mask.to(device))[0]
                hidden = hidden.float().cpu()
                for j, s in enumerate(batch):
                    result[s] = hidden[j, : len(ids[s])]
        return result


def _greedy_match(
    h: Any, r: Any, h_ids: list[int], r_ids: list[int], weight: Any
) -> tuple[float, float, float]:
    """P, R, F of one pair (bert_score's ``greedy_cos_idf`` without batch padding)."""
    import torch

    h = h / torch.norm(h, dim=-1, keepdim=True)
    r = r / torch.norm(r, dim=-1, keepdim=True)
    sim = h @ r.T
    hw = torch.tensor([weight(t) for t in h_ids], dtype=torch.float32)
    rw = torch.tensor([weight(t) for t in r_ids], dtype=torch.float32)
    p = float((sim.max(dim=1).values * (hw / hw.sum())).sum())
    rr = float((sim.max(dim=0).values * (rw / rw.sum())).sum())
    f = 2 * p * rr / (p + rr) if (p + rr) != 0 else 0.0
    return p, rr, (0.0 if f != f else f)


def _truncate(model: Any, n: int, torch: Any) -> None:
    """Keep the first ``n`` layers, as bert_score's ``get_model`` does."""
    keep = torch.nn.ModuleList
    if hasattr(model, "n_layers"):  # xlm
        model.n_layers = n
    elif hasattr(model, "layer"):  # xlnet
        model.layer = keep(list(model.layer[:n]))
    elif hasattr(model, "encoder"):
        enc = model.encoder
        if hasattr(enc, "albert_layer_groups"):
            enc.config.num_hidden_layers = n
        elif hasattr(enc, "block"):  # t5
            enc.block = keep(list(enc.block[:n]))
        else:  # bert, roberta, xlm-roberta, deberta
            enc.layer = keep(list(enc.layer[:n]))
    elif hasattr(model, "transformer"):  # distilbert
        model.transformer.layer = keep(list(model.transformer.layer[:n]))
    elif hasattr(model, "layers"):  # bart encoder
        model.layers = keep(list(model.layers[:n]))
    else:
        raise ConfigError(f"bertscore: cannot select layers of a {type(model).__name__}")


def _read_config(folder: Path) -> dict[str, Any]:
    path = folder / "config.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"bertscore: {path} is not a readable model config: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"bertscore: {path} is not a model config")
    return data
