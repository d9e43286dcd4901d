"""Event files -> validated records: the shipped file passes, every bad input is reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.records.files import parse_all, parse_file
from bot.records.model import RecordError, RecordsInvalid
from bot.settings import DEFAULT_EVENTS


def errors_of(*paths: Path) -> list[RecordError]:
    with pytest.raises(RecordsInvalid) as caught:
        parse_all(list(paths))
    assert caught.value.errors
    return caught.value.errors


def header_before(text: str, snippet: str) -> int:
    """Line of the table header ([x] / [[x]]) that holds `snippet`: where errors should point."""
    lines = text.splitlines()
    at = text[: text.index(snippet)].count("\n")
    return next(n + 1 for n in range(at, -1, -1) if lines[n].startswith("["))


def test_shipped_file_is_valid():
    (record,) = parse_all([DEFAULT_EVENTS])
    assert record.event.id == "roundtable-2026-02-09-astana"
    assert str(record.event.date) == "2026-02-09"
    assert (len(record.people), len(record.institutions)) == (9, 6)
    assert len(record.themes) >= 15
    assert len(record.statements) >= 20
    for kind in (record.people, record.institutions, record.themes, record.statements):
        ids = [item.id for item in kind]
        assert len(ids) == len(set(ids))
    assert {"en", "ru", "kk"} <= set(record.event.title)


def test_parse_file_is_deterministic(event_file):
    first, errors = parse_file(event_file)
    second, _ = parse_file(event_file)
    assert errors == []
    assert first == second


EVENT_ID = 'id = "roundtable-2026-02-09-astana"'

# (edit, snippet locating the record in the broken file, record name, message parts)
BAD_INPUTS = {
    "missing required field": (
        ("order = 1\n", ""), 'id = "ashimbayev"', "people 'ashimbayev'",
        ["missing required field 'order'"],
    ),
    "unknown field with a hint": (
        ('name = "Zhakyp Assanov"', 'nmae = "Zhakyp Assanov"'), 'id = "assanov"',
        "people 'assanov'", ["unknown field 'nmae'", "did you mean 'name'?"],
    ),
    "unknown speaker": (
        ('id = "perepechina-1"\nspeaker = "perepechina"',
         'id = "perepechina-1"\nspeaker = "perepechin"'),
        'id = "perepechina-1"', "statements 'perepechina-1'",
        ["unknown speaker 'perepechin'", "did you mean 'perepechina'?"],
    ),
    "unknown theme": (
        ('id = "assanov-1"\nspeaker = "assanov"\nthemes = ["preamble"]',
         'id = "assanov-1"\nspeaker = "assanov"\nthemes = ["preambel"]'),
        'id = "assanov-1"', "statements 'assanov-1'", ["unknown theme 'preambel'"],
    ),
    "unknown institution": (
        ('institution = "senate-constitutional-committee"', 'institution = "senate-committee"'),
        'id = "beknazarov"', "people 'beknazarov'", ["unknown institution 'senate-committee'"],
    ),
    "unknown parent institution": (
        ('parent = "senate"', 'parent = "senat"'), 'id = "senate-constitutional-committee"',
        "institutions 'senate-constitutional-committee'", ["unknown parent institution 'senat'"],
    ),
    "unknown chair": (
        ('chair = "ashimbayev"', 'chair = "nobody"'), EVENT_ID, "event",
        ["chair 'nobody' is not a person"],
    ),
    "duplicate id": (
        ('id = "assanov-2"', 'id = "assanov-1"'), 'id = "assanov-1"\nspeaker = "assanov"\n'
        'themes = ["preamble"]\nparagraph = 3\ntext = "The document', "statements 'assanov-1'",
        ["duplicate id 'assanov-1'"],
    ),
    "bad date": (
        ("date = 2026-02-09", 'date = "2026-13-45"'), EVENT_ID, "event",
        ["bad date '2026-13-45'", "YYYY-MM-DD"],
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_names_file_record_and_line(case, break_file):
    edit, snippet, record, parts = BAD_INPUTS[case]
    path = break_file(edit)
    errors = errors_of(path.parent)
    matching = [e for e in errors if all(part in e.message for part in parts)]
    assert len(matching) == 1, [str(e) for e in errors]
    (error,) = matching
    assert error.path == path
    assert error.where == record
    expected = header_before(path.read_text(encoding="utf-8"), snippet)
    assert error.line == expected
    shown = str(error)
    assert shown.startswith(f"{path}:{expected} [{record}]: ")
    assert all(part in shown for part in parts)


def test_toml_syntax_error_has_the_line(break_file):
    path = break_file(('city = "Astana"', 'city = "Astana'))
    (error,) = errors_of(path)
    assert "TOML syntax error" in error.message
    lines = path.read_text(encoding="utf-8").splitlines()
    assert error.line == next(n for n, line in enumerate(lines, 1) if line == 'city = "Astana')
    assert str(error).startswith(f"{path}:{error.line}: TOML syntax error")


def test_all_errors_of_all_files_at_once(events_dir, event_file, break_file):
    break_file(
        ("order = 1\n", ""),
        ('name = "Zhakyp Assanov"', 'nmae = "Zhakyp Assanov"'),
        ('chair = "ashimbayev"', 'chair = "nobody"'),
        ("date = 2026-02-09", 'date = "2026-13-45"'),
    )
    other = events_dir / "other.toml"
    other.write_text("schema = 1\n[event\n", encoding="utf-8")
    errors = errors_of(events_dir)
    by_file = {path: [e for e in errors if e.path == path] for path in (event_file, other)}
    # missing order; unknown nmae + missing name; unknown chair; bad date
    assert len(by_file[event_file]) == 5, [str(e) for e in errors]
    assert len(by_file[other]) == 1
    assert by_file[other][0].line == 2
    assert len(errors) == 6


def test_duplicate_event_id_across_files(events_dir, event_file):
    copy = events_dir / "zz-copy.toml"
    shutil.copy(event_file, copy)
    (error,) = errors_of(events_dir)
    assert error.path == copy
    assert error.where == "event"
    assert "duplicate event id 'roundtable-2026-02-09-astana'" in error.message
    assert str(event_file) in error.message


def test_empty_folder(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (error,) = errors_of(empty)
    assert error.path == empty
    assert "no event files" in error.message


def test_empty_folder_given_as_an_iterator(tmp_path):
    with pytest.raises(RecordsInvalid) as caught:
        parse_all(iter([tmp_path]))
    assert caught.value.errors[0].path == tmp_path


def test_missing_file(tmp_path):
    (error,) = errors_of(tmp_path / "nope.toml")
    assert "no such file" in error.message


def test_wrong_types_are_reported(break_file):
    path = break_file(
        ("spoke = false", 'spoke = "no"'),
        ("participants_count = 200", "participants_count = -1"),
        ('id = "kipd"', 'id = "KIPD!"'),
    )
    messages = [e.message for e in errors_of(path)]
    assert any("'spoke' must be true or false" in m for m in messages)
    assert any("'participants_count' must be a whole number" in m for m in messages)
    assert any("'KIPD!' must be lowercase" in m for m in messages)


def test_unknown_top_level_key(break_file):
    path = break_file(("schema = 1\n", "schema = 1\nstatments = []\n"))
    (error,) = errors_of(path)
    assert "unknown top-level key 'statments'" in error.message
    assert "did you mean 'statements'?" in error.message
