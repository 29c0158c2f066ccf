"""The COMET estimator (Rei et al., 2020/2022) rebuilt from a local checkpoint folder.

A COMET checkpoint folder, as published by Unbabel (``Unbabel/wmt22-comet-da``) and
written by ``unbabel-comet`` training, holds ``hparams.yaml`` and
``checkpoints/model.ckpt`` (a Lightning checkpoint whose ``state_dict`` has
``encoder.model.*``, ``layerwise_attention.*`` and ``estimator.ff.*``). The encoder's
configuration and tokenizer come from the checkpoint's ``pretrained_model``
(``xlm-roberta-large``), which must be a folder or in the local Hugging Face cache;
its weights come from the checkpoint.

Supported, as in unbabel-comet 2.2: ``regression_metric`` (source, hypothesis and
reference: features ``[h, r, h*r, |h-r|, h*s, |h-s|]``) and
``referenceless_regression_metric`` (``[h, s, h*s, |h-s|]``); encoders
``XLM-RoBERTa``, ``XLM-RoBERTa-XL``, ``BERT``, ``RemBERT`` and ``MiniLM``; layer
``mix`` (softmax or sparsemax layer weights, optional layer norm) or a layer number;
pooling ``avg``, ``max``, ``cls`` and ``default``. Not supported: ranking and unified
metrics (CometKiwi, XCOMET), document context, MC dropout.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError

SUPPORTED_CLASSES = ("regression_metric", "referenceless_regression_metric")
ENCODERS = ("XLM-RoBERTa", "XLM-RoBERTa-XL", "BERT", "RemBERT", "MiniLM")


def find_checkpoint(folder: Path) -> tuple[Path, Path]:
    """``(hparams.yaml, checkpoints/model.ckpt)`` of a COMET model folder or checkpoint file."""
    if folder.is_file():
        ckpt, folder = folder, folder.parents[1]
    else:
        ckpt = folder / "checkpoints" / "model.ckpt"
    hparams = folder / "hparams.yaml"
    for path in (hparams, ckpt):
        if not path.is_file():
            raise ConfigError(
                f"comet: {path} is missing; a COMET model folder holds "
                "hparams.yaml and checkpoints/model.ckpt"
            )
    return hparams, ckpt


def read_hparams(hparams_file: Path, checkpoint: dict[str, Any]) -> dict[str, Any]:
    """The checkpoint's hyper-parameters (what unbabel-comet uses) over hparams.yaml."""
    import yaml

    try:
        data = yaml.safe_load(hparams_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"comet: cannot read {hparams_file}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"comet: {hparams_file} is not a mapping")
    stored = checkpoint.get("hyper_parameters")
    if isinstance(stored, dict):
        data = {**data, **stored}
    cls = data.get("class_identifier")
    if cls not in SUPPORTED_CLASSES:
        raise ConfigError(
            f"comet: model class {cls!r} in {hparams_file} is not supported "
            f"(supported: {', '.join(SUPPORTED_CLASSES)})"
        )
    if data.get("encoder_model", "XLM-RoBERTa") not in ENCODERS:
        raise ConfigError(
            f"comet: encoder {data.get('encoder_model')!r} is not supported "
            f"(supported: {', '.join(ENCODERS)})"
        )
    return data


def load_checkpoint(path: Path, *, trust: bool) -> dict[str, Any]:
    """Load a Lightning checkpoint; only tensors and plain data unless ``trust``."""
    import torch

    try:
        data = torch.load(path, map_location="cpu", weights_only=not trust)
    except pickle.UnpicklingError as exc:
        raise ConfigError(
            f"comet: {path} holds Python objects besides weights; if you trust "
            "it, set the option trust_checkpoint=true"
        ) from exc
    except (OSError, RuntimeError, EOFError) as exc:
        raise ConfigError(f"comet: cannot read checkpoint {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("state_dict"), dict):
        raise ConfigError(f"comet: {path} is not a COMET checkpoint (no state_dict)")
    return data


def sparsemax(z: Any) -> Any:
    """Sparsemax of a vector (Martins & Astudillo, 2016), computed as entmax does."""
    import torch

    srt, _ = torch.sort(z, dim=0, descending=True)
    cumsum = srt.cumsum(dim=0) - 1
    rhos = torch.arange(1, z.numel() + 1, device=z.device, dtype=z.dtype)
    support = rhos * srt > cumsum
    k = support.sum(dim=0, keepdim=True)
    tau = cumsum.gather(0, k - 1) / k.to(z.dtype)
    return torch.clamp(z - tau, min=0)


def build_estimator(hparams: dict[str, Any], in_dim: int) -> Any:
    """COMET's ``FeedForward``: the same module indices, so state_dict keys match."""
    from torch import nn

    def activation(name: str) -> Any:
        if not hasattr(nn, name.title()):
            raise ConfigError(f"comet: {name!r} is not a valid activation function")
        return getattr(nn, name.title())()

    sizes = [int(s) for s in hparams.get("hidden_sizes", [3072, 1024])]
    act = str(hparams.get("activations", "Tanh"))
    dropout = float(hparams.get("dropout", 0.1))
    modules = [nn.Linear(in_dim, sizes[0]), activation(act), nn.Dropout(dropout)]
    for i in range(1, len(sizes)):
        modules += [nn.Linear(sizes[i - 1], sizes[i]), activation(act), nn.Dropout(dropout)]
    modules.append(nn.Linear(sizes[-1], 1))
    if hparams.get("final_activation") is not None:
        modules.append(activation(str(hparams["final_activation"])))
    return nn.Sequential(*modules)


class CometModel:
    """A loaded COMET regression model: sentence embeddings and the estimator.

    Args:
        hparams: The checkpoint's hyper-parameters.
        state_dict: The checkpoint's weights.
        encoder_dir: Folder with the encoder's ``config.json`` and tokenizer.
        tokenizer_dir: Folder of the tokenizer (MiniLM uses XLM-R's), default encoder_dir.
        device: Torch device name.
    """

    def __init__(
        self,
        hparams: dict[str, Any],
        state_dict: dict[str, Any],
        encoder_dir: Path,
        tokenizer_dir: Path | None,
        device: str,
    ):
        import torch
        import transformers

        self.hparams = hparams
        self.device = device
        self.referenceless = hparams["class_identifier"] == "referenceless_regression_metric"
        self.tokenizer = transformers.AutoTokenizer.from_pretrained(
            tokenizer_dir or encoder_dir, local_files_only=True
        )
        config = transformers.AutoConfig.from_pretrained(encoder_dir, local_files_only=True)
        self.encoder = transformers.AutoModel.from_config(config, add_pooling_layer=False)
        self.max_length = int(config.max_position_embeddings) - 4
        self.num_layers = int(config.num_hidden_layers) + 1
        self.layer = hparams.get("layer", "mix")
        self.pool = hparams.get("pool", "avg")
        self.layer_norm = bool(hparams.get("layer_norm", False))
        self.transform = (
            sparsemax
            if hparams.get("layer_transformation") == "sparsemax"
            else lambda w: torch.softmax(w, dim=0)
        )
        features = 4 if self.referenceless else 6
        self.estimator = build_estimator(hparams, int(config.hidden_size) * features)
        self._load_weights(state_dict)
        self.encoder.eval().to(device)
        self.estimator.eval().to(device)

    def _load_weights(self, state: dict[str, Any]) -> None:
        import torch

        enc: dict[str, Any] = {}
        est: dict[str, Any] = {}
        scalars: dict[int, Any] = {}
        self.gamma = torch.ones(1)
        for key, value in state.items():
            if key.startswith("encoder.model."):
                sub = key[len("encoder.model.") :]
                if not sub.startswith("pooler.") and not sub.endswith("position_ids"):
                    enc[sub] = value
            elif key.startswith("estimator.ff."):
                est[key[len("estimator.ff.") :]] = value
            elif key.startswith("layerwise_attention.scalar_parameters."):
                scalars[int(key.rsplit(".", 1)[1])] = value
            elif key == "layerwise_attention.gamma":
                self.gamma = value.float()
        for name, module, weights in (
            ("encoder", self.encoder, enc),
            ("estimator", self.estimator, est),
        ):
            missing, unexpected = module.load_state_dict(weights, strict=False)
            missing = [k for k in missing if not k.endswith("position_ids")]
            if missing or unexpected:
                raise ConfigError(
                    f"comet: checkpoint does not fit its {name} "
                    f"(missing {missing[:3]}, unexpected {unexpected[:3]})"
                )
        if self.layer == "mix":
            if sorted(scalars) != list(range(self.num_layers)):
                raise ConfigError(
                    f"comet: checkpoint has {len(scalars)} layer weights, "
                    f"its encoder has {self.num_layers} layers"
                )
            self.scalars = torch.cat([scalars[i].float().view(1) for i in range(self.num_layers)])

    def _mix(self, layers: tuple[Any, ...], mask: Any) -> Any:
        import torch

        if self.layer != "mix":
            layer = int(self.layer)
            if not 0 <= layer < self.num_layers:
                raise ConfigError(f"comet: invalid model layer {layer}")
            return layers[layer]
        weights = self.transform(self.scalars.to(mask.device))
        gamma = self.gamma.to(mask.device)
        if not self.layer_norm:
            return gamma * sum(w * t for w, t in zip(torch.split(weights, 1), layers, strict=True))
        m = mask.float()
        bm = m.unsqueeze(-1)
        batch, _, dim = layers[0].size()
        count = m.sum(1) * dim
        pieces = []
        for w, t in zip(torch.split(weights, 1), layers, strict=True):
            masked = t * bm
            mean = (masked.view(batch, -1).sum(1) / count).view(batch, 1, 1)
            var = (((masked - mean) * bm) ** 2).view(batch, -1).sum(1) / count
            pieces.append(w * ((t - mean) / torch.sqrt(var + 1e-12).view(batch, 1, 1)))
        return gamma * sum(pieces)

    def embed(self, texts: list[str]) -> Any:
        """Sentence embeddings of ``texts`` (one batch), shape ``(len(texts), hidden)``."""
        import torch

        enc = self.tokenizer(
            texts, return_tensors="pt", padding=True, truncation=True, max_length=self.max_length
        )
        ids = enc["input_ids"].to(self.device)
        mask = enc["attention_mask"].to(self.device)
        with torch.inference_mode():
            out = self.encoder(input_ids=ids, attention_mask=mask, output_hidden_states=True)
            emb = self._mix(out.hidden_states, mask)
            pad = self.tokenizer.pad_token_id
            if self.pool == "avg":
                filled = emb.float().masked_fill(ids.eq(pad).unsqueeze(-1), 0.0).type_as(emb)
                total = mask.unsqueeze(-1).expand(emb.size()).float().sum(1)
                return filled.sum(1) / total
            if self.pool == "max":
                return emb.float().masked_fill(ids.eq(pad).unsqueeze(-1), float("-inf")).max(1)[0]
            if self.pool == "cls":
                return emb[:, 0, :]
            if self.pool == "default":
                return out.last_hidden_state[:, 0, :]
        raise ConfigError(f"comet: invalid pooling {self.pool!r}")

    def estimate(self, src: Any, mt: Any, ref: Any | None) -> Any:
        """Scores from sentence embeddings (rows aligned), shape ``(n,)``."""
        import torch

        feats: list[Any]
        with torch.inference_mode():
            if self.referenceless:
                feats = [mt, src, mt * src, torch.abs(mt - src)]
            else:
                feats = [mt, ref, mt * ref, torch.abs(mt - ref), mt * src, torch.abs(mt - src)]
            return self.estimator(torch.cat(feats, dim=1)).view(-1)
