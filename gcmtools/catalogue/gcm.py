"""The GCM itself, read from reference/: objectives.csv and principles.csv in; the objectives
(numbers, titles, labels), the guiding principles and the checks that a number is an objective out.

The objective numbers are read from objectives.csv, never written out: `objective_numbers()`
and `objective_range()` ("1-23") are what every other module asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Annotated

import pandas as pd
from pydantic import AfterValidator

from gcmtools.paths import REFERENCE_DIR


@cache
def objectives() -> pd.DataFrame:
    """The 23 GCM objectives: number, official title (A/RES/73/195 para. 16), short label."""
    df = pd.read_csv(REFERENCE_DIR / "objectives.csv", dtype={"number": int}, keep_default_na=False)
    return df.set_index("number", drop=False)


@cache
def objective_numbers() -> tuple[int, ...]:
    """The numbers of the GCM objectives, in order, as objectives.csv lists them."""
    return tuple(int(n) for n in objectives()["number"])


def number_range(numbers: Iterable[int]) -> str:
    """Numbers as a reader writes them: '1-23' when they run without a gap, else '1, 2, 4'.

    >>> number_range(range(1, 24)), number_range([1, 2, 4]), number_range([3])
    ('1-23', '1, 2, 4', '3')
    """
    nums = sorted(set(int(n) for n in numbers))
    if len(nums) > 2 and nums == list(range(nums[0], nums[-1] + 1)):
        return f"{nums[0]}-{nums[-1]}"
    return ", ".join(map(str, nums))


def objective_range() -> str:
    """The objective numbers as a reader is told them: "1-23"."""
    return number_range(objective_numbers())


def check_objective(number: int) -> int:
    """`number` if it is a GCM objective; ValueError naming it and the objectives otherwise."""
    if number not in objective_numbers():
        raise ValueError(f"objective {number} is not a GCM objective ({objective_range()})")
    return number


# A field of a validated model that holds a GCM objective number.
ObjectiveNumber = Annotated[int, AfterValidator(check_objective)]


def objective_title(number: int) -> str:
    """The official title of objective `number`; KeyError for a number that is not an objective."""
    return str(objectives().loc[int(number), "title"])


def objective_label(number: int) -> str:
    """The short label of objective `number`."""
    return str(objectives().loc[int(number), "label"])


def objectives_reference(numbers: Iterable[int]) -> str:
    """The objectives a guiding question names, as the background note writes them.

    >>> objectives_reference([4]), objectives_reference([8, 11]), objectives_reference([4, 8, 11])
    ('(GCM objective 4)', '(GCM objectives 8 and 11)', '(GCM objectives 4, 8 and 11)')
    """
    n = [str(o) for o in numbers]
    if len(n) == 1:
        return f"(GCM objective {n[0]})"
    return f"(GCM objectives {', '.join(n[:-1])} and {n[-1]})"


@cache
def principles() -> pd.DataFrame:
    """The 10 guiding principles (para. 15): slug, name, summary."""
    return pd.read_csv(REFERENCE_DIR / "principles.csv", keep_default_na=False)
