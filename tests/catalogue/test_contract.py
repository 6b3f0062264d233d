"""contract.yaml parsed into a validated model: the shipped file fits; a misspelt key, a missing
key, an unknown kind or vocabulary is refused naming the file, the key and the value."""

import pytest

from gcmtools import catalogue
from gcmtools.catalogue import contract
from gcmtools.catalogue.models import ModelError

SHIPPED = contract.CONTRACT_FILE.read_text(encoding="utf-8")


def _contract(tmp_path, old, new):
    assert old in SHIPPED
    path = tmp_path / "contract.yaml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_shipped_contract_fits_its_model():
    model = contract.load_contract()
    assert [c.name for c in model.practices.columns] == contract.column_names("practices")
    assert model.practices.list_separator == contract.LIST_SEPARATOR


def test_a_misspelt_key_is_refused_naming_file_key_and_value(tmp_path):
    path = _contract(tmp_path, "      required: true\n      kind: id", "      requird: true\n      kind: id")
    with pytest.raises(ModelError) as err:
        contract.load_contract(path)
    message = str(err.value)
    assert "contract.yaml" in message
    assert "unknown key 'practices.columns[0].requird' (value True)" in message
    assert "key 'practices.columns[0].required' is missing" in message


def test_a_missing_key_is_refused(tmp_path):
    path = _contract(tmp_path, "  statuses: [planned, ongoing, completed]\n", "")
    path.write_text(path.read_text(encoding="utf-8").split("\nobservations:")[0], encoding="utf-8")
    with pytest.raises(ModelError, match=r"contract.yaml: key 'observations' is missing"):
        contract.load_contract(path)


def test_an_unknown_kind_or_vocabulary_is_refused(tmp_path):
    path = _contract(tmp_path, "kind: year", "kind: yaer")
    with pytest.raises(ModelError, match=r"key 'practices.columns\[13\].kind'.*'yaer'"):
        contract.load_contract(path)
    path = _contract(tmp_path, "vocabulary: statuses", "vocabulary: status")
    with pytest.raises(ModelError, match=r"column 'status' names vocabulary 'status', which is not defined"):
        contract.load_contract(path)


def test_objectives_are_the_catalogues_and_ranges_are_not_written_out():
    spec = {c.name: c for c in contract.columns()}
    assert spec["objectives"].allowed_values() == tuple(str(n) for n in catalogue.objectives()["number"])
    assert spec["guiding_questions"].allowed_values() == ()  # the review's, not the contract's
    assert "1-23" not in SHIPPED and "1-6" not in SHIPPED
    assert catalogue.number_range(range(1, 24)) == "1-23"
    assert catalogue.number_range([1, 2, 4]) == "1, 2, 4"
