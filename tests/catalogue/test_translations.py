"""Every message a submitter reads is in every language, with the same placeholders, and the
catalogues hold nothing else (a message the code no longer uses is an error too)."""

import string

import pytest

from gcmtools.catalogue import translations
from gcmtools.intake import feedback, rules, template

MESSAGES = list(dict.fromkeys(rules.messages() + template.messages() + feedback.messages()))


def placeholders(text: str) -> set:
    return {(name, spec, conv) for _lit, name, spec, conv in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("lang", ["fr", "ru"])
def test_every_message_in_every_language_with_the_same_placeholders(lang):
    cat = translations.catalog(lang)
    held = {m.id: m for m in cat if m.id}
    assert sorted(set(MESSAGES) - set(held)) == []  # missing
    assert sorted(set(held) - set(MESSAGES)) == []  # obsolete
    for message in MESSAGES:
        entry = held[message]
        assert entry.string and not entry.fuzzy, (lang, message)
        assert entry.string != message or not any(c.isalpha() for c in message), (lang, message)
        assert placeholders(entry.string) == placeholders(message), (lang, message)
        assert translations.translate(message, lang) == entry.string


def test_the_un_terminology():
    gcm = ("The practices you submit show how the Global Compact for Safe, Orderly and Regular "
           "Migration (GCM) is implemented in the UNECE region.")
    assert "Pacte mondial pour des migrations sûres, ordonnées et régulières" in translations.translate(gcm, "fr")
    assert "Глобальный договор о безопасной, упорядоченной и легальной миграции" in translations.translate(gcm, "ru")


def test_unknown_language_and_missing_message():
    with pytest.raises(ValueError, match="choose one of en, fr, ru"):
        translations.translate("Required.", "de")
    with pytest.raises(KeyError, match="has no translation of 'no such message'"):
        translations.translate("no such message", "fr")
    assert translations.translate("no such message", "en") == "no such message"
    assert [translations.language_of(v) for v in ("FR", "ru_RU", "en-GB", "de", "", None)] == [
        "fr", "ru", "en", None, None, None]


@pytest.mark.parametrize("code", sorted(rules.BY_CODE))
def test_every_advice_reads_back_into_every_language(code):
    """A problem row's advice (two problems of one cell joined, as rules.joined does) in French
    and Russian is the translated template filled with each problem's own values."""
    rule = rules.BY_CODE[code]
    names = {n for text in (rule.reason, rule.advice) for _l, n, _s, _c in string.Formatter().parse(text) if n}
    first = {n: 32767 if n in ("most", "length") else f"first {n}" for n in names}
    second = {n: 1000 if n in ("most", "length") else f"second {n}" for n in names}
    [joined] = rules.joined([rules.problem(code, **first), rules.problem(code, **second)])
    for lang in ("fr", "ru"):
        template_text = translations.translate(rule.advice, lang)
        expected = "; ".join(dict.fromkeys(template_text.format(**v) for v in (first, second)))
        assert rules.advice_in(code, joined.advice, lang) == expected
    assert rules.advice_in(code, joined.advice, "en") == joined.advice
    with pytest.raises(ValueError, match="is not one of rule"):
        rules.advice_in(code, "something else entirely", "fr")
