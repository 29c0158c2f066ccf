# ruff: noqa: E501
"""Golden cases from sacrebleu's published tests, as of sacrebleu 2.x (mjpost/sacrebleu
``test/test_bleu.py``, ``test_sentence_bleu.py``, ``test_chrf.py``, ``test_ter.py``;
Apache License 2.0). Long lines: the texts are copied verbatim.

Each case: hypotheses, reference streams (sacrebleu's layout: one list per reference),
the sacrebleu keyword arguments, the evalkit scorer options that mean the same, the
published number (on sacrebleu's scale: BLEU and chrF 0-100, TER 0-100), and the
tolerance the published test allows (its numbers are rounded). Where sacrebleu's test
calls ``raw_corpus_bleu`` the options are those it stands for: ``tokenize='none'``,
``smooth_method='floor'``, ``use_effective_order=True``.
"""

from __future__ import annotations

from typing import Any

_REFS = [
    ["The dog bit the man.", "It was not unexpected.", "The man bit him first."],
    ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."],
]
_HYPS = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."]
_RAW = {"tokenize": "none", "smooth_method": "floor", "effective_order": True}


def _raw(value: float | None) -> dict[str, Any]:
    return {**_RAW, **({"smooth_value": value} if value is not None else {})}


#: (id, hyps, ref streams, evalkit BLEU options, published corpus BLEU, tolerance)
CORPUS_BLEU: list[tuple[str, list[str], list[list[str]], dict[str, Any], float, float]] = [
    ("raw-1", ["this is a test", "another test"], [["ref1", "ref2"]], _raw(0.01), 0.0, 1e-6),
    ("raw-2", ["this is a test"], [["this is a test"]], _raw(0.01), 100.0, 1e-6),
    ("raw-3", ["this is a fest"], [["this is a test"]], _raw(0.01), 22.3606797749979, 1e-6),
    ("readme-default", _HYPS, _REFS, {}, 48.530827, 1e-6),
    ("readme-empty-hyps", ["", "", ""], _REFS, {}, 0.0, 1e-6),
    ("readme-tok-none", _HYPS, _REFS, {"tokenize": "none"}, 49.1919566, 1e-6),
    ("readme-tok-13a", _HYPS, _REFS, {"tokenize": "13a"}, 48.530827, 1e-6),
    ("readme-tok-intl", _HYPS, _REFS, {"tokenize": "intl"}, 43.91623493, 1e-6),
    ("readme-smooth-none", _HYPS, _REFS, {"smooth_method": "none"}, 48.530827, 1e-6),
    ("eff-order-1", ["test"], [["a test"]], _raw(0.01), 36.78794411714425, 1e-6),
    ("eff-order-2", ["a test"], [["a test"]], _raw(0.01), 100.0, 1e-6),
    ("eff-order-3", ["a little test"], [["a test"]], _raw(0.01), 3.218297948685433, 1e-6),
    ("offset-0", ["am I am a character sequence"], [["I am a symbol string sequence a a"]], _raw(0.0), 0.0, 1e-6),
    ("offset-default", ["am I am a character sequence"], [["I am a symbol string sequence a a"]], _raw(None), 15.55722182, 1e-6),
    *(
        (f"max-order-{n}", _HYPS, _REFS, {"max_ngram_order": n}, v, 0.005)
        for n, v in ((1, 77.65), (2, 60.50), (3, 53.93), (4, 48.53), (5, 46.14), (6, 43.28))
    ),
]  # fmt: skip

