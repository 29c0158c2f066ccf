"""The dataset card (``README.md`` of the Hub repository): YAML metadata and prose.

Everything in it is derived from the dataset (no dates, no hostnames), so the same
dataset gives the same card.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from evalkit import __version__
from evalkit.paper import languages_of
from evalkit.publish import counts as dataset_counts
from evalkit.publish import docs, metadata
from evalkit.publish import tables as T

if TYPE_CHECKING:
    from evalkit.publish.layout import Build


def _first(source: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if source.get(key):
            return str(source[key])
    return None


def _source_rows(result: Build) -> list[tuple[str, str, str, int]]:
    """(file, format, weeks, papers) per digest file named in the records' ``sources``."""
    papers_of: dict[tuple[str, str], set[str]] = {}
    weeks_of: dict[tuple[str, str], set[str]] = {}
    for paper in result.papers:
        for source in paper.sources:
            name = _first(source, ("file", "file_name", "path", "name")) or "?"
            name = re.split(r"[\\/]", name)[-1]
            key = (name, _first(source, ("format", "kind")) or "?")
            papers_of.setdefault(key, set()).add(paper.id)
            weeks_of.setdefault(key, set()).add(paper.week)
    return [
        (name, fmt, ", ".join(sorted(weeks_of[(name, fmt)])), len(ids))
        for (name, fmt), ids in sorted(papers_of.items())
    ]


def _short(value: Any, limit: int = 160) -> Any:
    if isinstance(value, str) and len(value) > limit:
        return value[:limit].rstrip() + " …"
    if isinstance(value, dict):
        return {k: _short(v, limit) for k, v in value.items()}
    if isinstance(value, list):
        return [_short(v, limit) for v in value]
    return value


def _example(result: Build, config: str, *, paper_id: str | None = None) -> dict | None:
    """The first row of ``config`` (of paper ``paper_id`` if given and present)."""
    for table in result.tables:
        if table.name == config:
            rows = table.splits[0].rows
            return next((r for r in rows if paper_id and r["id"] == paper_id), rows[0])
    return None


def _formats(result: Build) -> list[str]:
    return sorted({str(s.get("format")) for p in result.papers for s in p.sources})


def _copies(result: Build) -> int:
    """Translation rows whose reference is the source text itself."""
    count = 0
    for table in result.tables:
        if table.name in T.TRANSLATION_CONFIGS:
            src, tgt = languages_of(table.name)
            count += sum(
                r["translation"][src] == r["translation"][tgt] for r in table.splits[0].rows
            )
    return count


def _default(config: str) -> str:
    return " (default)" if config == T.DEFAULT_CONFIG else ""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _citation(result: Build, repo_id: str, fingerprint: str) -> str:
    key = re.sub(r"[^A-Za-z0-9]+", "_", repo_id).strip("_").lower()
    year = max(p.week for p in result.papers)[:4]
    org = repo_id.split("/")[0]
    return (
        f"@misc{{{key},\n"
        f"  title        = {{{{{metadata.PRETTY_NAME}}}}},\n"
        f"  author       = {{{{{org}}}}},\n"
        f"  year         = {{{year}}},\n"
        f"  howpublished = {{\\url{{https://huggingface.co/datasets/{repo_id}}}}},\n"
        f"  note         = {{Extracted with evalkit {__version__};"
        f" dataset fingerprint {fingerprint}}}\n"
        "}"
    )


