"""Reference knowledge of the GCM, read from the data files in gcmtools/reference/, each file
parsed into a validated model (a misspelt or missing key is a ModelError naming file, key, value).

In: objectives.csv, principles.csv, unece_states.csv, aggregates.csv, country_overrides.csv, regions.csv,
editorial.yaml, reviews/*.yaml (and, through their own modules, indicators.yaml, key_figures.yaml
and contract.yaml). Out: DataFrames, a Review record, and country names resolved to ISO3.

The modules, by concern: gcm (objectives, principles), countries (States, aggregates, names to
ISO3), texts (the UN's editorial texts), reviews (review files), indicators (the indicator
catalogue), keyfigure_specs (what each brief shows), contract (the data contract), models
(the validated-model base). This module is their public API: `catalogue.X`.
"""

from gcmtools.catalogue.countries import (
    OTHER_PLACES,
    aggregate_code,
    aggregate_members,
    aggregates,
    check_profile_country,
    country_name,
    profile_codes,
    region_kind,
    resolve_countries,
    resolve_country,
    suggest_country,
    unece_iso3,
    unece_states,
)
from gcmtools.catalogue.gcm import (
    ObjectiveNumber,
    check_objective,
    number_range,
    objective_label,
    objective_numbers,
    objective_range,
    objective_title,
    objectives,
    objectives_reference,
    principles,
)
from gcmtools.catalogue.models import ModelError
from gcmtools.catalogue.reviews import (
    DEFAULT_REVIEW,
    REVIEWS_DIR,
    GuidingQuestion,
    Review,
    load_review,
    parse_period,
    review_files,
)
from gcmtools.catalogue.texts import editorial, mentions_kosovo

__all__ = [
    "DEFAULT_REVIEW", "OTHER_PLACES", "REVIEWS_DIR", "GuidingQuestion", "ModelError", "ObjectiveNumber", "Review",
    "aggregate_code", "aggregate_members", "aggregates", "check_objective", "check_profile_country", "country_name",
    "editorial", "load_review", "mentions_kosovo", "number_range", "objective_label", "objective_numbers",
    "objective_range", "objective_title", "objectives", "objectives_reference", "parse_period",
    "principles", "profile_codes", "region_kind", "resolve_countries", "resolve_country", "suggest_country", "review_files", "unece_iso3",
    "unece_states",
]
