"""The suggestions' scores without scikit-learn (suggest.Scorer): equal to the last bit to
scikit-learn's transform and product, on the shipped practices and on practices written here;
the stop words are still scikit-learn's; and a kernel that finds the scorer in the disk cache
scores its practices without importing scikit-learn."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from gcmtools.analysis import suggest as sg
from gcmtools.catalogue import gcm
from gcmtools.intake.validate import validate_paths

WRITTEN = pd.DataFrame({
    "practice_id": ["EN", "FR", "RU", "REPEAT", "EMPTY", "NOWORD", "MIXED"],
    "title": ["Alternatives to immigration detention for children",
              "Coopération transfrontalière contre le trafic de migrants",
              "Горячая линия для жертв торговли людьми",
              "return return return reintegration",
              "", "Lorem ipsum dolor", "Border border Граница"],
    "description": ["Case management in the community, with legal aid.",
                    "Échange d'informations entre polices aux frontières.",
                    "Защита и помощь жертвам.", "return", "", "sit amet", "Integrated border management."],
    "language": ["en", "fr", "ru", "en", "en", "", "en"],
    "objectives": [[13], [9], [10], [21], [13], [4], [11]],
})


def _shipped() -> pd.DataFrame:
    return validate_paths([ROOT / "data" / "practices"]).accepted


@pytest.mark.parametrize("kind", ["action", "objective", "principle"])
def test_scores_equal_scikit_learns_to_the_last_bit(kind):
    index = sg.build_index(kind, sg.gcm_documents(kind))
    scorer = sg.Scorer.of(index)
    for practices in (WRITTEN, _shipped()):
        expected = (sg.query_matrix(practices, index) @ index.matrix.T).toarray()
        got = scorer.scores(sg.query_terms_of(practices))
        assert got.shape == expected.shape == (len(practices), len(index.values))
        assert np.array_equal(got, expected), np.abs(got - expected).max()
    assert (got > 0).any()  # the shipped practices do meet the GCM's words


def test_best_actions_are_those_of_scikit_learns_scores():
    """Recomputed here through scikit-learn (the Index) for every objective of the roundtable."""
    practices = _shipped()
    index = sg.gcm_index("action")
    for objective in (4, 8, 9, 10, 11, 13, 21):
        got = sg.best_actions(practices, objective)
        mine = practices[practices["objectives"].map(lambda v: objective in v)]
        columns = [i for i, v in enumerate(index.values) if v in gcm.objective_actions(objective)]
        scores = (sg.query_matrix(mine, index) @ index.matrix[columns].T).toarray()
        expected = [index.values[columns[j]] if scores[i, j] > 0 else None
                    for i, j in enumerate(scores.argmax(axis=1))] if len(mine) else []
        assert [None if pd.isna(a) else a for a in got] == expected, objective
        assert list(got.index) == list(mine["practice_id"])


def test_the_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert sg._english_stop_words() == frozenset(ENGLISH_STOP_WORDS)


def test_a_cached_scorer_scores_without_importing_scikit_learn(tmp_path):
    code = """import json, sys
from gcmtools.analysis import suggest as sg
from gcmtools.intake.validate import validate_paths
p = validate_paths(["data/practices"]).accepted
best = sg.best_actions(p, 13)
print(json.dumps({"sklearn": any(m.split(".")[0] == "sklearn" for m in sys.modules),
                  "best": [None if a is None or a != a else str(a) for a in best]}))
"""
    env = {**os.environ, "GCM_CACHE": str(tmp_path / "cache")}
    seen = []
    for _ in range(2):  # the first fills the cache (scikit-learn fits the index), the second reads it
        run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        seen.append(json.loads(run.stdout))
    assert seen[0]["sklearn"] and not seen[1]["sklearn"]
    assert seen[0]["best"] == seen[1]["best"] and any(seen[1]["best"])
