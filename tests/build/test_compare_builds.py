"""scripts/compare_builds.sh: two builds are the same but for what differs between any two builds."""

import subprocess

from conftest import ROOT

PAGE = ('<div class="cell celltag_injected-parameters" id="cell-id={id}"></div>\n'
        '<tr><td class="nowrap">{when}</td><td class="num">{seconds}</td></tr>\n<p>{text}</p>\n')


def build(folder, id="ab12", when="2026-12-01T23:20:17", seconds="5.6", text="12 practices"):
    folder.mkdir()
    (folder / "objective-10.html").write_text(PAGE.format(id=id, when=when, seconds=seconds, text=text))
    (folder / "objective-10.key-figures.json").write_text('{"practices": {"accepted": 12}}\n')
    return folder


def compare(a, b):
    return subprocess.run(["bash", str(ROOT / "scripts" / "compare_builds.sh"), str(a), str(b)],
                          capture_output=True, text=True, timeout=60)


def test_volatile_parts_are_masked_and_a_real_difference_is_not(tmp_path):
    a = build(tmp_path / "a")
    same = compare(a, build(tmp_path / "b", id="ff09", when="2026-12-02T01:00:00", seconds="2.1"))
    assert same.returncode == 0 and "the same" in same.stdout
    other = compare(a, build(tmp_path / "c", text="13 practices"))
    assert other.returncode == 1 and "DIFFERS: objective-10.html" in other.stdout and "13 practices" in other.stdout
