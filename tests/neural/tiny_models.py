"""Tiny randomly initialised models, built and saved locally for the tests.

Nothing here downloads anything: vocabularies are written from word lists,
tokenizers are assembled with the ``tokenizers`` library and weights are drawn from
``numpy.random.default_rng(seed)`` (stable across numpy and torch versions), so the
same files come out on every machine.
"""

from __future__ import annotations

import json
from pathlib import Path

WORDS = (  # noqa: SIM905  (a word list reads better as text)
    "the a an of to in and is for on with by we our model models language large "
    "attention transformer training data paper method results show task tasks "
    "translation summary summarization learning neural network context long "
    "performance improves improve new this that it are be as from at which cat dog "
    "sat mat quick brown fox jumps over lazy . , : ; ! ? ( ) - ' \""
).split()
CHARS = list("abcdefghijklmnopqrstuvwxyz0123456789")
#: Characters the Unigram vocabularies also hold, so that no English text is unknown.
EXTRA_CHARS = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ.,:;!?()-'\"")

#: Texts scored by unbabel-comet for data/comet_reference.json.
COMET_TEXTS = {
    "srcs": [
        "the cat sat on the mat.",
        "attention is all you need",
        "we show results",
        "a b",
        "Large language models improve translation.",
    ],
    "hyps": [
        "the cat sat on the mat.",
        "attention improves models",
        "results are new",
        "",
        "Models improve the translation task.",
    ],
    "refs": [
        "the cat sat on the mat.",
        "attention is what models need",
        "we show new results",
        "a b",
        "Large models improve translation.",
    ],
}
#: Tiny COMET checkpoints: name -> keyword arguments of :func:`build_comet`.
COMET_MODELS: dict[str, dict] = {
    "comet": {"seed": 1},
    "comet_ln": {"seed": 5, "layer_transformation": "softmax", "layer_norm": True},
    "comet_qe": {"seed": 6, "referenceless": True, "pool": "max", "layer": 1},
}


def _fill_deterministic(model, seed: int, std: float = 0.2) -> None:
    """Overwrite every parameter with seeded normal draws; norms get weight 1, bias 0."""
    import numpy as np
    import torch

    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters(), key=lambda kv: kv[0]):
            if "norm" in name.lower() or ".ln_" in name or name.startswith("ln_"):
                p.fill_(1.0 if name.endswith("weight") else 0.0)
                continue
            values = rng.normal(0.0, std, size=tuple(p.shape)).astype(np.float32)
            p.copy_(torch.from_numpy(values))


def _save_tokenizer(folder: Path, raw, tokenizer_class: str, **special) -> None:
    """Save a ``tokenizers.Tokenizer`` as a transformers tokenizer of ``tokenizer_class``."""
    from transformers import PreTrainedTokenizerFast

    tok = PreTrainedTokenizerFast(tokenizer_object=raw, **special)
    tok.save_pretrained(folder)
    cfg_path = folder / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["tokenizer_class"] = tokenizer_class
    cfg_path.write_text(json.dumps(cfg, indent=2), encoding="utf-8")


def build_bert(folder: Path, seed: int = 0, layers: int = 3) -> Path:
    """A 3-layer BERT (hidden 32) with a WordPiece vocabulary of English words."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertModel

    folder.mkdir(parents=True, exist_ok=True)
    vocab = [
        "[PAD]",
        "[UNK]",
        "[CLS]",
        "[SEP]",
        "[MASK]",
        *WORDS,
        *CHARS,
        *(f"##{c}" for c in CHARS),
    ]
    raw = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    raw.normalizer = normalizers.BertNormalizer(lowercase=True)
    raw.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    raw.decoder = decoders.WordPiece()
    raw.post_processor = processors.BertProcessing(("[SEP]", 3), ("[CLS]", 2))
    _save_tokenizer(
        folder,
        raw,
        "BertTokenizer",
        model_max_length=128,
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
    )
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=130,
    )
    model = BertModel(config)
    _fill_deterministic(model, seed)
    model.save_pretrained(folder)
    return folder


def _unigram_tokenizer(specials: list[str], words: list[str]):
    """A Unigram tokenizer over ``words`` and single characters (no unknown words)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    pieces = [(s, 0.0) for s in specials]
    pieces += [("\u2581" + w, -1.0) for w in words]
    pieces += [(c, -5.0) for c in CHARS + EXTRA_CHARS] + [("\u2581", -4.0)]
    unk = specials.index("<unk>") if "<unk>" in specials else 0
    tok = Tokenizer(models.Unigram(pieces, unk_id=unk))
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    return tok


def build_xlmr(folder: Path, seed: int = 0, layers: int = 2) -> Path:
    """A 2-layer XLM-RoBERTa (hidden 16) with a Unigram vocabulary, no pooling layer."""
    from tokenizers import processors
    from transformers import XLMRobertaConfig, XLMRobertaModel

    folder.mkdir(parents=True, exist_ok=True)
    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    raw = _unigram_tokenizer(specials, list(WORDS))
    raw.add_special_tokens(["<mask>"])
    raw.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0))
    _save_tokenizer(
        folder,
        raw,
        "XLMRobertaTokenizer",
        model_max_length=64,
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
    )
    config = XLMRobertaConfig(
        vocab_size=raw.get_vocab_size(),
        hidden_size=16,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=66,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
    )
    model = XLMRobertaModel(config, add_pooling_layer=False)
    _fill_deterministic(model, seed)
    model.save_pretrained(folder)
    return folder


