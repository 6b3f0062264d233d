"""gcmtools.store: the disk cache (bound, eviction by recency, concurrent writers, damaged
entries), the atomic writer and the cache's bound read from the environment."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from pathlib import Path

import pytest

from gcmtools import store

KB = 1000


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder of its own, with the default bound."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GCM_CACHE", str(folder))
    monkeypatch.delenv("GCM_CACHE_MAX_MB", raising=False)
    return folder


def _never() -> object:
    raise AssertionError("computed again: the entry should have been read")


def _path(kind: str, key: object) -> Path:
    return store._entry(kind, key)[0]


def _age(path: Path, seconds_since_epoch: int) -> None:
    """Set a file's times to a fixed moment long ago (no clock in the assertions)."""
    os.utime(path, ns=(seconds_since_epoch * 10**9, seconds_since_epoch * 10**9))


# --- hits, misses and keys ------------------------------------------------------------------


def test_a_value_is_computed_once_and_read_afterwards(cache) -> None:
    calls = []
    assert store.cached("demo", ["a", 1], lambda: calls.append(1) or {"x": [1, 2]}) == {"x": [1, 2]}
    assert store.cached("demo", ["a", 1], _never) == {"x": [1, 2]}
    assert store.cached("demo", ["a", 2], lambda: calls.append(2) or "other") == "other"
    assert calls == [1, 2]
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["demo", "demo"]


def test_none_is_a_value_like_any_other(cache) -> None:
    assert store.cached("demo", "k", lambda: None) is None
    assert store.cached("demo", "k", _never) is None


def test_an_entry_made_by_other_code_is_not_read(cache, monkeypatch) -> None:
    store.cached("demo", "k", lambda: "old code's answer")
    monkeypatch.setattr(store, "code_hash", lambda: "another version of gcmtools")
    assert store.cached("demo", "k", lambda: "new code's answer") == "new code's answer"


def test_a_failing_computation_keeps_nothing(cache) -> None:
    def fail() -> object:
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        store.cached("demo", "k", fail)
    assert not cache.exists() or not list(cache.iterdir())
    assert store.cached("demo", "k", lambda: 3) == 3


def test_a_value_that_cannot_be_pickled_is_returned_and_not_kept(cache) -> None:
    value = lambda: None  # noqa: E731 - a lambda cannot be pickled
    assert store.cached("demo", "k", lambda: value) is value
    assert not cache.exists() or not list(cache.iterdir())


def test_a_kind_must_be_a_plain_name(cache) -> None:
    with pytest.raises(ValueError, match="cache kind '../x'"):
        store.cached("../x", "k", lambda: 1)


# --- a damaged entry is computed again --------------------------------------------------------


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],                       # half written
    lambda data: b"",                                          # empty
    lambda data: b"not a pickle at all",                       # garbage
    lambda data: pickle.dumps({"something": "else"}),          # another program's pickle
    lambda data: pickle.dumps((store.CACHE_FORMAT, "another digest", "stolen")),  # renamed
    lambda data: data.replace(b"Payload", b"Paylaod"),         # its class gone
])
def test_a_damaged_entry_is_computed_again_and_replaced(cache, damage) -> None:
    store.cached("demo", "k", lambda: Payload("first"))
    path = _path("demo", "k")
    path.write_bytes(damage(path.read_bytes()))
    assert store.cached("demo", "k", lambda: Payload("again")) == Payload("again")
    assert store.cached("demo", "k", _never) == Payload("again")  # the entry was rewritten


