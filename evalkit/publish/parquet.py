"""Deterministic parquet files written by ``datasets`` with the config's features.

``datasets.Dataset.from_list(rows, features=...)`` casts the rows to the features and
``Dataset.to_parquet`` writes them with the ``huggingface`` schema metadata, so a loader
sees ``Translation`` columns rather than plain structs even without the dataset card.

Same rows -> same bytes: one row group (the batch size is the number of rows), no
timestamps (parquet records none; ``created_by`` names the pyarrow version, so bytes
are stable for a given pyarrow and ``datasets``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datasets


@dataclass(frozen=True)
class ParquetFile:
    """One written parquet file: its bytes and the sizes the card declares."""

    data: bytes
    num_examples: int
    num_bytes: int  # arrow size in memory once loaded, what ``datasets`` reports


@contextmanager
def _quiet() -> Iterator[None]:
    """No ``datasets`` progress bar on stderr while writing (restored afterwards)."""
    import datasets

    was_disabled = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()


def write(rows: list[dict[str, Any]], features: datasets.Features) -> ParquetFile:
    """The parquet file of ``rows`` cast to ``features``, as bytes with its sizes."""
    import datasets
    import pyarrow.parquet as pq

    table = datasets.Dataset.from_list(rows, features=features)
    buffer = io.BytesIO()
    with _quiet():
        table.to_parquet(buffer, batch_size=max(1, len(table)))
    data = buffer.getvalue()
    # Read back: the loaded table carries validity buffers the in-memory one may lack.
    nbytes = int(pq.read_table(io.BytesIO(data)).nbytes)
    return ParquetFile(data=data, num_examples=len(table), num_bytes=nbytes)
