"""The UN's editorial texts, read from reference/editorial.yaml: the disclaimer and the Kosovo
footnote out, each as one line.

(Named texts, not editorial, so that the package's `catalogue.editorial()` stays a function.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from gcmtools.catalogue.models import Model, Text, load
from gcmtools.paths import REFERENCE_DIR

EDITORIAL_FILE = REFERENCE_DIR / "editorial.yaml"


class Editorial(Model):
    """reference/editorial.yaml: both texts are required."""

    disclaimer: Text
    kosovo_footnote: Text


@cache
def editorial() -> dict[str, str]:
    """UN editorial texts (reference/editorial.yaml): disclaimer, kosovo_footnote."""
    return load(Editorial, EDITORIAL_FILE).model_dump()


def mentions_kosovo(texts: Iterable[str]) -> bool:
    """True if any text names Kosovo (or carries its code XKX as a whole word)."""
    return any(re.search(r"\bkosovo\b|\bXKX\b", str(t), re.IGNORECASE) for t in texts)
