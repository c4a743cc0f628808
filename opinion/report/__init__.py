"""Report-ready tables and their exports (CSV, XLSX, Markdown, HTML).

Example:
    >>> from opinion.report import build_tables, export_workspace
    >>> export_workspace("runs/weibo", "report", formats="all", script="zh-HK")  # doctest: +SKIP
"""

from opinion.report.export import EXPORT_TABLE_NAMES, FORMATS, export_workspace, parse_formats
from opinion.report.tables import TABLE_NAMES, build_tables

__all__ = ["EXPORT_TABLE_NAMES", "FORMATS", "TABLE_NAMES", "build_tables", "export_workspace", "parse_formats"]
