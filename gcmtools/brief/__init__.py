"""Briefs: a review's inputs loaded once (context), its sections (sections) and charts (charts).

The notebooks' API is `brief.*`: load_context, save_key_figures, then one function per section.
"""

from gcmtools.brief.changes import what_changed
from gcmtools.brief.context import BriefContext, load_context
from gcmtools.brief.sections import (
    cited_figures,
    comparison,
    coverage,
    header,
    highlights,
    key_figures,
    lens,
    overview_coverage,
    overview_header,
    overview_key_figures,
    overview_objectives,
    overview_questions,
    reported,
    save_key_figures,
    sources_and_method,
    trend,
)

__all__ = ["BriefContext", "cited_figures", "comparison", "coverage", "header", "highlights", "key_figures",
           "lens", "load_context", "overview_coverage", "overview_header", "overview_key_figures",
           "overview_objectives", "overview_questions", "reported", "save_key_figures", "sources_and_method",
           "trend", "what_changed"]
