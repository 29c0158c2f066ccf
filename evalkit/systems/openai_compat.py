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
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from evalkit.errors import ConfigError
from evalkit.systems.base import Request, System
from evalkit.systems.common import (
    DEFAULT_MAX_OUTPUT_CHARS,
    check_answers,
    positive_int,
    positive_number,
    system_failure,
)
from evalkit.systems.secrets import redact_url, scrub, secrets_in
from evalkit.systems.transport import (
    TRANSPORT_ERRORS,
    BodyTooLarge,
    DeadlineExceeded,
    Reply,
    Transport,
)
from evalkit.textsafe import terminal_safe

LANG_NAMES = {"en": "English", "ko": "Korean", "ja": "Japanese"}
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


class _Failed(Exception):
    """One request failed for good (message already safe to show)."""


class OpenAISystem(System):
    """A chat-completions endpoint (see the module docstring).

    Config keys: ``base_url`` and ``model`` (required); ``api_key_env``; ``prompts``
    (``{translation = "...", summarization = "..."}`` with ``{text}``, ``{src_lang}``,
    ``{tgt_lang}``, ``{src_name}``, ``{tgt_name}``); ``system_prompt``;
    ``max_concurrency`` (default 4); ``timeout`` (seconds per request, default 60);
    ``retries`` (default 3); ``backoff`` (first wait in seconds, default 1, doubling,
    at most ``backoff_max`` = 30); ``temperature`` (default 0); ``max_tokens``;
    ``extra_body`` (merged into every request); ``batch_size`` (default
    4 x max_concurrency); ``version``.
    """

    kind = "openai"

    def __init__(self, name: str, config: dict[str, Any] | None = None, **_: Any):
        super().__init__(name, config)
        c = self.config
        for key in ("base_url", "model"):
            if not isinstance(c.get(key), str) or not c[key]:
                raise ConfigError(f"system {name!r}: {key} is required (a string)")
        url = urlsplit(c["base_url"])
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(
                f"system {name!r}: base_url must be an http(s) URL,"
                f" got {redact_url(c['base_url'])!r}"
            )
        # the path goes before a query (``...v1?api-version=...``), never into it
        self.url = urlunsplit(url._replace(path=url.path.rstrip("/") + "/chat/completions"))
        #: The URL as shown in messages: userinfo and credential parameters masked.
        self.shown_url = redact_url(self.url)
        self.concurrency = positive_int(c, "max_concurrency", 4, system=name)
        self.timeout = positive_number(c, "timeout", 60, system=name)
        self.retries = int(c.get("retries", 3))
        if self.retries < 0:
            raise ConfigError(f"system {name!r}: retries must be >= 0")
        self.backoff = float(c.get("backoff", 1.0))
        self.backoff_max = float(c.get("backoff_max", 30.0))
        self.max_chars = positive_int(c, "max_output_chars", DEFAULT_MAX_OUTPUT_CHARS, system=name)
        prompts = c.get("prompts", {})
        if not isinstance(prompts, dict):
            raise ConfigError(f"system {name!r}: prompts must be a table of task = template")
        self.prompts = {**DEFAULT_PROMPTS, **prompts}
        for task, template in self.prompts.items():
            try:
                str(template).format(**_PLACEHOLDERS)
            except (KeyError, IndexError, ValueError) as exc:
                raise ConfigError(
                    f"system {name!r}: prompt for {task!r} has an invalid placeholder {exc};"
                    f" use {{{'}, {'.join(_PLACEHOLDERS)}}}"
                ) from None
        self._api_key = ""
        env_name = c.get("api_key_env")
        if env_name:
            self._api_key = os.environ.get(str(env_name), "")
            if not self._api_key:
                raise ConfigError(
                    f"system {name!r}: environment variable {env_name} (api_key_env) is not set"
                )
        #: The longest response body read (see :data:`BODY_BYTES_PER_CHAR`).
        self.max_body_bytes = BODY_BYTES_PER_CHAR * self.max_chars + BODY_OVERHEAD_BYTES
        self._transport = Transport(self.url, self.timeout, self.max_body_bytes)
        #: Values scrubbed from error bodies: the key and the secrets of the configuration.
        self._secrets = [self._api_key, *secrets_in(c)]
        self._pool: ThreadPoolExecutor | None = None
        #: Set by :meth:`close`: requests in flight and backoff waits end at once.
        self._cancel = threading.Event()

    @property
    def batch_size(self) -> int:
        return int(self.config.get("batch_size", 4 * self.concurrency))

    def _payload(self, req: Request) -> bytes:
        values = {
            "text": req.text,
            "src_lang": req.src_lang,
            "tgt_lang": req.tgt_lang,
            "src_name": LANG_NAMES.get(req.src_lang, req.src_lang),
            "tgt_name": LANG_NAMES.get(req.tgt_lang, req.tgt_lang),
        }
        messages = []
        if self.config.get("system_prompt"):
            messages.append(
                {"role": "system", "content": str(self.config["system_prompt"]).format(**values)}
            )
        messages.append({"role": "user", "content": str(self.prompts[req.task]).format(**values)})
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
        headers = {"Content-Type": "application/json"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        data = self._payload(req)
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
                    return self._content(reply.body)
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
