"""A translator for `evalkit run`, speaking the `command` protocol. Copy it and edit `translate`.

evalkit starts this program once per batch and writes one JSON request per line on stdin:

    {"id": "...", "task": "translation", "text": "...", "src_lang": "en", "tgt_lang": "ko"}

It answers one JSON line per request on stdout: {"id": "...", "output": "..."}.
Anything printed to stderr is shown (its tail) if the program fails.
"""

import json
import sys


def load_model():
    """Load your model once per batch here (tokenizer, weights, API client...)."""
    return None


def translate(model, text: str, src_lang: str, tgt_lang: str, task: str) -> str:
    """Replace this with a call to your model. This placeholder copies the source."""
    return text


def main() -> None:
    model = load_model()
    for line in sys.stdin:
        request = json.loads(line)
        output = translate(
            model, request["text"], request["src_lang"], request["tgt_lang"], request["task"]
        )
        print(json.dumps({"id": request["id"], "output": output}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
