"""The places of the UNECE region, read from reference/: unece_states.csv, aggregates.csv,
country_overrides.csv and regions.csv in; the 56 States, the aggregate codes, readable names and
country names as real files spell them resolved to ISO3 out.

A name resolves only exactly (a code, a name or an alias hdx knows); a region ("Western
Balkans", "Karakalpakstan") is recognised as a region and never resolves; a close name is a
suggestion (`suggest_country`), never a resolution.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache, lru_cache

import pandas as pd

from gcmtools.paths import REFERENCE_DIR


@cache
def unece_states() -> pd.DataFrame:
    """The 56 UNECE member States: iso3, name, subregion (UN M49 sub-region)."""
    return pd.read_csv(REFERENCE_DIR / "unece_states.csv", keep_default_na=False)


@cache
def unece_iso3() -> frozenset[str]:
    """ISO3 codes of the 56 UNECE member States."""
    return frozenset(unece_states()["iso3"])


#: the places a country profile can be about besides the 56 States: Kosovo (XKX, the code the
#: EU, IMF and World Bank assign; named with the footnote editorial()["kosovo_footnote"])
PROFILE_EXTRA = ("XKX",)
#: the group the index lists a profile under when the place is not a UNECE State
OTHER_PLACES = "Other places"


def profile_codes() -> list[str]:
    """ISO3 codes a country profile can be built for: the 56 UNECE States, then Kosovo."""
    return sorted(unece_iso3()) + list(PROFILE_EXTRA)


def check_profile_country(code: object) -> str:
    """The ISO3 code of a country profile, checked; ValueError naming the code otherwise."""
    text = str(code).strip() if isinstance(code, str) else ""
    if text in profile_codes():
        return text
    hint = resolve_country(text, fuzzy=False) if text else None
    also = f" (did you mean {hint}?)" if hint and hint in profile_codes() else ""
    raise ValueError(f"{code!r} is not the ISO3 code of a UNECE State in the catalogue "
                     f"(gcmtools/reference/unece_states.csv) or XKX{also}")


def country_name(iso3: str) -> str:
    """A readable name for an ISO3 or aggregate code (the code itself if unknown).

    UNECE States are named as in unece_states.csv (the UN short names of UNTERM: Türkiye,
    Republic of Moldova, Czechia, Netherlands (Kingdom of the), United Kingdom of Great Britain
    and Northern Ireland); Kosovo is "Kosovo", and a text naming it carries the footnote
    editorial()["kosovo_footnote"] once.
    """
    known = _catalogue_names()
    if iso3 in known:
        return known[iso3]
    if iso3 == "XKX":
        return "Kosovo"  # as the UN writes it, with the footnote editorial()["kosovo_footnote"]
    return hdx_country().get_country_name_from_iso3(iso3, use_live=False) or iso3


@cache
def _catalogue_names() -> dict[str, str]:
    """code -> name: the UNECE States (unece_states.csv), then the aggregates (aggregates.csv)
    for the codes that are not States; once per process (a brief names States per cell)."""
    names = {str(c): str(n) for c, n in zip(aggregates()["code"], aggregates()["name"])}
    names.update({str(c): str(n) for c, n in zip(unece_states()["iso3"], unece_states()["name"])})
    return names


@cache
def hdx_country():
    """hdx-python-country's Country with its offline table loaded: the table it ships, read with
    the csv module and handed to Country.set_countriesdata. The same lookups as
    Country.countriesdata(use_live=False), which reads that file through frictionless in 3 to 20 s
    (this takes 0.05 s); tests/catalogue/test_countries_hdx.py checks that both give the same."""
    import csv

    from hdx.location.country import Country

    if Country._countriesdata is None:
        with open(Country._ochapath, newline="", encoding="utf-8") as fh:
            rows = [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(fh)]
        Country.set_countriesdata(rows)
    return Country


# --- country names to ISO3 ----------------------------------------------------------------


@cache
def aggregates() -> pd.DataFrame:
    """Aggregate codes that are never counted as countries: code, name, pattern (regex)."""
    return pd.read_csv(REFERENCE_DIR / "aggregates.csv", keep_default_na=False)


@cache
def _overrides() -> list[tuple[re.Pattern[str], str]]:
    df = pd.read_csv(REFERENCE_DIR / "country_overrides.csv", keep_default_na=False)
    return [(re.compile(p, re.IGNORECASE), iso3) for p, iso3 in zip(df["pattern"], df["iso3"])]


@cache
def _aggregate_patterns() -> list[tuple[re.Pattern[str], str, re.Pattern[str] | None, str, str]]:
    """(label pattern, code, label-by-vintage pattern, from, until) for each aggregate."""
    df = aggregates()
    out = []
    for _, row in df.iterrows():
        by_vintage = row.get("label_by_vintage", "")
        out.append((re.compile(row["pattern"], re.IGNORECASE), row["code"],
                    re.compile(by_vintage, re.IGNORECASE) if by_vintage else None,
                    row.get("from", ""), row.get("until", "")))
    return out


def aggregate_code(name: str, vintage: str | None = None) -> str | None:
    """The aggregate code for `name` (UNECE, EU27_2020, ...), or None if it is not one.

    Some labels change meaning with the vintage: "European Union (27 countries)" in a download
    made before February 2020 is the EU of 2007-2013 (EU27_2007), later EU27_2020. Such a label
    is read by `vintage`, the ISO date (YYYY-MM-DD) the file was made; "" (unknown) leaves it
    unresolved (None); None reads it as written today (a submission made now).

    >>> aggregate_code("European Union (27 countries)", "2019-06-30")
    'EU27_2007'
    >>> aggregate_code("European Union (27 countries)", "2024-04-01")
    'EU27_2020'
    >>> aggregate_code("European Union (27 countries)", "") is None
    True
    """
    key = " ".join(str(name).split())
    when = date.today().isoformat() if vintage is None else str(vintage)[:10]
    for pattern, code, by_vintage, start, until in _aggregate_patterns():
        if pattern.match(key):
            return code
        if by_vintage is not None and when and by_vintage.match(key) \
                and (not start or when >= start) and (not until or when <= until):
            return code
    return None


def aggregate_members(code: str) -> list[str]:
    """The ISO3 codes of the countries an aggregate adds up ([] if the catalogue lists none)."""
    hit = aggregates()[aggregates()["code"] == code]
    members = hit["members"].iloc[0] if len(hit) and "members" in hit.columns else ""
    return str(members).split()


@lru_cache(maxsize=65536)
def resolve_country(name: str, fuzzy: bool = True) -> str | None:
    """ISO3 code for a country name or code as real files spell it, or None.

    Order: the project's overrides (Kosovo -> XKX), the UNECE States' own codes and names,
    then hdx-python-country (OCHA's maintained country data, offline), exact match first, then
    its fuzzy match. Aggregates (UNECE, EU27_2020) are not countries: use aggregate_code().
    hdx takes about 3 s to load its tables, so its answers are kept in the disk cache
    (store.cached, keyed on the hdx version) and a name is looked up there only once.
    `fuzzy=False` accepts exact names and codes only: submissions are resolved so (intake's
    "did you mean" is suggest_country), and so is a country guessed from a folder name. A region
    (region_kind) never resolves.
    """
    key = " ".join(str(name).split())
    if not key:
        return None
    for pattern, iso3 in _overrides():
        if pattern.match(key):
            return iso3
    own = _unece_lookup().get(key.casefold())
    if own:
        return own
    if region_kind(key):
        return None  # a region is not a country, however close its name is to one
    return _hdx_iso3(key, fuzzy)


@cache
def _regions() -> list[tuple[re.Pattern[str], str]]:
    df = pd.read_csv(REFERENCE_DIR / "regions.csv", keep_default_na=False)
    return [(re.compile(p, re.IGNORECASE), kind) for p, kind in zip(df["pattern"], df["kind"])]


def region_kind(name: str) -> str | None:
    """What a region name is ("a region of several countries", "a region of Uzbekistan (give
    Uzbekistan)"), or None when `name` is not a region of reference/regions.csv.

    >>> region_kind("Western Balkans")
    'a region of several countries'
    >>> region_kind("Armenia") is None
    True
    """
    key = " ".join(str(name).split())
    return next((kind for pattern, kind in _regions() if pattern.match(key)), None)


def suggest_country(name: str) -> str | None:
    """The country name closest to `name` (rapidfuzz over the UNECE names and hdx's names), as
    a "did you mean" for a name that does not resolve; None when nothing is close.

    >>> suggest_country("Kirgizstan")
    'Kyrgyzstan'
    """
    from rapidfuzz import fuzz, process, utils

    key = " ".join(str(name).split())
    if len(key) < 4 or region_kind(key):
        return None
    hit = process.extractOne(key, _country_names(), scorer=fuzz.ratio,
                             processor=utils.default_process, score_cutoff=80)
    return hit[0] if hit else None


def _country_names() -> list[str]:
    """Every name the resolver knows exactly: UNECE names first, then hdx's (disk cache)."""
    from importlib.metadata import version

    from gcmtools import store

    def names() -> list[str]:
        rows = hdx_country().countriesdata(use_live=False)["countries"].values()
        return sorted({str(r.get("#country+name+preferred") or "") for r in rows} - {""})

    own = list(unece_states()["name"])
    hdx = store.cached("country-names", [version("hdx-python-country")], names)
    return own + [n for n in hdx if n not in own]


@cache
def _unece_lookup() -> dict[str, str]:
    """casefolded ISO3 code or name of a UNECE State -> ISO3 (no library needed for these)."""
    states = unece_states()
    pairs = list(zip(states["iso3"], states["iso3"])) + list(zip(states["name"], states["iso3"]))
    return {k.casefold(): v for k, v in pairs}


def _hdx_iso3(key: str, fuzzy: bool) -> str | None:
    """hdx's answer for a name, kept in the disk cache (store.cached) with hdx's version."""
    from importlib.metadata import version

    from gcmtools import store

    def lookup() -> str | None:
        Country = hdx_country()  # noqa: N806 - hdx's class

        iso3 = Country.get_iso3_country_code(key, use_live=False)
        if iso3 is None and fuzzy and len(key) > 3:
            iso3, _exact = Country.get_iso3_country_code_fuzzy(key, use_live=False)
        return iso3

    return store.cached("country-name", [version("hdx-python-country"), key, fuzzy], lookup)


def resolve_countries(names: Iterable[str]) -> pd.Series:
    """Resolve many names at once (each distinct name once): a Series name -> ISO3 or None."""
    unique = pd.unique(pd.Series(list(names), dtype="object").dropna().astype(str))
    return pd.Series({n: resolve_country(n) for n in unique}, dtype="object")
