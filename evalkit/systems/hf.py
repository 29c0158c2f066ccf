"""``kind = "hf"``: a local Hugging Face seq2seq or causal model, batched, greedy.

Configuration (``evalkit.toml``)::

    [systems.nllb]
    kind = "hf"
    model = "models/nllb-200-distilled-600M"  # a folder, or a hub name in the local cache
    task_type = "seq2seq"          # seq2seq | causal; detected from the config if absent
    device = "auto"                # cpu | cuda | cuda:N | auto
    batch_size = 8
    max_new_tokens = 256
    num_beams = 1                  # 1 = greedy; beams are deterministic too
    lang_codes = { en = "eng_Latn", ko = "kor_Hang", ja = "jpn_Jpan" }  # NLLB/M2M style

    [systems.qwen-local]
    kind = "hf"
    model = "Qwen/Qwen2.5-0.5B-Instruct"
    prompt.translation = "Translate from {src_name} to {tgt_name}:\\n{text}\\n"
    prompt.summarization = "Summarize in {tgt_name}:\\n{text}\\n"
    chat_template = "auto"         # auto | true | false: wrap the prompt as a chat turn
    stop = ["\\n\\n"]               # cut the output at the first stop string

Prompt templates take ``{text}``, ``{src_lang}``, ``{tgt_lang}``, ``{src_name}``,
``{tgt_name}`` and ``{task}``. The model is loaded once, on the first batch; nothing is
downloaded (see :mod:`evalkit.models`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from evalkit.didyoumean import unknown_key_message
from evalkit.errors import ConfigError, SystemFailure
from evalkit.option_checks import non_empty, positive
from evalkit.options import Option, declare
from evalkit.paper import LANG_NAMES
from evalkit.systems.base import COMMON_OPTIONS, Request, System

DEFAULT_PROMPTS = {
    "causal": {
        "translation": "Translate the following {src_name} text into {tgt_name}.\n"
        "{src_name}: {text}\n{tgt_name}:",
        "summarization": "Summarize the following text in {tgt_name} in a few sentences.\n"
        "Text: {text}\nSummary:",
    },
    "seq2seq": {"translation": "{text}", "summarization": "{text}"},
}
_DTYPES = ("auto", "float32", "float16", "bfloat16")


def _prompt_check(value: Any) -> str | None:
    if isinstance(value, dict):
        if not all(isinstance(v, str) for v in value.values()):
            return "must be a template or a table of templates per task"
        for task in value:
            if task not in DEFAULT_PROMPTS["causal"]:
                return f"has an {unknown_key_message(task, DEFAULT_PROMPTS['causal'], what='task')}"
    return None


#: The options of an ``hf`` system (see :mod:`evalkit.options`).
OPTIONS = declare(
    COMMON_OPTIONS,
    (
        Option(
            "model",
            str,
            doc="a folder, or a hub name in the local cache",
            required=True,
            check=non_empty,
        ),
        Option("revision", str, None, "hub revision of a cached model"),
        Option(
            "task_type",
            str,
            None,
            "seq2seq or causal (default: from config.json)",
            choices=("auto", "seq2seq", "causal"),
        ),
        Option("device", str, None, "cpu, cuda, cuda:N or auto", identity=False),
        # padding differs with the batch, and so may a greedy output
        Option("batch_size", int, 8, "requests per forward pass", check=positive),
        Option("max_new_tokens", int, 256, "longest output in tokens", check=positive),
        Option("max_input_tokens", int, None, "inputs are cut to this many tokens", check=positive),
        Option("num_beams", int, 1, "1 = greedy", check=positive),
        Option(
            "prompt",
            (str, dict),
            None,
            "a template, or a table of templates per task",
            check=_prompt_check,
        ),
        Option(
            "chat_template",
            (str, bool),
            "auto",
            "auto, true or false",
            choices=("auto", True, False),
        ),
        Option("stop", list, None, "cut the output at the first of these", items=str),
        Option("lang_codes", dict, None, "language -> model language code", items=str),
        Option("dtype", str, "auto", "auto, float32, float16 or bfloat16", choices=tuple(_DTYPES)),
    ),
)


def render_prompt(template: str, request: Request) -> str:
    """Fill a prompt template for one request.

    Raises:
        ConfigError: if the template names an unknown field.
    """
    fields = {
        "text": request.text,
        "task": request.task,
        "src_lang": request.src_lang,
        "tgt_lang": request.tgt_lang,
        "src_name": LANG_NAMES.get(request.src_lang, request.src_lang),
        "tgt_name": LANG_NAMES.get(request.tgt_lang, request.tgt_lang),
    }
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"hf prompt template {template!r} is invalid: {exc!r}; fields: "
            f"{', '.join(sorted(fields))}"
        ) from exc


def cut_at_stop(text: str, stops: Sequence[str]) -> str:
    """``text`` up to the first of ``stops``, stripped."""
    cut = len(text)
    for s in stops:
        i = text.find(s) if s else -1
        if i != -1:
            cut = min(cut, i)
    return text[:cut].strip()


class HFSystem(System):
    """A local transformers model translating or summarizing in batches."""

    kind: ClassVar[str] = "hf"
    options = OPTIONS

    def __init__(self, name: str, config: dict[str, Any] | None = None):
        super().__init__(name, config)
        self._what = f"hf system {name!r}"
        from evalkit.models import resolve_model

        # resolved now (files only, no torch) so a missing model fails before any work
        self.local_model = resolve_model(
            str(self.config["model"]), what=self._what, revision=self.config.get("revision")
        )
        self._loaded: tuple[Any, Any, str, str] | None = None

    # -- configuration ---------------------------------------------------------------

    @property
    def version(self) -> str:
        """Configured version plus the model's revision or fingerprint (for the cache)."""
        return f"{self.config.get('version', '')}+{self.local_model.revision}"

    def task_type(self) -> str:
        """``seq2seq`` or ``causal``: configured, else from the model's config.json."""
        configured = self.config.get("task_type")
        if configured in ("seq2seq", "causal"):
            return str(configured)
        import json

        try:
            cfg = json.loads((self.local_model.path / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"{self._what}: cannot read config.json of {self.local_model.path}: {exc}"
            ) from exc
        return "seq2seq" if cfg.get("is_encoder_decoder") else "causal"

    def template(self, task: str, task_type: str) -> str:
        prompt = self.config.get("prompt", {})
        if isinstance(prompt, str):
            return prompt
        if task in prompt:
            return str(prompt[task])
        if task not in DEFAULT_PROMPTS[task_type]:
            raise ConfigError(f"{self._what}: no prompt template for task {task!r}")
        return DEFAULT_PROMPTS[task_type][task]

    # -- model -----------------------------------------------------------------------

    def _load(self) -> tuple[Any, Any, str, str]:
        if self._loaded is None:
            from evalkit.models import pick_device, require_torch

            torch = require_torch(self._what)
            import transformers

            kind = self.task_type()
            device = pick_device(self.config.get("device"), what=self._what)
            path = self.local_model.path
            tok = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
            cls = (
                transformers.AutoModelForSeq2SeqLM
                if kind == "seq2seq"
                else transformers.AutoModelForCausalLM
            )
            dtype = self.config.get("dtype", "auto")
            kwargs: dict[str, Any] = {"local_files_only": True}
            if dtype != "auto":
                kwargs["dtype"] = getattr(torch, dtype)
            try:
                model = cls.from_pretrained(path, **kwargs)
            except (OSError, ValueError) as exc:
                raise ConfigError(
                    f"{self._what}: cannot load {kind} model from {path}: {exc}"
                ) from exc
            if kind == "causal":
                tok.padding_side = "left"  # generation continues after the prompt
            if tok.pad_token_id is None:
                tok.pad_token = tok.eos_token
            model.eval().to(device)
            self._loaded = (tok, model, device, kind)
        return self._loaded

    def close(self) -> None:
        self._loaded = None

    # -- generation ------------------------------------------------------------------

    def translate_batch(self, requests: Sequence[Request]) -> list[str]:
        """Generate one output per request, in order; grouped by task and language pair."""
        tok, model, device, kind = self._load()
        outputs: list[str | None] = [None] * len(requests)
        groups: dict[tuple[str, str, str], list[int]] = {}
        for i, r in enumerate(requests):
            groups.setdefault((r.task, r.src_lang, r.tgt_lang), []).append(i)
        for (task, src, tgt), idx in groups.items():
            for start in range(0, len(idx), self.batch_size):
                chunk = idx[start : start + self.batch_size]
                try:
                    texts = self._generate(
                        tok, model, device, kind, [requests[i] for i in chunk], task, src, tgt
                    )
                except (ConfigError, SystemFailure):
                    raise
                except Exception as exc:  # torch/transformers errors: name system and ids
                    ids = ", ".join(requests[i].id for i in chunk[:3])
                    raise SystemFailure(
                        f"{self._what} failed on {ids}"
                        f"{' ...' if len(chunk) > 3 else ''}: "
                        f"{type(exc).__name__}: {exc}"
                    ) from exc
                for i, text in zip(chunk, texts, strict=True):
                    outputs[i] = text
        return [o if o is not None else "" for o in outputs]

    def _prompts(
        self, tok: Any, kind: str, batch: list[Request], task: str
    ) -> tuple[list[str], bool]:
        """The prompts, and whether they went through the tokenizer's chat template."""
        template = self.template(task, kind)
        prompts = [render_prompt(template, r) for r in batch]
        use_chat = self.config.get("chat_template", "auto")
        has_template = bool(getattr(tok, "chat_template", None))
        if kind != "causal" or not (use_chat is True or (use_chat == "auto" and has_template)):
            return prompts, False
        if not has_template:
            raise ConfigError(f"{self._what}: chat_template = true but the tokenizer has none")
        return [
            tok.apply_chat_template(
                [{"role": "user", "content": p}], tokenize=False, add_generation_prompt=True
            )
            for p in prompts
        ], True

    def _generate(
        self,
        tok: Any,
        model: Any,
        device: str,
        kind: str,
        batch: list[Request],
        task: str,
        src: str,
        tgt: str,
    ) -> list[str]:
        import torch

        codes = self.config.get("lang_codes") or {}
        gen: dict[str, Any] = {
            "max_new_tokens": int(self.config.get("max_new_tokens", 256)),
            "num_beams": int(self.config.get("num_beams", 1)),
            "do_sample": False,
            "pad_token_id": tok.pad_token_id,
        }
        if codes:
            if src not in codes or tgt not in codes:
                raise ConfigError(f"{self._what}: lang_codes has no code for {src!r} or {tgt!r}")
            tok.src_lang = codes[src]  # NLLB/M2M tokenizers prefix the source code
            forced = tok.convert_tokens_to_ids(codes[tgt])
            if forced is None or forced == tok.unk_token_id:
                raise ConfigError(
                    f"{self._what}: language code {codes[tgt]!r} is not a token "
                    "of the model's vocabulary"
                )
            gen["forced_bos_token_id"] = forced
        prompts, chat = self._prompts(tok, kind, batch, task)
        limit = self.config.get("max_input_tokens")
        # a chat template already holds the special tokens it wants
        enc = tok(
            prompts,
            return_tensors="pt",
            padding=True,
            truncation=limit is not None,
            max_length=int(limit) if limit else None,
            add_special_tokens=not chat,
        )
        enc = {k: v.to(device) for k, v in enc.items() if k in ("input_ids", "attention_mask")}
        with torch.inference_mode():
            out = model.generate(**enc, **gen)
        if kind == "causal":
            out = out[:, enc["input_ids"].shape[1] :]
        texts = tok.batch_decode(out, skip_special_tokens=True)
        return [cut_at_stop(t, self.config.get("stop") or []) for t in texts]
