"""Regenerate comet_reference.json with the real unbabel-comet (not run by the tests).

unbabel-comet pins numpy<2, huggingface-hub<1 and transformers<5, so it runs in a
separate virtual environment:

    python -m venv /tmp/cometvenv
    /tmp/cometvenv/bin/pip install torch==2.13.0 unbabel-comet==2.2.7 "setuptools<81"
    python tests/neural/data/make_comet_reference.py build /tmp/tiny   # evalkit's env
    /tmp/cometvenv/bin/python tests/neural/data/make_comet_reference.py score /tmp/tiny \
        > tests/neural/data/comet_reference.json

``build`` writes the same tiny checkpoints as the test fixtures (seeded numpy draws);
``score`` scores TEXTS with ``comet.load_from_checkpoint(...).predict``.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tiny_models import COMET_MODELS as MODELS  # noqa: E402
from tiny_models import COMET_TEXTS as TEXTS  # noqa: E402


def build(root: Path) -> None:
    import tiny_models

    encoder = tiny_models.build_xlmr(root / "xlmr")
    for name, kwargs in MODELS.items():
        tiny_models.build_comet(root / name, encoder, **kwargs)


def score(root: Path) -> None:
    from importlib.metadata import version

    from comet import load_from_checkpoint

    data = [
        {"src": s, "mt": h, "ref": r}
        for s, h, r in zip(TEXTS["srcs"], TEXTS["hyps"], TEXTS["refs"], strict=True)
    ]
    out = {}
    for name in MODELS:
        model = load_from_checkpoint(
            str(root / name / "checkpoints" / "model.ckpt"), local_files_only=True
        )
        pred = model.predict(data, batch_size=2, gpus=0, progress_bar=False)
        out[name] = {"scores": [float(x) for x in pred.scores], "system": float(pred.system_score)}
    produced_by = ", ".join(f"{p} {version(p)}" for p in ("unbabel-comet", "transformers", "torch"))
    print(
        json.dumps(
            {"schema_version": 1, "produced_by": produced_by, **TEXTS, "models": out}, indent=1
        )
    )


if __name__ == "__main__":
    {"build": build, "score": score}[sys.argv[1]](Path(sys.argv[2]))
