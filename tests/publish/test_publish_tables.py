import re

import pytest

from evalkit import dataset
from evalkit.errors import DataError
from evalkit.publish import layout, metadata, parquet
from evalkit.publish import tables as T
from evalkit.publish.features import features

SPLIT_RULE = re.compile(r"^\w+(\.\w+)*$")


def _pairs(papers, pair, field):
    src, tgt = pair.split("-")
    return sum(1 for p in papers if p.text(field, src) and p.text(field, tgt))


@pytest.mark.parametrize(
    "week,split", [("2023-W41", "w2023_41"), ("2024-W01", "w2024_01"), ("2023-W31", "w2023_31")]
)
def test_split_name(week, split):
    assert T.split_name(week) == split
    assert SPLIT_RULE.match(split)


@pytest.mark.parametrize("week", ["2023-41", "w2023_41", "2023-W4", "", "2023-W41x"])
def test_split_name_rejects_non_iso_weeks(week):
    with pytest.raises(DataError, match="ISO week"):
        T.split_name(week)


def test_tables_have_every_config_and_week_splits(papers):
    tables = {t.name: t for t in T.build_tables(papers)}
    assert list(tables) == ["papers", "en-ko", "en-ja", "summarization"]
    assert [s.name for s in tables["papers"].splits] == [
        "test",
        "w2023_31",
        "w2023_36",
        "w2023_41",
        "w2024_42",
    ]
    # Splits only for weeks with rows: the Japanese week has no en-ko row.
    assert [s.name for s in tables["en-ko"].splits] == ["test", "w2023_41", "w2024_42"]
    assert [s.name for s in tables["en-ja"].splits] == ["test", "w2023_36"]
    for table in tables.values():
        test, *weeks = table.splits
        assert sum(len(s.rows) for s in weeks) == len(test.rows)
        for split in weeks:
            assert {r["week"] for r in split.rows} == {split.week}
            assert T.split_name(split.week) == split.name


def test_translation_rows_match_the_dataset(papers):
    for pair in ("en-ko", "en-ja"):
        rows = T.rows(papers, pair)
        for field in dataset.TEXT_FIELDS:
            assert sum(r["field"] == field for r in rows) == _pairs(papers, pair, field)
        src, tgt = pair.split("-")
        by_id = {p.id: p for p in papers}
        for r in rows:
            paper = by_id[r["paper_id"]]
            assert r["translation"] == {
                src: paper.text(r["field"], src),
                tgt: paper.text(r["field"], tgt),
            }
            assert r["id"] == f"{paper.id}/{r['field']}/{pair}"
    assert len(T.rows(papers, "en-ko")) == 6 + 6 + 5
    assert len(T.rows(papers, "en-ja")) == 2 + 2 + 1


def test_rows_share_ids_with_evaluation_examples(papers):
    examples = dataset.build_examples(papers, tasks=["translation", "summarization"])
    published = [r["id"] for c in ("en-ko", "en-ja", "summarization") for r in T.rows(papers, c)]
    assert sorted(published) == sorted(ex.id for ex in examples)


def test_summarization_rows(papers):
    rows = T.rows(papers, "summarization")
    for pair in dataset.SUMMARIZATION_PAIRS:
        src, tgt = pair.split("-")
        expected = sum(1 for p in papers if p.text("abstract", src) and p.text("summary", tgt))
        got = [r for r in rows if (r["src_lang"], r["tgt_lang"]) == (src, tgt)]
        assert len(got) == expected
    row = next(r for r in rows if r["id"] == "2023-W41-ko-paper-0/summarize/en-ko")
    assert row["abstract"] == "First paragraph 0.\nSecond paragraph."
    assert row["summary"] == "한국어 요약 0."


def test_papers_rows_keep_every_field(papers):
    rows = T.rows(papers, "papers")
    assert [r["id"] for r in rows] == sorted(p.id for p in papers)  # ids sort like weeks here
    note = next(r for r in rows if r["id"] == "2023-W31-note-1")
    assert note["commentary"] == {"en": None, "ko": "메모 1\n둘째 문단", "ja": None}
    assert note["authors"] == ["A. Author", "B. Author"]
    assert note["sources"] == ['{"file": "000_notes.txt", "format": "paper-notes", "line": 7}']
    assert next(r for r in rows if r["id"] == "2023-W31-note-0")["commentary"] is None
    assert set(rows[0]) == set(T.columns("papers"))


def test_empty_dataset_is_an_error():
    with pytest.raises(DataError, match="no papers"):
        T.build_tables([])


@pytest.mark.parametrize("config", T.CONFIGS)
def test_features_are_datasets_features(config):
    import datasets

    feats = features(config)
    assert isinstance(feats, datasets.Features)
    assert list(feats) == list(T.columns(config))
    assert datasets.Features.from_dict(feats.to_dict()) == feats
    if config in (*T.TRANSLATION_CONFIGS, T.COMMENTARY_CONFIG):
        assert isinstance(feats["translation"], datasets.Translation)
        assert feats["translation"].languages == T.config_languages(config)
    assert T.config_languages(T.COMMENTARY_CONFIG) == ["ko", "en"]


@pytest.mark.parametrize("config", T.CONFIGS)
def test_parquet_carries_the_features(config, with_commentary):
    import io

    import datasets
    import pyarrow.parquet as pq

    rows = T.rows(with_commentary, config)
    assert rows, config
    written = parquet.write(rows, features(config))
    assert written.num_examples == len(rows)
    table = pq.read_table(io.BytesIO(written.data))
    assert written.num_bytes == table.nbytes
    assert datasets.Features.from_arrow_schema(table.schema) == features(config)
    assert pq.ParquetFile(io.BytesIO(written.data)).metadata.num_row_groups == 1
    back = datasets.Dataset(table).to_list()
    if config in (*T.TRANSLATION_CONFIGS, T.COMMENTARY_CONFIG):
        assert back == rows
    else:
        assert [r["id"] for r in back] == [r["id"] for r in rows]
    assert parquet.write(list(rows), features(config)).data == written.data


def test_yaml_features_are_what_datasets_writes(papers):
    import datasets

    result = layout.build(papers, repo_id="org/name")
    infos = {i["config_name"]: i for i in metadata.dataset_infos(result)}
    for table in result.tables:
        yaml_form = datasets.DatasetInfo(features=features(table.name))._to_yaml_dict()
        assert infos[table.name]["features"] == yaml_form["features"]
    assert infos["en-ja"]["features"][-1] == {
        "name": "translation",
        "dtype": {"translation": {"languages": ["en", "ja"]}},
    }
