"""Issue 16: the template, the feedback files and "what to change" in English, French and
Russian (--lang, or each submitter's `language`), and feedback file names that keep the
submitter's name, transliterated (a submitter named only in Cyrillic gets ministerstvo-...)."""

import openpyxl
import pytest

from conftest import FIXTURES
from gcmtools.catalogue import contract, resolve_country, unece_iso3
from gcmtools.catalogue.translations import translate
from gcmtools.cli import main
from gcmtools.intake.feedback import file_stems
from gcmtools.intake.template import README_LINES, country_list

GOOD = FIXTURES / "good" / "two_practices.csv"
HEADER, ROW_1, ROW_2 = GOOD.read_text(encoding="utf-8").splitlines()[:3]


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    out = tmp_path_factory.mktemp("templates")
    for lang in ("en", "fr", "ru"):
        assert main(["template", str(out / f"template-{lang}.xlsx"), "--lang", lang]) == 0
    return {lang: openpyxl.load_workbook(out / f"template-{lang}.xlsx") for lang in ("en", "fr", "ru")}


def test_template_readme_and_input_messages_in_each_language(templates):
    readme = {lang: [c.value for c in wb["README"]["A"] if c.value] for lang, wb in templates.items()}
    assert readme["en"][3] == "How to fill in this workbook"
    assert readme["fr"][3] == "Comment remplir ce classeur"
    assert readme["ru"][3] == "Как заполнять эту книгу"
    assert any("Pacte mondial pour des migrations sûres, ordonnées et régulières" in line for line in readme["fr"])
    assert any("Глобальный договор о безопасной, упорядоченной и легальной миграции" in line for line in readme["ru"])
    assert len(readme["fr"]) == len(readme["ru"]) == len(readme["en"]) == len([x for x in README_LINES if x])
    prompts = {lang: {dv.promptTitle: dv.prompt for dv in wb["Practices"].data_validations.dataValidation}
               for lang, wb in templates.items()}
    assert prompts["fr"]["title"] == "Obligatoire. Titre court de la pratique."
    assert prompts["ru"]["title"] == "Обязательно. Краткое название практики."
    assert prompts["ru"]["country"].endswith(translate("Several values: separate with ;", "ru"))
    # what a submitter types into is the same in every language: sheets, headers, lists
    for wb in templates.values():
        assert wb.sheetnames == ["README", "Practices", "Reference", "Lists"]
        assert [c.value for c in wb["Practices"][1]] == contract.column_names("practices")


def test_template_country_list_shows_names_that_validate_reads_back(templates):
    lists = templates["en"]["Lists"]
    column = [c.value for c in lists[1]].index("countries") + 1
    names = [lists.cell(row=r, column=column).value for r in range(2, lists.max_row + 1)]
    names = [n for n in names if n]
    assert names == country_list() and "Armenia" in names and "ARM" not in names
    assert sorted(resolve_country(n, fuzzy=False) for n in names[:-1]) == sorted(unece_iso3())
    assert names[-1] == "UNECE"


def test_cli_refuses_an_unknown_language(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["template", str(tmp_path / "t.xlsx"), "--lang", "de"])
    assert exc.value.code == 2 and "invalid choice: 'de'" in capsys.readouterr().err


def submissions(tmp_path):
    """Two submitters: one named only in Cyrillic writing in Russian with a rejected row, one in
    French; and a name that transliterates like the Cyrillic one."""
    rows = [
        ROW_1.replace("Ministry of Interior of Georgia", "Министерство внутренних дел").replace(",en", ",ru"),
        ROW_2.replace("T-002", "T-003").replace("Caritas Armenia", "Министерство внутренних дел")
             .replace(",10,", ",99,").replace(",en", ",ru"),
        ROW_2.replace("Caritas Armenia", "Caritas Arménie").replace(",en", ",fr"),
    ]
    f = tmp_path / "in" / "submissions.csv"
    f.parent.mkdir()
    f.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return f


def test_feedback_in_each_submitters_language_with_readable_names(tmp_path):
    f = submissions(tmp_path)
    assert main(["feedback", str(f), "--out", str(tmp_path / "fb")]) == 1
    names = sorted(p.name for p in (tmp_path / "fb").iterdir())
    assert names == ["caritas-armenie.html", "caritas-armenie.xlsx",
                     "ministerstvo-vnutrennikh-del.html", "ministerstvo-vnutrennikh-del.xlsx"]
    ru = (tmp_path / "fb" / "ministerstvo-vnutrennikh-del.html").read_text(encoding="utf-8")
    assert "Отзыв о вашем представлении: Министерство внутренних дел" in ru
    assert "Проблем, которые нужно исправить: 1" in ru
    assert "Укажите номера целей Глобального договора (1-23)" in ru  # what to change, in Russian
    assert "objective 99 is not a GCM objective (1-23)" in ru  # the reason, as the analyst reads it
    wb = openpyxl.load_workbook(tmp_path / "fb" / "ministerstvo-vnutrennikh-del.xlsx")
    assert wb.sheetnames == ["Отклонённые строки", "Принятые практики"]
    fr = (tmp_path / "fb" / "caritas-armenie.html").read_text(encoding="utf-8")
    assert "Aucun problème constaté" in fr and "Pratiques acceptées, telles que nous les avons comprises : 1" in fr


def test_feedback_lang_option_overrides_the_submitters_language(tmp_path):
    f = submissions(tmp_path)
    assert main(["feedback", str(f), "--out", str(tmp_path / "fb"), "--lang", "en"]) == 1
    ru = (tmp_path / "fb" / "ministerstvo-vnutrennikh-del.html").read_text(encoding="utf-8")
    assert "Feedback on your submission" in ru and "Use GCM objective numbers (1-23)" in ru


def test_names_that_transliterate_alike_get_distinct_files_deterministically():
    names = ["Министерство внутренних дел", "Ministerstvo vnutrennikh del", "Caritas"]
    stems = file_stems(names)
    assert stems["Caritas"] == "caritas"
    cyr, lat = stems[names[0]], stems[names[1]]
    assert cyr != lat and cyr.startswith("ministerstvo-vnutrennikh-del-") and lat.startswith("ministerstvo-vnutrennikh-del-")
    assert file_stems(list(reversed(names))) == stems