class Payload:
    """A value whose class a damaged pickle can name wrongly."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Payload) and other.text == self.text



# --- the bound and eviction -------------------------------------------------------------------


def test_the_least_recently_used_entries_go_first(cache, monkeypatch) -> None:
    blob = b"x" * (100 * KB)
    for name, moment in (("a", 1_000), ("b", 2_000), ("c", 3_000)):
        store.cached("demo", name, lambda: blob)
        _age(_path("demo", name), moment)  # a oldest, then b, then c
    size = _path("demo", "a").stat().st_size
    assert store.cached("demo", "a", _never) == blob  # a hit: a is now the most recent
    monkeypatch.setenv("GCM_CACHE_MAX_MB", str(3.5 * size / 10**6))  # room for three entries

    store.cached("demo", "d", lambda: blob)
    assert not _path("demo", "b").exists()  # the oldest untouched entry went
    assert all(_path("demo", n).exists() for n in "acd")
    store.cached("demo", "e", lambda: blob)
    assert not _path("demo", "c").exists()
    assert all(_path("demo", n).exists() for n in "ade")
    assert sum(p.stat().st_size for p in cache.iterdir()) <= 3.5 * size


def test_eviction_leaves_other_files_and_fresh_temporary_files_alone(cache, monkeypatch) -> None:
    cache.mkdir()
    notes = cache / "notes.txt"
    notes.write_bytes(b"n" * (200 * KB))
    fresh = cache / ".demo-1.pickle.abc.tmp"  # another process's write in progress
    fresh.write_bytes(b"t")
    stale = cache / ".demo-2.pickle.def.tmp"  # left by a killed process
    stale.write_bytes(b"t")
    _age(stale, 1_000)
    monkeypatch.setenv("GCM_CACHE_MAX_MB", "0")  # keep nothing
    assert store.cached("demo", "k", lambda: "v") == "v"
    assert not _path("demo", "k").exists()
    assert notes.exists() and fresh.exists() and not stale.exists()


def test_the_bound_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("GCM_CACHE_MAX_MB", raising=False)
    assert store.cache_limit() == 500 * 10**6
    monkeypatch.setenv("GCM_CACHE_MAX_MB", "2.5")
    assert store.cache_limit() == 2_500_000
    monkeypatch.setenv("GCM_CACHE_MAX_MB", " 0 ")
    assert store.cache_limit() == 0
    for bad in ("lots", "-1", "nan", "inf"):
        monkeypatch.setenv("GCM_CACHE_MAX_MB", bad)
        with pytest.raises(ValueError, match=f"GCM_CACHE_MAX_MB='{bad}'"):
            store.cache_limit()


def test_evict_reports_what_the_cache_holds(cache, monkeypatch) -> None:
    for name in "abc":
        store.cached("demo", name, lambda: b"y" * (10 * KB))
    held = sum(p.stat().st_size for p in cache.iterdir())
    assert store.evict() == held
    assert store.evict(limit=0) == 0 and not list(cache.iterdir())


# --- concurrent processes ---------------------------------------------------------------------

BIG = 20 * 10**6  # large enough that a write takes a while


def _writer(folder: str, barrier, tag: str, results) -> None:
    os.environ["GCM_CACHE"] = folder

    def compute() -> bytes:
        barrier.wait(timeout=60)  # both writers have missed and compute at the same time
        return tag.encode() * (BIG // len(tag))

    value = store.cached("race", "one key", compute)
    results.put((tag, value[:len(tag)].decode(), len(value)))


def _reader(folder: str, done, results) -> None:
    """Read the entry over and over while it is written: never half of it."""
    os.environ["GCM_CACHE"] = folder
    path, digest = store._entry("race", "one key")
    seen = damaged = 0
    while not done.is_set() or seen == 0:
        if path.exists():  # once written, an entry is always whole: a miss here is damage
            value = store._read_entry(path, digest)
            seen += 1
            damaged += not isinstance(value, bytes) or len(value) != BIG
    results.put(("reader", seen, damaged))


def test_two_processes_writing_one_key_leave_one_whole_entry(cache) -> None:
    ctx = multiprocessing.get_context("fork")
    barrier, done, results = ctx.Barrier(2), ctx.Event(), ctx.Queue()
    writers = [ctx.Process(target=_writer, args=(str(cache), barrier, tag, results))
               for tag in ("first", "other")]
    reader = ctx.Process(target=_reader, args=(str(cache), done, results))
    for p in (*writers, reader):
        p.start()
    for p in writers:
        p.join(timeout=120)
    done.set()
    reader.join(timeout=120)
    assert [p.exitcode for p in (*writers, reader)] == [0, 0, 0]

    got = sorted(results.get(timeout=10) for _ in range(3))
    assert [g for g in got if g[0] != "reader"] == [("first", "first", BIG), ("other", "other", BIG)]
    [(_, seen, damaged)] = [g for g in got if g[0] == "reader"]
    assert seen > 0 and damaged == 0
    assert [p.name for p in cache.iterdir()] == [_path("race", "one key").name]  # no temporaries
    assert store.cached("race", "one key", _never)[:5] in (b"first", b"other")


# --- atomic writes ---------------------------------------------------------------------------


def test_a_failed_atomic_write_leaves_nothing_behind(tmp_path) -> None:
    target = tmp_path / "out" / "brief.json"

    def half_then_fail(tmp: str) -> None:
        Path(tmp).write_text('{"half": ', encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        store.atomic_write(target, half_then_fail)
    assert list((tmp_path / "out").iterdir()) == []

    store.write_json_atomic({"whole": True}, target)
    with pytest.raises(OSError, match="disk full"):
        store.atomic_write(target, half_then_fail)
    assert store.read_json(target) == {"whole": True}  # the old file is untouched
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["brief.json"]


def test_text_and_json_written_atomically_read_back(tmp_path) -> None:
    store.write_text_atomic("é\n", tmp_path / "a.txt")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "é\n"
    store.write_json_atomic({"b": 1, "a": [1]}, tmp_path / "a.json")
    assert store.read_json(tmp_path / "a.json") == {"a": [1], "b": 1}
    assert store.read_json(tmp_path / "absent.json", default={}) == {}


def test_the_commit_recorded_is_gcmtools_checkouts_not_the_project_folders(tmp_path, monkeypatch):
    """A build in a `gcmtools init` folder records the commit of the checkout gcmtools runs from
    (the folder is no checkout: 'unknown' there would leave a published brief untraceable)."""
    import subprocess

    from gcmtools import store

    checkout = store.PACKAGE_DIR.parent
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=checkout, capture_output=True, text=True)
    monkeypatch.setenv("GCM_ROOT", str(tmp_path))  # a project folder outside any checkout
    if head.returncode != 0:
        assert store.git_commit() == "unknown"
    else:
        assert store.git_commit().split("+")[0] == head.stdout.strip()


def _code_hash_by_definition(package: Path) -> str:
    """code_hash as its text defines it: every file of the package, in sorted(rglob) order,
    but for __pycache__, .pyc files and the shipped reviews."""
    import hashlib

    h = hashlib.sha256()
    reviews = package / "reference" / "reviews"
    for p in sorted(package.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" and reviews not in p.parents:
            h.update(p.relative_to(package).as_posix().encode())
            h.update(store.file_hash(p).encode())
    return h.hexdigest()


def test_the_code_hash_covers_the_package_but_compiled_files_and_reviews(tmp_path, monkeypatch):
    package = tmp_path / "gcmtools"
    for rel in ("__init__.py", "a/b.py", "a-b.py", "a/c/d.yaml", "reference/reviews/r.yaml",
                "reference/texts.yaml", "__pycache__/x.cpython-311.pyc", "a/__pycache__/b.pyc", "z.pyc"):
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(rel)
    monkeypatch.setattr(store, "PACKAGE_DIR", package)

    def fresh() -> str:
        store.code_hash.cache_clear()
        return store.code_hash()

    try:
        first = fresh()
        # "a/b.py" before "a-b.py", as Path orders them (by parts), not as strings do
        assert first == _code_hash_by_definition(package)
        for ignored in ("reference/reviews/r.yaml", "__pycache__/x.cpython-311.pyc", "z.pyc"):
            (package / ignored).write_text("changed")
            assert fresh() == first, ignored
        (package / "a/c/d.yaml").write_text("changed")
        assert fresh() != first
        assert fresh() == _code_hash_by_definition(package)
    finally:
        store.code_hash.cache_clear()