def render(result: Build, *, repo_id: str, license_id: str) -> str:
    """The full card text (YAML front matter, then Markdown)."""
    from evalkit.publish.docs import MARKER

    counts = dataset_counts.compute(result.papers, result.tables)
    fp = counts["fingerprint"]
    total = counts["total"]
    week_list = [w["week"] for w in counts["weeks"]]
    names = [t.name for t in result.tables]
    paired = {
        r["paper_id"]
        for t in result.tables
        if t.name in T.TRANSLATION_CONFIGS or t.name == T.COMMENTARY_CONFIG
        for r in t.splits[0].rows
    }
    human = total["commentary"]["-".join(T.COMMENTARY_PAIR)]
    unpaired = total["papers"] - len(paired)
    flags = Counter(
        str(f.get("kind") or f.get("type") or f.get("code") or "other")
        for p in result.papers
        for f in p.flags
    )
    out: list[str] = [
        "---",
        metadata.render_yaml(metadata.card_data(result, license_id=license_id)).rstrip("\n"),
        "---",
        "",
        MARKER,
        "",
    ]
    out += [
        f"# {metadata.PRETTY_NAME}",
        "",
        f"{total['papers']} machine-learning papers from {len(week_list)} weekly digests"
        f" ({week_list[0]} to {week_list[-1]}), aligned across English, Korean and Japanese:"
        " each paper's title, a short summary and its abstract where the digests carry them."
        " It is a test set for machine translation from English into Korean and Japanese and"
        " for summarization (abstract -> summary), built with evalkit, the evaluation harness"
        " that scores systems on it.",
        "",
        "Aligned pairs (title / summary / abstract): "
        + "; ".join(
            f"{pair} {' / '.join(str(c[f]) for f in ('title', 'summary', 'abstract'))}"
            for pair, c in total["translation"].items()
        )
        + f". Summarization pairs: {total['summarization']['total']}."
        + f" Human-translated ko-en commentary pairs (notes): {human}.",
        "",
        "## Where the data comes from",
        "",
        "Weekly digests of the top machine-learning papers, one file per digest.",
        "",
        *[line for paragraph in docs.origin(_formats(result)) for line in (paragraph, "")],
        "A paper found in several digests of the same week (same arXiv id or same English"
        " title) is one record carrying every language they give.",
        "",
        "| digest file | format | weeks | papers |",
        "|---|---|---|---|",
    ]
    out += [f"| `{n}` | {f} | {w} | {c} |" for n, f, w, c in _source_rows(result)]
    out += [
        "",
        "## Configs and splits",
        "",
        *[f"- `{name}`{_default(name)}: {docs.CONFIG_DOCS[name]}." for name in names],
        "",
        "Every config has a split per ISO week (`2023-W41` -> `w2023_41`) and `test` with all"
        " weeks; the week splits partition `test`, they are not extra data.",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'en_ko = load_dataset("{repo_id}", "en-ko", split="test")',
        f'one_week = load_dataset("{repo_id}", "en-ko", split="{counts["weeks"][-1]["split"]}")',
        "```",
        "",
        "Rows per config and split:",
        "",
        dataset_counts.config_table(counts).rstrip("\n"),
        "",
        "## Counts per week, config and language pair",
        "",
        dataset_counts.markdown_table(counts).rstrip("\n"),
        "",
        "## Fields",
        "",
    ]
    for name in names:
        doc = docs.FIELD_DOCS["translation" if name in T.TRANSLATION_CONFIGS else name]

        out += [f"`{name}`:", "", docs.field_table(doc).rstrip("\n"), ""]
    out += ["## Example records", ""]
    first_pair = _example(result, "en-ko") or _example(result, "en-ja")
    if first_pair is not None:
        name = "en-ko" if _example(result, "en-ko") else "en-ja"
        out += [f"A row of `{name}`:", "", "```json", _json(first_pair), "```", ""]
    paper = _example(result, T.PAPERS_CONFIG, paper_id=(first_pair or {}).get("paper_id"))
    out += [
        "The row of that paper in `papers` (long texts cut here with `…`):"
        if first_pair is not None
        else "A row of `papers` (long texts cut here with `…`):",
        "",
        "```json",
        _json(_short(paper)),
        "```",
        "",
    ]
    out += [
        "## How it was extracted",
        "",
        f"Extracted with evalkit {__version__} (`evalkit extract`), which detects each digest's"
        " format, splits native and English text by script, strips bullets, labels, URLs and"
        " tag words glued to the last sentence, normalizes Unicode to NFC and aligns entries of"
        f" the same paper. Dataset fingerprint: `{fp}` (a hash of the records' content)."
        " Translation and summarization rows are built by `evalkit.dataset.build_examples`,"
        " the same code that builds evaluation examples, so `id` values match evalkit's"
        " example ids. The folder is rebuilt byte for byte by"
        f" `evalkit publish --repo-id {repo_id} --dry-run` from the same dataset.",
        "",
    ]
    if flags:
        listed = ", ".join(f"{k} ({v})" for k, v in sorted(flags.items()))
        out += [f"Extractor flags recorded in `papers.flags`: {listed}.", ""]
    out += [
        "## Limitations",
        "",
        "- **The Korean and Japanese references of `en-ko` and `en-ja` are machine"
        " translations**, published by the digests, not translations by professional"
        " translators. They carry the errors and the style of the system that produced them:"
        " a metric against them measures agreement with that system as much as quality, and"
        " favours systems like it.",
        "- The English summaries are the digests' own and the abstracts the authors';"
        " both may differ slightly from the paper's current arXiv version.",
        f"- It is small: {total['papers']} papers in {len(week_list)} weeks. Report"
        " confidence intervals, and expect wide ones per week.",
    ]
    if human:
        out.append(
            f"- Only the {human} `{T.COMMENTARY_CONFIG}` pair{'s are' if human > 1 else ' is'}"
            " human-translated: the note's author wrote the Korean commentary, then an English"
            " version of it. That is one person's free rendering of their own comments on a"
            " paper, not a professional translation of the paper's text. ko-en is its real"
            " direction; used en-ko, the source is itself the translation."
        )
    else:
        out.append(
            f"- No human-translated pair: no note has both a Korean commentary and the"
            f" author's English version, so `{T.COMMENTARY_CONFIG}` is not published."
        )
    if unpaired:
        why = (
            " (notes without an English commentary give an English title with Korean"
            " commentary only)"
            if "paper-notes" in _formats(result)
            else ""
        )
        out.append(
            f"- {unpaired} of the papers have no text in a second language{why}: they are in"
            " `papers` but in no translation pair."
        )
    copies = _copies(result)
    if copies:
        out.append(
            f"- In {copies} translation pair{'s' if copies > 1 else ''} the reference equals"
            " the source (a text left untranslated): a system that copies its input gets"
            f" {'them' if copies > 1 else 'it'} right."
        )
    if flags:
        out.append(
            "- Some texts were repaired during extraction (see `flags`); a repair can be wrong."
        )
    out += [
        "- The texts belong to their authors and to the digests' publishers; check the"
        f" license (`{license_id}`) and the sources before redistributing.",
        "",
        "## Citation",
        "",
        "```bibtex",
        _citation(result, repo_id, fp),
        "```",
        "",
        "Please also credit the digests this data comes from: DAIR.AI's \"Top ML Papers of"
        " the Week\" and the PyTorchKR community's Korean and Japanese editions.",
        "",
    ]
    return "\n".join(out)