#: test_scoring and test_degenerate_statistics: (correct, total, sys_len, ref_len,
#: smooth_method, smooth_value, published BLEU 0-100).
BLEU_FROM_STATISTICS: list[tuple[list[int], list[int], int, int, str, float | None, float]] = [
    ([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, "exp", None, 83.75922397),
    ([0, 0, 0, 0], [4, 4, 2, 1], 0, 1, "floor", 0.0, 0.0),
    ([0, 0, 0, 0], [10, 11, 12, 0], 14, 10, "floor", 0.0, 0.0),
    ([0, 0, 0, 0], [0, 0, 0, 0], 0, 0, "floor", 0.0, 0.0),
    ([6, 5, 4, 0], [6, 5, 4, 3], 6, 6, "floor", 0.0, 0.0),
    ([0, 0, 0, 0], [0, 0, 0, 0], 0, 0, "floor", 0.1, 0.0),
    ([0, 0, 0, 0], [0, 0, 0, 0], 1, 5, "floor", 0.01, 0.0),
]

#: test_statistics: matches and totals per order of one segment.
BLEU_STATISTICS = (
    "am I am a character sequence",
    "I am a symbol string sequence a a",
    [4, 2, 1, 0],
    [6, 5, 4, 3],
)

_SYS = "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;"
_REF = "producţia de zahăr brut se exprimă în zahăr alb;"

#: (smooth_method, smooth_value, lowercase, tokenize, published sentence BLEU) on _SYS/_REF.
SENTENCE_BLEU: list[tuple[str, float | None, bool, str, float]] = [
    ("exp", None, False, "13a", 8.493),
    ("none", None, False, "13a", 0.0),
    ("floor", None, False, "13a", 4.51688),
    ("floor", 0.1, False, "13a", 4.51688),
    ("floor", 0.5, False, "13a", 10.10),
    ("add-k", None, False, "13a", 14.882),
    ("add-k", 1, False, "13a", 14.882),
    ("add-k", 2, False, "13a", 21.389),
    ("exp", None, False, "none", 7.347),
    ("exp", None, False, "intl", 8.493),
    ("exp", None, False, "char", 40.8759),
    ("exp", None, True, "char", 42.0267),
]
SENTENCE_BLEU_PAIR = (_SYS, _REF)
#: The zero-BLEU cases of test_sentence_bleu (sacrebleu issue #141): every smoothing gives 0.
SENTENCE_BLEU_ZERO = ("this is a cat", "okay thanks")
SENTENCE_BLEU_TOLERANCE = 1e-3

_CS_HYP = " risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."
_CS_REF = "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."
_DE_HYP = " Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "
_DE_REF = "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."

_EPS3 = {"beta": 3, "eps_smoothing": True}
_EFF3 = {"beta": 3, "eps_smoothing": False}
_WS3 = {"beta": 3, "whitespace": True}
#: (id, hyps, refs (one stream), evalkit chrF options, published corpus chrF, tolerance)
CORPUS_CHRF: list[tuple[str, list[str], list[str], dict[str, Any], float, float]] = [
    ("eps-disjoint", ["abcdefg"], ["hijklmnop"], _EPS3, 0.0, 1e-4),
    ("eps-a-b", ["a"], ["b"], _EPS3, 0.0, 1e-4),
    ("eps-empty-b", [""], ["b"], _EPS3, 0.0, 1e-4),
    ("eps-empty-ref", [""], ["ref"], _EPS3, 0.0, 1e-4),
    ("eps-empty-reference", [""], ["reference"], _EPS3, 0.0, 1e-4),
    ("eps-aa-ab", ["aa"], ["ab"], _EPS3, 8.3333, 1e-4),
    ("eps-two-segments", ["a", "b"], ["a", "c"], _EPS3, 8.3333, 1e-4),
    ("eps-a-a", ["a"], ["a"], _EPS3, 16.6667, 1e-4),
    ("eps-abc-spaced", ["a b c"], ["a b c"], _EPS3, 50.0, 1e-4),
    ("eps-abc-joined", ["a b c"], ["abc"], _EPS3, 50.0, 1e-4),
    ("eps-risk", [_CS_HYP], [_CS_REF], _EPS3, 63.361730, 1e-4),
    ("eps-obama", [_DE_HYP], [_DE_REF], _EPS3, 64.1302698, 1e-4),
    ("eps-identical", ["Niemand hat die Absicht, eine Mauer zu errichten"],
     ["Niemand hat die Absicht, eine Mauer zu errichten"], _EPS3, 100.0, 1e-4),
    ("eff-a-a", ["a"], ["a"], _EFF3, 100.0, 1e-4),
    ("eff-empty", [""], ["reference"], _EFF3, 0.0, 1e-4),
    ("eff-abc", ["a b c"], ["a b c"], _EFF3, 100.0, 1e-4),
    ("eff-abc-joined", ["a b c"], ["abc"], _EFF3, 100.0, 1e-4),
    ("eff-empty-c", [""], ["c"], _EFF3, 0.0, 1e-4),
    ("eff-two-segments", ["a", "b"], ["a", "c"], _EFF3, 50.0, 1e-4),
    ("eff-aa-ab", ["aa"], ["ab"], _EFF3, 25.0, 1e-4),
    ("ws-obama", ["Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."],
     [_DE_REF], _WS3, 67.3481606, 1e-4),
    ("ws-risk", [_CS_HYP.strip()], [_CS_REF], _WS3, 65.2414427, 1e-4),
]  # fmt: skip

#: test_chrf_sentence_level: (hyp, ref, published sentence chrF), eps_smoothing, beta 2.
SENTENCE_CHRF: list[tuple[str, str, float]] = [
    ("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
     "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.",
     39.14078509),
    ("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
     "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.",
     31.22557079),
    ("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
     "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.",
     57.15704367),
]  # fmt: skip

#: test_ter: (id, hyps, refs, published TER as a rate), tolerance 1e-3 on the 0-100 scale.
CORPUS_TER: list[tuple[str, list[str], list[str], float]] = [
    ("perfect", ["aaaa bbbb cccc dddd"], ["aaaa bbbb cccc dddd"], 0.0),
    ("no-overlap", ["dddd eeee ffff"], ["aaaa bbbb cccc"], 1.0),
    ("empty-hyp", [""], ["a"], 1.0),
    ("one-shift", ["d e f g h a b c"], ["a b c d e f g h"], 1 / 8),
    ("wmt19-dev", [
        'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit das Bild ungefähr dieselbe Größe aufweist wie die andere Größe .',
        'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
        'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie Werte für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " ein .',
        "Sie können beispielsweise ein Dokument erstellen , das ein Auto über die Bühne enthält .",
        'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
    ], [
        'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit die Darstellung des Bildes in einer anderen Größe beibehalten wird .',
        'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
        'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " niedrigere Werte ein .',
        "Sie können beispielsweise ein Dokument erstellen , das ein Auto enthalt , das sich über die Bühne bewegt .",
        'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
    ], 0.136),
]  # fmt: skip
