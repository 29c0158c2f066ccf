"""Deterministic parquet files that ``datasets`` reads with the right features.

The ``datasets.Features`` of each file travel in the parquet schema metadata under the
``huggingface`` key (where ``datasets`` itself puts them), so a loader sees
``Translation`` columns rather than plain structs even without the dataset card.

Same rows -> same bytes: fixed writer options, one row group, no timestamps (parquet
records none; ``created_by`` names the pyarrow version, so bytes are stable for a
given pyarrow).
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

#: Writer options, fixed so the bytes do not depend on pyarrow's defaults changing.
WRITE_OPTIONS: dict[str, Any] = {
    "version": "2.6",
    "data_page_version": "1.0",
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "store_schema": True,
    "write_page_index": False,
    "write_page_checksum": False,
}


def arrow_type(feature: dict[str, Any]) -> pa.DataType:
    """The arrow type ``datasets`` uses for a feature given in ``Features.to_dict()`` form."""
    import pyarrow as pa

    kind = feature.get("_type")
    if kind == "Value":
        if feature["dtype"] != "string":
            raise ValueError(f"unsupported dtype {feature['dtype']!r}")
        return pa.string()
    if kind == "List":
        return pa.list_(arrow_type(feature["feature"]))
    if kind == "Translation":
        # datasets orders the languages of a Translation struct alphabetically.
        return pa.struct([(lang, pa.string()) for lang in sorted(feature["languages"])])
    if kind is None:
        return pa.struct([(name, arrow_type(sub)) for name, sub in feature.items()])
    raise ValueError(f"unsupported feature type {kind!r}")


def arrow_schema(features: dict[str, Any]) -> pa.Schema:
    """The arrow schema of a row table, with the features in its ``huggingface`` metadata."""
    import pyarrow as pa

    metadata = {"huggingface": json.dumps({"info": {"features": features}})}
    return pa.schema(
        [(name, arrow_type(feature)) for name, feature in features.items()], metadata=metadata
    )


def to_table(rows: list[dict[str, Any]], features: dict[str, Any]) -> pa.Table:
    """Rows (plain dicts) as an arrow table with the schema of ``features``."""
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=arrow_schema(features))


def parquet_bytes(table: pa.Table) -> bytes:
    """The parquet file of ``table``, written with :data:`WRITE_OPTIONS`, as bytes."""
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=max(1, table.num_rows), **WRITE_OPTIONS)
    return buffer.getvalue()


def arrow_nbytes(data: bytes) -> int:
    """Arrow size in memory of a parquet file read back, what ``datasets`` reports as
    a split's ``num_bytes`` (reading back adds validity buffers the writer's table lacks).
    """
    import pyarrow.parquet as pq

    return int(pq.read_table(io.BytesIO(data)).nbytes)
