"""The ``openai`` kind: any OpenAI-compatible chat-completions endpoint.

vLLM, TGI, Ollama, llama.cpp's server and the hosted APIs all answer
``POST {base_url}/chat/completions``. Requests of a batch are sent concurrently (up to
``max_concurrency`` at a time); 429, 5xx, timeouts and dropped connections are
retried with exponential backoff (honouring ``Retry-After``). The API key is read
from the environment variable named by ``api_key_env`` and never stored in the
configuration, the run, or any message.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from evalkit.didyoumean import unknown_key_message
from evalkit.errors import ConfigError
from evalkit.option_checks import http_url, non_empty, non_negative, positive
from evalkit.options import Option, declare
from evalkit.paper import LANG_NAMES
from evalkit.systems.base import COMMON_OPTIONS, Request, System
from evalkit.systems.common import check_answers, system_failure
from evalkit.systems.prompt_file import PromptFile, load_prompt_file
from evalkit.systems.secrets import redact_url, scrub, secrets_in
from evalkit.systems.transport import (
    TRANSPORT_ERRORS,
    BodyTooLarge,
    DeadlineExceeded,
    Reply,
    Transport,
)
from evalkit.textsafe import terminal_safe

DEFAULT_PROMPTS = {
    "translation": (
        "Translate the following {src_name} text into {tgt_name}. "
        "Answer with the translation only.\n\n{text}"
    ),
    "summarization": (
        "Summarize the following {src_name} text in {tgt_name} in two or three sentences. "
        "Answer with the summary only.\n\n{text}"
    ),
}
#: Bytes of an HTTP error body kept in a message (after scrubbing the whole body).
ERROR_BODY_BYTES = 300
#: A response body may take this many bytes per character of ``max_output_chars`` (JSON
#: escapes such as ``\\uXXXX`` take six) plus this much for the rest of the JSON; a
#: longer body cannot hold a valid answer, so reading stops there.
BODY_BYTES_PER_CHAR = 8
BODY_OVERHEAD_BYTES = 1024 * 1024
_PLACEHOLDERS = {
    "text": "t",
    "src_lang": "en",
    "tgt_lang": "ko",
    "src_name": "English",
    "tgt_name": "Korean",
}


@dataclass(frozen=True)
class ChatAnswer:
    """An answer's text and the token counts of its response's ``usage`` field."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


def _usage(raw: bytes) -> tuple[int, int]:
    try:
        usage = json.loads(raw.decode("utf-8")).get("usage") or {}
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return 0, 0
    counts = []
    for key in ("prompt_tokens", "completion_tokens"):
        v = usage.get(key) if isinstance(usage, dict) else None
        counts.append(v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0)
    return counts[0], counts[1]


class _Failed(Exception):
    """One request failed for good (message already safe to show)."""


def _prompt_check(value: Any) -> str | None:
    for task, template in value.items():
        if task not in DEFAULT_PROMPTS:
            return f"has an {unknown_key_message(task, DEFAULT_PROMPTS, what='task')}"
        try:
            template.format(**_PLACEHOLDERS)
        except (KeyError, IndexError, ValueError) as exc:
            return (
                f"has an invalid placeholder {exc} in {task!r}; "
                f"use {{{'}, {'.join(_PLACEHOLDERS)}}}"
            )
    return None


#: The options of an ``openai`` system (see :mod:`evalkit.options`).
OPTIONS = declare(
    COMMON_OPTIONS,
    (
        Option("base_url", str, doc="http(s) URL of the API", required=True, check=http_url),
        Option("model", str, doc="model name the endpoint serves", required=True, check=non_empty),
        Option(
            "api_key_env", str, None, "environment variable holding the API key", check=non_empty
        ),
        Option("prompts", dict, {}, "task = template", items=str, check=_prompt_check),
        Option("system_prompt", str, None, "system message, same placeholders as prompts"),
        Option("max_concurrency", int, 4, "requests in flight", check=positive, identity=False),
        Option("timeout", float, 60.0, "seconds per request", check=positive, identity=False),
        Option("retries", int, 3, "extra attempts per request", check=non_negative, identity=False),
        Option("backoff", float, 1.0, "first wait in seconds", check=non_negative, identity=False),
        Option("backoff_max", float, 30.0, "longest wait", check=non_negative, identity=False),
        Option("temperature", float, 0, "sampling temperature", check=non_negative),
        Option("max_tokens", int, None, "longest answer in tokens", check=positive),
        Option("extra_body", dict, {}, "merged into every request"),
        Option(
            "prompt_file",
            str,
            None,
            "chat messages with placeholders, relative to the configuration file",
            check=non_empty,
        ),
        Option("few_shot", int, 0, "examples from other weeks per request", check=non_negative),
        Option(
            "batch_size", int, None, "default 4 x max_concurrency", check=positive, identity=False
        ),
    ),
)


