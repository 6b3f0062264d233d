"""GCM Review Workbook helpers: catalogue, intake, sources, briefs, build."""

__version__ = "0.1.0"
