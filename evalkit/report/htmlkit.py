"""Building HTML with escaping on by default.

Every string that reaches a page goes through :func:`el` or :func:`esc`, which escape
it unless it is :class:`Markup` (HTML that this package built itself). System outputs,
references, paper titles, run ids and system specs are untrusted: they are only ever
passed as plain ``str`` and so always come out as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from importlib import resources
from typing import Union

#: Blocks every script, network fetch and plugin even if something slipped through
#: escaping; styles are inline and images are inline SVG or data: URLs.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
    " form-action 'none'"
)


class Markup(str):
    """HTML built by this package: inserted as is."""

    __slots__ = ()


Child = Union[str, int, float, Markup, None, Iterable["Child"]]  # noqa: UP007 - runtime alias on 3.10


def esc(value: object) -> Markup:
    """``value`` as HTML text (quotes escaped too), unless it already is :class:`Markup`."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def _flatten(children: Iterable[Child]) -> Iterable[Markup]:
    for child in children:
        if child is None:
            continue
        if isinstance(child, (str, int, float)):
            yield esc(child)
        else:
            yield from _flatten(child)


def join(children: Iterable[Child]) -> Markup:
    """Concatenate children, escaping every plain string."""
    return Markup("".join(_flatten(children)))


_ATTR_NAME = re.compile(r"^[a-zA-Z_:][-a-zA-Z0-9_:.]*$")


def el(tag: str, *children: Child, **attrs: object) -> Markup:
    """One element: ``el("td", text, class_="num", data_value=1.5)``.

    Attribute names: a trailing ``_`` is dropped (``class_``) and ``_`` becomes ``-``
    (``data_value`` -> ``data-value``). ``None``/``False`` attributes are left out,
    ``True`` ones written bare. Attribute values and children are escaped.
    """
    parts = [tag]
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        if not _ATTR_NAME.match(name):
            raise ValueError(f"bad attribute name {name!r}")
        parts.append(name if value is True else f'{name}="{esc(value)}"')
    open_tag = "<" + " ".join(parts) + ">"
    if tag in ("br", "meta", "hr", "col"):
        return Markup(open_tag)
    return Markup(open_tag + join(children) + f"</{tag}>")


def anchor(*parts: str) -> str:
    """An id usable in ``href="#..."``: letters, digits and ``-`` only."""
    text = "-".join(parts)
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "x"


def stylesheet() -> str:
    """The report stylesheet (shipped as package data)."""
    return resources.files("evalkit.report").joinpath("style.css").read_text(encoding="utf-8")


def page(title: str, body: Child, *, nav: Child = None, lang: str = "en") -> str:
    """A complete, self-contained HTML document (inline CSS, no scripts, strict CSP)."""
    head = join(
        [
            el("meta", charset="utf-8"),
            el("meta", name="viewport", content="width=device-width, initial-scale=1"),
            el("meta", http_equiv="Content-Security-Policy", content=CSP),
            el("meta", name="referrer", content="no-referrer"),
            el("title", title),
            el("style", Markup(stylesheet())),
        ]
    )
    nav_html = el("nav", nav, class_="topnav") if nav is not None else None
    return (
        "<!DOCTYPE html>\n"
        + el("html", el("head", head), el("body", nav_html, body), lang=lang)
        + "\n"
    )


def table(
    header: Iterable[Child], rows: Iterable[Iterable[Child]], *, class_: str = "scores"
) -> Markup:
    """A table; each cell is a child, or a ready ``<td>``/``<th>`` :class:`Markup`."""

    def cell(tag: str, value: Child) -> Markup:
        if isinstance(value, Markup) and (value.startswith("<td") or value.startswith("<th")):
            return value
        return el(tag, value)

    head = el("thead", el("tr", [cell("th", h) for h in header]))
    body = el("tbody", [el("tr", [cell("td", v) for v in row]) for row in rows])
    return el("div", el("table", head, body, class_=class_), class_="table-wrap")