class OpenAISystem(System):
    """A chat-completions endpoint (see the module docstring).

    Options (:data:`OPTIONS`): ``base_url`` and ``model`` (required); ``api_key_env``;
    ``prompts`` (``{translation = "...", summarization = "..."}`` with ``{text}``,
    ``{src_lang}``, ``{tgt_lang}``, ``{src_name}``, ``{tgt_name}``); ``system_prompt``;
    ``max_concurrency`` (default 4); ``timeout`` (seconds per request, default 60);
    ``retries`` (default 3); ``backoff`` (first wait in seconds, default 1, doubling,
    at most ``backoff_max`` = 30); ``temperature`` (default 0); ``max_tokens``;
    ``extra_body`` (merged into every request); ``batch_size`` (default
    4 x max_concurrency); ``version``.

    Retries live here, per request (the runner does not retry a system that
    :attr:`retries_itself`): ``retries = N`` is at most N + 1 attempts of a request.
    """

    kind = "openai"
    options = OPTIONS
    retries_itself: ClassVar[bool] = True

    def __init__(
        self, name: str, config: dict[str, Any] | None = None, *, root: Path | None = None, **_: Any
    ):
        super().__init__(name, config)
        v = self.values
        url = urlsplit(v["base_url"])
        # the path goes before a query (``...v1?api-version=...``), never into it
        self.url = urlunsplit(url._replace(path=url.path.rstrip("/") + "/chat/completions"))
        #: The URL as shown in messages: userinfo and credential parameters masked.
        self.shown_url = redact_url(self.url)
        self.concurrency: int = v["max_concurrency"]
        self.timeout: float = v["timeout"]
        self.retries: int = v["retries"]
        self.backoff: float = v["backoff"]
        self.backoff_max: float = v["backoff_max"]
        self.max_chars: int = v["max_output_chars"]
        self.prompts = {**DEFAULT_PROMPTS, **v["prompts"]}
        #: Chat messages from ``prompt_file`` (see :mod:`evalkit.systems.prompt_file`).
        self.prompt_file: PromptFile | None = None
        if v["prompt_file"]:
            base = Path(root) if root is not None else Path.cwd()
            self.prompt_file = load_prompt_file(base / v["prompt_file"])
        #: Few-shot examples per request, drawn by the run from other weeks.
        self.few_shot: int = v["few_shot"]
        #: Tokens of the answers this system received (cached answers excluded).
        self.usage = [0, 0]
        self._usage_lock = threading.Lock()
        self._api_key = ""
        env_name = v["api_key_env"]
        if env_name:
            self._api_key = os.environ.get(env_name, "")
            if not self._api_key:
                raise ConfigError(
                    f"system {name!r}: environment variable {env_name} (api_key_env) is not set"
                )
        #: The longest response body read (see :data:`BODY_BYTES_PER_CHAR`).
        self.max_body_bytes = BODY_BYTES_PER_CHAR * self.max_chars + BODY_OVERHEAD_BYTES
        self._transport = Transport(self.url, self.timeout, self.max_body_bytes)
        #: Values scrubbed from error bodies: the key and the secrets of the configuration.
        self._secrets = [self._api_key, *secrets_in(self.config)]
        self._pool: ThreadPoolExecutor | None = None
        #: Set by :meth:`close`: requests in flight and backoff waits end at once.
        self._cancel = threading.Event()

    @property
    def batch_size(self) -> int:
        return int(self.values["batch_size"] or 4 * self.concurrency)

    def _payload(self, req: Request) -> bytes:
        return self._body(self._messages(req))

    def _messages(self, req: Request) -> list[dict[str, str]]:
        values = {
            "text": req.text,
            "src_lang": req.src_lang,
            "tgt_lang": req.tgt_lang,
            "src_name": LANG_NAMES.get(req.src_lang, req.src_lang),
            "tgt_name": LANG_NAMES.get(req.tgt_lang, req.tgt_lang),
        }
        if self.prompt_file is not None:
            return self.prompt_file.messages(
                {**values, "task": req.task, "field": req.field}, req.shots
            )
        messages = []
        if self.config.get("system_prompt"):
            messages.append(
                {"role": "system", "content": str(self.config["system_prompt"]).format(**values)}
            )
        template = str(self.prompts[req.task])
        for text, target in req.shots:  # few-shot turns, rendered like the request
            messages.append(
                {"role": "user", "content": template.format(**{**values, "text": text})}
            )
            messages.append({"role": "assistant", "content": target})
        messages.append({"role": "user", "content": template.format(**values)})
        return messages

    def _body(self, messages: list[dict[str, str]]) -> bytes:
        body: dict[str, Any] = {
            "model": self.config["model"],
            "messages": messages,
            "temperature": self.config.get("temperature", 0),
        }
        if "max_tokens" in self.config:
            body["max_tokens"] = self.config["max_tokens"]
        body.update(self.config.get("extra_body", {}))
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    def _wait(self, attempt: int, retry_after: str | None, stop: threading.Event) -> None:
        delay = self.backoff * (2**attempt)
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = float(retry_after)
        end = time.monotonic() + max(0.0, min(delay, self.backoff_max))
        while not (stop.is_set() or self._cancel.is_set()):
            left = end - time.monotonic()
            if left <= 0:
                return
            self._cancel.wait(min(left, 0.1))

    def _complete(self, req: Request, stop: threading.Event) -> str:
        raw = self._post(self._payload(req), stop)
        text = self._content(raw)
        prompt, completion = _usage(raw)
        with self._usage_lock:
            self.usage[0] += prompt
            self.usage[1] += completion
        return text

    def _post(self, data: bytes, stop: threading.Event) -> bytes:
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        last = ""
        for attempt in range(self.retries + 1):
            if self._cancel.is_set():
                raise _Failed("cancelled: evalkit is stopping")
            if stop.is_set():
                raise _Failed("cancelled after another request of the batch failed")
            retry_after = None
            try:
                reply = self._transport.post(data, headers)
            except BodyTooLarge as exc:
                raise _Failed(
                    f"response of {self.shown_url} is over {exc.limit:,} bytes, longer than any"
                    f" answer of max_output_chars={self.max_chars:,} can be; reading stopped"
                ) from None
            except DeadlineExceeded:
                last = f"no answer from {self.shown_url} within timeout={self.timeout:g}s"
            except TRANSPORT_ERRORS as exc:
                if self._cancel.is_set():
                    raise _Failed("cancelled: evalkit is stopping") from None
                last = f"{type(exc).__name__} from {self.shown_url}: {exc}"
            else:
                if reply.status == 200:
                    return reply.body
                if 300 <= reply.status < 400:
                    raise _Failed(self._redirect(reply))
                last = f"HTTP {reply.status} from {self.shown_url}: {self._error_body(reply)}"
                retry_after = reply.retry_after
                if reply.status != 429 and reply.status < 500:
                    raise _Failed(last)
            if attempt < self.retries:
                self._wait(attempt, retry_after, stop)
        raise _Failed(f"{last} (after {self.retries + 1} attempts)")

    def _error_body(self, reply: Reply) -> str:
        """The start of an error body, scrubbed whole first and cut after."""
        text = terminal_safe(scrub(reply.body.decode("utf-8", errors="replace"), self._secrets))
        cut = text.encode("utf-8")[:ERROR_BODY_BYTES].decode("utf-8", errors="ignore")
        return cut + ("..." if len(cut) < len(text) else "")

    def _redirect(self, reply: Reply) -> str:
        where = redact_url(scrub(reply.location, self._secrets)) if reply.location else "nowhere"
        return (
            f"HTTP {reply.status} from {self.shown_url} redirects to {where}; evalkit does not"
            " follow redirects of POST requests (nor send the API key to another address):"
            " set base_url to the final address"
        )

    def _content(self, raw: bytes) -> str:
        try:
            content = json.loads(raw.decode("utf-8"))["choices"][0]["message"]["content"]
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, IndexError, TypeError):
            raise _Failed(
                f"response of {self.shown_url} has no choices[0].message.content"
            ) from None
        if not isinstance(content, str):
            raise _Failed(f"response content is {type(content).__name__}, not text")
        return content.strip()

    def chat(self, conversations: Sequence[list[dict[str, str]]]) -> list[ChatAnswer | Exception]:
        """Send whole conversations (judges use this), concurrently; one result each.

        Each result is the answer's text with the response's token ``usage``, or the
        exception that ended that conversation's request (after the retries).
        """
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                max_workers=self.concurrency, thread_name_prefix="evalkit-openai"
            )
        stop = threading.Event()

        def one(messages: list[dict[str, str]]) -> ChatAnswer:
            raw = self._post(self._body(messages), stop)
            return ChatAnswer(self._content(raw), *_usage(raw))

        futures = [self._pool.submit(one, m) for m in conversations]
        results: list[ChatAnswer | Exception] = []
        for fut in futures:
            try:
                results.append(fut.result())
            except _Failed as exc:
                results.append(exc)
        return results

    def translate_batch(self, requests: Sequence[Request]) -> list[str]:
        if not requests:
            return []
        if self._pool is None:
            if self._cancel.is_set():  # used again after close()
                self._cancel.clear()
                self._transport = Transport(self.url, self.timeout, self.max_body_bytes)
            self._pool = ThreadPoolExecutor(
                max_workers=self.concurrency, thread_name_prefix="evalkit-openai"
            )
        stop = threading.Event()

        def one(req: Request) -> str:
            try:
                return self._complete(req, stop)
            except _Failed:
                stop.set()
                raise

        futures = [self._pool.submit(one, r) for r in requests]
        answers: list[str] = []
        failed: list[tuple[Request, str]] = []
        for req, fut in zip(requests, futures, strict=True):
            try:
                answers.append(fut.result())
            except _Failed as exc:
                failed.append((req, str(exc)))
        if failed:
            first = next((m for _, m in failed if not m.startswith("cancelled")), failed[0][1])
            raise system_failure(self.name, [r for r, _ in failed], first)
        return check_answers(self.name, requests, answers, max_chars=self.max_chars)

    def close(self) -> None:
        """Stop at once: cut requests in flight, end backoff waits, release the threads."""
        self._cancel.set()
        self._transport.abort()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._transport.close()
