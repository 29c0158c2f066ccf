"""The evalkit 0.1 name of :mod:`evalkit.publish.counts`, kept for imports."""

from evalkit.publish.counts import compute, config_table, markdown_table

__all__ = ["compute", "config_table", "markdown_table"]
