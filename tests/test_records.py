"""Event files -> validated records: the shipped files pass, every bad input is reported with
its file, record and the line of the offending field, alone and across files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.records import fields as F
from bot.records.files import parse_all, parse_file
from bot.records.model import RecordError, RecordsInvalid
from bot.settings import DEFAULT_EVENTS

ROUNDTABLE = "roundtable-2026-02-09-astana"


def errors_of(*paths: Path) -> list[RecordError]:
    with pytest.raises(RecordsInvalid) as caught:
        parse_all(list(paths))
    assert caught.value.errors
    return caught.value.errors


def line_of(text: str, snippet: str) -> int:
    """The line where `snippet` starts: where an error about that field must point."""
    return text[: text.index(snippet)].count("\n") + 1


def header_before(text: str, snippet: str) -> int:
    """Line of the table header ([x] / [[x]]) that holds `snippet`."""
    lines = text.splitlines()
    at = line_of(text, snippet) - 1
    return next(n + 1 for n in range(at, -1, -1) if lines[n].startswith("["))


def test_shipped_file_is_valid():
    records = {r.event.id: r for r in parse_all([DEFAULT_EVENTS]) if r.event}
    record = records[ROUNDTABLE]
    assert str(record.event.date) == "2026-02-09"
    assert record.event.sources == ("https://religions-congress.org/en/news/novosti/3054",)
    assert (len(record.people), len(record.participants), len(record.institutions)) == (9, 9, 6)
    assert len(record.themes) >= 15
    assert len(record.statements) >= 20
    assert [s.by for s in record.statements if s.by] == ["participants"]
    for kind in (record.people, record.institutions, record.themes, record.statements):
        ids = [item.id for item in kind]
        assert len(ids) == len(set(ids))
    assert {"en", "ru", "kk"} <= set(record.event.title)


def test_parse_file_is_deterministic(event_file):
    first, errors, _ = parse_file(event_file)
    second, _, _ = parse_file(event_file)
    assert errors == []
    assert first == second


# (edit, the edited text (where the error must point), record name, message parts)
BAD_INPUTS = {
    "unknown field with a hint": (
        ('name = "Zhakyp Assanov"', 'nmae = "Zhakyp Assanov"'), 'nmae = "Zhakyp',
        "people 'assanov'", ["unknown field 'nmae'", "did you mean 'name'?"],
    ),
    "unknown speaker": (
        ('id = "perepechina-1"\nspeaker = "perepechina"',
         'id = "perepechina-1"\nspeaker = "perepechin"'),
        'speaker = "perepechin"\n', "statements 'perepechina-1'",
        ["unknown speaker 'perepechin'", "did you mean 'perepechina'?"],
    ),
    "unknown theme": (
        ('id = "assanov-1"\nspeaker = "assanov"\nthemes = ["preamble"]',
         'id = "assanov-1"\nspeaker = "assanov"\nthemes = ["preambel"]'),
        'themes = ["preambel"]', "statements 'assanov-1'", ["unknown theme 'preambel'"],
    ),
    "unknown institution": (
        ('institution = "senate-constitutional-committee"', 'institution = "senate-committee"'),
        'institution = "senate-committee"', "participants 'beknazarov'",
        ["unknown institution 'senate-committee'"],
    ),
    "unknown parent institution": (
        ('parent = "senate"', 'parent = "senat"'), 'parent = "senat"',
        "institutions 'senate-constitutional-committee'", ["unknown parent institution 'senat'"],
    ),
    "unknown person": (
        ('person = "kozhabay"', 'person = "kozhabai"'), 'person = "kozhabai"',
        "participants 'kozhabai'", ["unknown person 'kozhabai'", "did you mean 'kozhabay'?"],
    ),
    "duplicate id": (
        ('id = "assanov-2"', 'id = "assanov-1"'), 'id = "assanov-1"\nspeaker = "assanov"\n'
        'themes = ["preamble"]\nparagraph = 3\ntext = "The document', "statements 'assanov-1'",
        ["duplicate id 'assanov-1'"],
    ),
    "bad date": (
        ("date = 2026-02-09", 'date = "2026-13-45"'), 'date = "2026', "event",
        ["bad date '2026-13-45'", "YYYY-MM-DD"],
    ),
    "a date and time": (
        ("date = 2026-02-09", "date = 2026-02-09T10:00:00"), "date = 2026-02-09T", "event",
        ["'date' must be a date like 2026-02-09, not a date and time"],
    ),
    "a paragraph too big for SQLite": (
        ('id = "ashimbayev-2"\nspeaker = "ashimbayev"\nthemes = ["public-administration"]\n'
         'paragraph = 2', 'id = "ashimbayev-2"\nspeaker = "ashimbayev"\n'
         'themes = ["public-administration"]\nparagraph = 99999999999999999999'),
        "paragraph = 9999", "statements 'ashimbayev-2'",
        [f"'paragraph' must be a whole number from 1 to {F.MAX_PARAGRAPH:,}"],
    ),
    "a control character": (
        ('name = "Olga Perepechina"', 'name = "Olga\\u0000Perepechina"'), 'name = "Olga\\u0000',
        "people 'perepechina'", ["'name' has the control character U+0000"],
    ),
    "a name of invisible characters": (
        ('name = "Olga Perepechina"', 'name = "\\u200b\\u200b "'), 'name = "\\u200b',
        "people 'perepechina'", ["'name' must have visible text"],
    ),
    "a text over its length": (
        ('text = "The text is based on the national development model."',
         f'text = "{"word " * 900}"'), 'text = "word', "statements 'assanov-4'",
        [f"'text' is 4,500 characters long; at most {F.LONG:,}"],
    ),
    "an alias of two people": (
        ('"Tynybayeva", "Tynybaeva",', '"Tynybayeva", "Tynybaeva", "Gulsana Kozhabay",'),
        '"Gulsana Kozhabay",', "people 'tynybayeva'",
        ["'Gulsana Kozhabay' also names person 'kozhabay'", "refer to 'kozhabay' by id"],
    ),
    "an alias of a person and an institution": (
        ('"Ashimbayev", "Ashimbaev",', '"Ashimbayev", "Ashimbaev", "KIPD",'),
        '"Ashimbayev", "Ashimbaev", "KIPD",',
        "people 'ashimbayev'", ["'KIPD' also names institution 'kipd'"],
    ),
    "a speaker who did not take part": (
        ('id = "beknazarov-1"\nspeaker = "beknazarov"', 'id = "beknazarov-1"\nspeaker = "x"'),
        'speaker = "x"', "statements 'beknazarov-1'", ["unknown speaker 'x'"],
    ),
    "speaker and by": (
        ('id = "beknazarov-1"\nspeaker = "beknazarov"',
         'id = "beknazarov-1"\nspeaker = "beknazarov"\nby = "speakers"'),
        'by = "speakers"', "statements 'beknazarov-1'", ["either 'speaker'", "not both"],
    ),
    "an unknown 'by'": (
        ('by = "participants"', 'by = "audience"'), 'by = "audience"',
        "statements 'participants-1'", ["'by' must be 'participants', 'speakers' or an "
                                        "institution id, not 'audience'"],
    ),
    "a source that is not the event's": (
        ('id = "beknazarov-1"\nspeaker = "beknazarov"',
         'id = "beknazarov-1"\nspeaker = "beknazarov"\nsource = "https://example.org/x"'),
        'source = "https://example.org/x"', "statements 'beknazarov-1'",
        ["'source' must be one of the event's 'sources'"],
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_names_file_record_and_the_line_of_the_field(case, break_file):
    edit, snippet, record, parts = BAD_INPUTS[case]
    path = break_file(edit)
    errors = errors_of(path.parent)
    matching = [e for e in errors if all(part in e.message for part in parts)]
    assert len(matching) == 1, [str(e) for e in errors]
    (error,) = matching
    assert error.path == path
    assert error.where == record
    expected = line_of(path.read_text(encoding="utf-8"), snippet)
    assert error.line == expected
    shown = str(error)
    assert shown.startswith(f"{path}:{expected} [{record}]: ")
    assert all(part in shown for part in parts)


# (edit making a second record with a key the file already has, the first one's text,
# record name of the second, what the error says)
SECOND_OF_A_KEY = {
    "participant": (('person = "assanov"\nrole = "Deputy',
                     'person = "ashimbayev"\nrole = "Deputy'),
                    'person = "ashimbayev"', "participants 'ashimbayev'",
                    "'ashimbayev' is listed twice"),
    "theme": (('id = "preamble"', 'id = "public-administration"'), 'id = "public-administration"',
              "themes 'public-administration'", "duplicate id 'public-administration'"),
    "statement": (('id = "assanov-2"', 'id = "assanov-1"'), 'id = "assanov-1"',
                  "statements 'assanov-1'", "duplicate id 'assanov-1'"),
}


@pytest.mark.parametrize("case", SECOND_OF_A_KEY, ids=list(SECOND_OF_A_KEY))
def test_a_second_record_of_a_key_is_refused_pointing_at_the_first(case, event_file, break_file):
    edit, first, record, said = SECOND_OF_A_KEY[case]
    first_line = header_before(event_file.read_text(encoding="utf-8"), first)  # its [[table]]
    path = break_file(edit)
    [error] = [e for e in errors_of(path.parent) if said in e.message]
    assert error.message == f"{said} (first at line {first_line})"
    assert error.where == record
    text = path.read_text(encoding="utf-8")
    assert error.line == text[: text.rindex(edit[1])].count("\n") + 1  # the second one's field
    assert error.line > first_line


def test_missing_required_field_points_at_the_record(break_file):
    snippet = 'id = "assanov-1"\nspeaker = "assanov"\nthemes = ["preamble"]\n'
    path = break_file((snippet + "paragraph = 3\n", snippet))
    (error,) = errors_of(path)
    assert error.message == "missing required field 'paragraph'"
    assert error.line == header_before(path.read_text(encoding="utf-8"), snippet)


def test_toml_syntax_error_has_the_line(break_file):
    path = break_file(('city = "Astana"', 'city = "Astana'))
    (error,) = errors_of(path)
    assert "TOML syntax error" in error.message
    lines = path.read_text(encoding="utf-8").splitlines()
    assert error.line == next(n for n, line in enumerate(lines, 1) if line == 'city = "Astana')
    assert str(error).startswith(f"{path}:{error.line}: TOML syntax error")


def test_all_errors_of_all_files_at_once(events_dir, event_file, break_file):
    break_file(
        ('name = "Zhakyp Assanov"', 'nmae = "Zhakyp Assanov"'),
        ('person = "kozhabay"', 'person = "nobody"'),
        ("date = 2026-02-09", 'date = "2026-13-45"'),
        ("paragraph = 10", "paragraph = 0"),
    )
    other = events_dir / "other.toml"
    other.write_text("schema = 2\n[event\n", encoding="utf-8")
    errors = errors_of(events_dir)
    by_file = {path: [e for e in errors if e.path == path] for path in (event_file, other)}
    # unknown nmae and its English name missing; bad date; paragraph 0: one file alone
    assert len(by_file[event_file]) == 4, [str(e) for e in errors]
    assert len(by_file[other]) == 1
    assert by_file[other][0].line == 2
    assert len(errors) == 5


def test_the_files_are_checked_together_once_each_file_passes(break_file):
    path = break_file(('person = "kozhabay"', 'person = "nobody"'))
    (error,) = errors_of(path)
    assert "unknown person 'nobody'" in error.message


def test_duplicate_event_id_across_files(events_dir, event_file):
    copy = events_dir / "zz-copy.toml"
    shutil.copy(event_file, copy)
    errors = errors_of(events_dir)
    assert all(error.path == copy for error in errors)
    (event,) = [e for e in errors if e.where == "event"]
    assert f"duplicate event id '{ROUNDTABLE}'" in event.message
    assert str(event_file) in event.message
    assert event.line == line_of(copy.read_text(encoding="utf-8"), f'id = "{ROUNDTABLE}"')
    people = [e for e in errors if e.where.startswith("people ")]
    assert len(people) == 9 and all("define each person once" in e.message for e in people)


def test_people_defined_in_one_file_serve_another(events_dir):
    (events_dir / "later.toml").write_text(
        "schema = 2\n[event]\nid = \"later\"\ntitle = \"Hearing on reforms\"\n"
        "date = 2026-05-01\nsources = [\"https://example.org/hearing\"]\n"
        "[[participants]]\nperson = \"ashimbayev\"\ninstitution = \"senate\"\n"
        "[[statements]]\nid = \"a-1\"\nspeaker = \"ashimbayev\"\nparagraph = 2\n"
        "text = \"Reforms continue.\"\n", encoding="utf-8")
    records = {r.event.id: r for r in parse_all([events_dir])}
    assert records["later"].participants[0].person == "ashimbayev"
    assert not records["later"].people  # defined once, in the roundtable's file


def test_a_second_definition_of_a_person_is_refused_with_a_hint(events_dir):
    later = events_dir / "later.toml"
    later.write_text(
        "schema = 2\n[[people]]\nid = \"maulen-ashimbayev\"\nname = \"Maulen Ashimbayev\"\n",
        encoding="utf-8")
    (error,) = errors_of(events_dir)
    assert error.path == later and error.line == 4
    assert "'Maulen Ashimbayev' also names person 'ashimbayev'" in error.message
    assert "refer to 'ashimbayev' by id" in error.message
    # ...and points at the other definition's line: the name's, not its table's.
    (shipped,) = (path for path in events_dir.glob("*.toml") if path != later)
    lines = shipped.read_text("utf-8").splitlines()
    line = lines.index('name = "Maulen Ashimbayev"') + 1
    assert f"also names person 'ashimbayev' ({shipped}:{line})" in error.message


def test_parse_all_reports_progress_after_each_file(events_dir):
    shutil.copy(DEFAULT_EVENTS / "expert-platform-2022-04-05-nur-sultan.toml", events_dir)
    seen = []
    records = parse_all([events_dir], progress=lambda *step: seen.append(step))
    assert seen == [(1, 2), (2, 2)] and len(records) == 2


def test_a_file_of_people_only_is_valid_and_needs_no_event(tmp_path):
    path = tmp_path / "people.toml"
    path.write_text("schema = 2\n[[institutions]]\nid = \"pace\"\n"
                    "name = \"Parliamentary Assembly of the Council of Europe\"\n"
                    "[[people]]\nid = \"nemeth\"\nname = \"Zsolt Nemeth\"\n", encoding="utf-8")
    (record,) = parse_all([path])
    assert record.event is None and [p.id for p in record.people] == ["nemeth"]
    path.write_text("schema = 2\n[[participants]]\nperson = \"nemeth\"\n", encoding="utf-8")
    assert "[[participants]] belong to an event" in errors_of(path)[0].message


def test_optional_facts_may_be_left_out(tmp_path):
    path = tmp_path / "bare.toml"
    path.write_text("schema = 2\n[event]\nid = \"bare\"\ntitle = \"A meeting\"\n"
                    "date = 2025-01-01\nsources = [\"https://example.org/a\"]\n",
                    encoding="utf-8")
    (record,) = parse_all([path])
    event = record.event
    assert event.city == {} and event.participants_count is None
    assert event.conclusion == {} and event.summary == {}


def test_a_file_with_a_bom_is_read(event_file):
    event_file.write_bytes(b"\xef\xbb\xbf" + event_file.read_bytes())
    (record,) = parse_all([event_file])
    assert record.event.id == ROUNDTABLE


def test_deep_nesting_is_an_error_with_a_line_not_a_traceback(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("schema = 2\nx = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (error,) = errors_of(path)
    assert "nested too deeply" in error.message and error.line == 2


def test_people_per_event_and_statements_per_speaker_are_limited(tmp_path):
    head = ("schema = 2\n[event]\nid = \"big\"\ntitle = \"Big\"\ndate = 2025-01-01\n"
            "sources = [\"https://example.org/big\"]\n")
    many = tmp_path / "many.toml"
    many.write_text(head + "".join(f"[[participants]]\nperson = \"p{n}\"\n"
                                   for n in range(F.MAX_PARTICIPANTS + 1)), encoding="utf-8")
    messages = [e.message for e in errors_of(many)]
    assert f"{F.MAX_PARTICIPANTS + 1:,} [[participants]] tables; at most " \
           f"{F.MAX_PARTICIPANTS:,}" in messages
    talkative = tmp_path / "talkative.toml"
    talkative.write_text(head + "[[people]]\nid = \"p\"\nname = \"A Person\"\n"
                         "[[participants]]\nperson = \"p\"\n" + "".join(
                             f"[[statements]]\nid = \"s{n}\"\nspeaker = \"p\"\nparagraph = 1\n"
                             f"text = \"Said {n}.\"\n"
                             for n in range(F.MAX_STATEMENTS_PER_SPEAKER + 1)),
                         encoding="utf-8")
    (error,) = errors_of(talkative)
    assert f"'p' has {F.MAX_STATEMENTS_PER_SPEAKER + 1} statements at this event" \
        in error.message


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
        ("opened = true", 'opened = "yes"'),
        ("participants_count = 200", "participants_count = -1"),
        ('id = "kipd"', 'id = "KIPD!"'),
    )
    messages = [e.message for e in errors_of(path)]
    assert any("'opened' must be true or false" in m for m in messages)
    assert any("'participants_count' must be a whole number" in m for m in messages)
    assert any("'KIPD!' must be lowercase" in m for m in messages)


def test_unknown_top_level_key(break_file):
    path = break_file(("schema = 2\n", "schema = 2\nstatments = []\n"))
    (error,) = errors_of(path)
    assert "unknown top-level key 'statments'" in error.message
    assert "did you mean 'statements'?" in error.message


def test_an_old_file_is_told_where_the_new_format_is_described(break_file):
    path = break_file(("schema = 2\n", "schema = 1\n"))
    messages = [e.message for e in errors_of(path)]
    assert any("schema 1 is the old one-event format" in m for m in messages)


def test_the_shipped_archive_is_the_three_real_events():
    """Issue 9: the roundtable and two more published releases, sharing a person."""
    records = {r.event.id: r for r in parse_all([DEFAULT_EVENTS])}
    strasbourg = records["roundtable-2025-09-30-strasbourg"]
    kaziss = records["expert-platform-2022-04-05-nur-sultan"]
    assert strasbourg.event.sources == (
        "https://www.gov.kz/memleket/entities/mfa/press/region-news/details/26342?lang=en",)
    assert kaziss.event.sources[0].startswith("https://astanatimes.com/2022/04/")
    # Ashimbayev is one person: defined once, at both events; the Senate serves all three.
    defined = [p.id for r in records.values() for p in r.people]
    assert defined.count("ashimbayev") == 1 and len(defined) == len(set(defined))
    assert "ashimbayev" in {p.person for p in strasbourg.participants}
    assert {p.institution for r in records.values() for p in r.participants} >= {"senate"}
    # What the releases do not say is not there.
    for record in (strasbourg, kaziss):
        assert record.event.participants_count is None and not record.event.conclusion
        assert not any(p.opened or p.order for p in record.participants)
    assert {s.by for s in strasbourg.statements} == {"participants"}
    assert any(s.by == "speakers" for s in kaziss.statements)
    assert all(s.quote for s in kaziss.statements if s.id in ("tukumov-1", "karibek-2"))
