"""Briefs: a review's inputs loaded once (context), its sections (sections) and charts (charts).

The notebooks' API is `brief.*`: load_context, save_key_figures, then one function per section
(those of sections, and of answers: key messages, questions and actions, the lens per question, the map).
"""

from gcmtools.brief.answers import key_messages, lens_by_question, overview_action_map, questions_actions
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
           "key_messages", "lens", "lens_by_question", "load_context", "overview_action_map",
           "overview_coverage", "overview_header", "overview_key_figures", "overview_objectives",
           "overview_questions", "questions_actions", "reported", "save_key_figures", "sources_and_method",
           "trend", "what_changed"]