def build_comet(
    folder: Path,
    encoder: Path,
    seed: int = 1,
    *,
    layer: object = "mix",
    layer_transformation: str = "sparsemax",
    layer_norm: bool = False,
    pool: str = "avg",
    referenceless: bool = False,
) -> Path:
    """A COMET checkpoint folder (hparams.yaml + checkpoints/model.ckpt) on ``encoder``.

    Laid out as unbabel-comet writes it: a Lightning-style checkpoint whose state_dict
    holds ``encoder.model.*``, ``layerwise_attention.*`` and ``estimator.ff.*``.
    """
    import numpy as np
    import torch
    import yaml
    from transformers import AutoModel

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "checkpoints").mkdir(exist_ok=True)
    enc = AutoModel.from_pretrained(encoder, add_pooling_layer=False)
    hidden = enc.config.hidden_size
    n_layers = enc.config.num_hidden_layers + 1
    rng = np.random.default_rng(seed)
    state = {f"encoder.model.{k}": v.clone() for k, v in enc.state_dict().items()}
    if layer == "mix":
        for i in range(n_layers):
            state[f"layerwise_attention.scalar_parameters.{i}"] = torch.tensor(
                [float(rng.normal(0.0, 1.0))], dtype=torch.float32
            )
        state["layerwise_attention.gamma"] = torch.tensor([1.3], dtype=torch.float32)
    sizes = [24, 8]
    dims = [hidden * (4 if referenceless else 6), *sizes, 1]
    for i, (a, b) in enumerate(zip(dims, dims[1:], strict=False)):
        idx = 3 * i  # Linear, activation, Dropout per hidden layer
        state[f"estimator.ff.{idx}.weight"] = torch.from_numpy(
            rng.normal(0.0, 0.3, size=(b, a)).astype(np.float32)
        )
        state[f"estimator.ff.{idx}.bias"] = torch.from_numpy(
            rng.normal(0.0, 0.1, size=(b,)).astype(np.float32)
        )
    hparams = {
        "activations": "Tanh",
        "batch_size": 4,
        "dropout": 0.1,
        "encoder_learning_rate": 1e-06,
        "encoder_model": "XLM-RoBERTa",
        "final_activation": None,
        "hidden_sizes": sizes,
        "keep_embeddings_frozen": True,
        "layer": layer,
        "layer_norm": layer_norm,
        "layer_transformation": layer_transformation,
        "layerwise_decay": 0.95,
        "learning_rate": 1.5e-05,
        "loss": "mse",
        "nr_frozen_epochs": 0.3,
        "optimizer": "AdamW",
        "pool": pool,
        "pretrained_model": str(encoder),
        "train_data": [],
        "validation_data": [],
        "warmup_steps": 0,
        "load_pretrained_weights": False,
        "local_files_only": True,
        "class_identifier": (
            "referenceless_regression_metric" if referenceless else "regression_metric"
        ),
    }
    (folder / "hparams.yaml").write_text(yaml.safe_dump(hparams), encoding="utf-8")
    torch.save(
        {
            "epoch": 0,
            "global_step": 0,
            "pytorch-lightning_version": "2.6.6",
            "state_dict": state,
            "hyper_parameters": dict(hparams),
        },
        folder / "checkpoints" / "model.ckpt",
    )
    return folder


def _byte_bpe(specials: list[str]):
    """A byte-level BPE without merges: every text is representable, nothing unknown."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from tokenizers.pre_tokenizers import ByteLevel

    alphabet = ByteLevel.alphabet()
    vocab = {s: i for i, s in enumerate(specials)}
    for ch in sorted(alphabet):
        vocab[ch] = len(vocab)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(specials)
    return tok


def build_gpt2(folder: Path, seed: int = 2, n_positions: int = 256) -> Path:
    """A 2-layer GPT-2 (hidden 32) on a byte-level vocabulary (causal generation)."""
    from transformers import GPT2Config, GPT2LMHeadModel

    folder.mkdir(parents=True, exist_ok=True)
    raw = _byte_bpe(["<|endoftext|>"])
    _save_tokenizer(
        folder,
        raw,
        "GPT2Tokenizer",
        model_max_length=n_positions,
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        unk_token="<|endoftext|>",
    )
    config = GPT2Config(
        vocab_size=raw.get_vocab_size(),
        n_embd=32,
        n_layer=2,
        n_head=2,
        n_positions=n_positions,
        bos_token_id=0,
        eos_token_id=0,
    )
    model = GPT2LMHeadModel(config)
    _fill_deterministic(model, seed, std=0.3)
    model.save_pretrained(folder)
    return folder


def build_t5(folder: Path, seed: int = 3) -> Path:
    """A 2-layer T5 (d_model 32) on a byte-level vocabulary (seq2seq generation)."""
    from tokenizers import processors
    from transformers import T5Config, T5ForConditionalGeneration

    folder.mkdir(parents=True, exist_ok=True)
    raw = _byte_bpe(["<pad>", "</s>", "<unk>"])
    raw.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", 1)]
    )
    _save_tokenizer(
        folder,
        raw,
        "PreTrainedTokenizerFast",
        model_max_length=256,
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
    )
    config = T5Config(
        vocab_size=raw.get_vocab_size(),
        d_model=32,
        d_kv=16,
        d_ff=64,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=2,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
        tie_word_embeddings=False,
    )
    model = T5ForConditionalGeneration(config)
    _fill_deterministic(model, seed, std=0.3)
    model.save_pretrained(folder)
    return folder
