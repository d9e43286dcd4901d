"""What an editor works with: the JSON Schema their TOML plug-in reads, `python -m bot new` and
`python -m bot who` (in process: the `cli` fixture)."""

from __future__ import annotations

import datetime as dt
import tomllib

import jsonschema
import pytest

from bot.records.files import event_files, parse_all
from bot.records.model import RecordsInvalid
from bot.records.schema import schema_text
from bot.records.template import new_event_file, paragraphs
from tests.botharness import REPO

SCHEMA_FILE = REPO / "data" / "event-file.schema.json"


def as_json(value):
    """TOML as a plug-in hands it to JSON Schema: dates as their ISO text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    import json

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_the_committed_schema_is_what_the_fields_describe():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "data/event-file.schema.json is stale: python -m bot schema > "
        "data/event-file.schema.json")


def test_the_shipped_files_validate_against_the_schema(validator):
    files = event_files([REPO / "data" / "events"])
    assert files
    for path in files:
        data = as_json(tomllib.loads(path.read_text(encoding="utf-8")))
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
                  for e in validator.iter_errors(data)]
        assert not errors, (path.name, errors)


@pytest.mark.parametrize(("edit", "where"), [
    (lambda d: d["event"].update(date="2026-13-45"), "event/date"),
    (lambda d: d["event"].update(participants_count=-1), "event/participants_count"),
    (lambda d: d["people"][0].update(nmae="x"), "people/0"),
    (lambda d: d["statements"][0].update(by="participants"), "statements/0"),  # and speaker
    (lambda d: d["statements"][0].update(paragraph=99999999999999999999),
     "statements/0/paragraph"),
    (lambda d: d["event"].update(sources=[]), "event/sources"),
])
def test_the_schema_flags_what_check_refuses(validator, edit, where):
    path = REPO / "data" / "events" / "roundtable-2026-02-09-astana.toml"
    data = as_json(tomllib.loads(path.read_text(encoding="utf-8")))
    edit(data)
    found = ["/".join(map(str, e.path)) for e in validator.iter_errors(data)]
    assert where in found, found


# ----- python -m bot new ---------------------------------------------------------------------


def test_new_writes_a_short_template_that_check_walks_through(tmp_path, cli):
    events = tmp_path / "events"
    result = cli("new", "hearing-2026-05-01", database=tmp_path / "bot.db",
                 EVENTS_PATH=str(events))
    assert result.returncode == 0, result.stderr
    path = events / "hearing-2026-05-01.toml"
    assert f"wrote {path}" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 70 and text.count("REQUIRED") >= 10
    tomllib.loads(text)  # valid TOML as written
    # `check` lists what is still to do, each at its line.
    check = cli("check", str(path), database=tmp_path / "bot.db")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    lines = text.splitlines()
    errors = check.stderr.strip().splitlines()[:-1]
    title = next(n for n, line in enumerate(lines, 1) if line.startswith("title = "))
    assert any(f"{path}:{title} [event]: 'title' is empty" in e for e in errors)
    numbers = [int(e.removeprefix(f"error: {path}:").split(" ")[0]) for e in errors]
    assert numbers == sorted(numbers)  # in the order the editor reads the file
    assert any("bad date 'YYYY-MM-DD'" in e for e in errors)
    again = cli("new", "hearing-2026-05-01", database=tmp_path / "bot.db",
                EVENTS_PATH=str(events))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == text  # never overwritten


def test_a_filled_template_passes(tmp_path):
    path = new_event_file(tmp_path, "hearing-2026-05-01")
    filled = path.read_text(encoding="utf-8")
    for placeholder, value in (
        ('title = ""', 'title = "Hearing"'), ('date = "YYYY-MM-DD"', "date = 2026-05-01"),
        ('sources = [""]', 'sources = ["https://example.org/hearing"]'),
        ('city = ""', 'city = "Astana"'), ("participants_count = 0", "participants_count = 40"),
        ('participants_description = ""', 'participants_description = "deputies"'),
        ('summary = ""', 'summary = "A hearing."'), ('conclusion = ""', 'conclusion = "Agreed."'),
        ('id = ""  # REQUIRED: the surname', 'id = "doe"  #'),
        ('name = ""  # REQUIRED: as the source', 'name = "Aliya Doe"  #'),
        ('id = ""  # REQUIRED\nname = ""', 'id = "council"\nname = "Council"'),
        ('short = ""', 'short = "PC"'), ('person = ""', 'person = "doe"'),
        ('role = ""', 'role = "moderator"'), ('institution = ""', 'institution = "council"'),
        ('id = ""  # REQUIRED\nname = ""', 'id = "reform"\nname = "Reform"'),
        ('id = ""  # REQUIRED, e.g.', 'id = "doe-1"  #'), ('speaker = ""', 'speaker = "doe"'),
        ('text = ""', 'text = "Reform goes on."'), ('quote = ""', 'quote = "It goes on."'),
    ):
        assert placeholder in filled, placeholder
        filled = filled.replace(placeholder, value, 1)
    path.write_text(filled, encoding="utf-8")
    (record,) = parse_all([path])
    assert record.event.id == "hearing-2026-05-01" and record.statements[0].quote


def test_new_refuses_a_bad_id(tmp_path, cli):
    result = cli("new", "Bad Id!", database=tmp_path / "bot.db", EVENTS_PATH=str(tmp_path))
    assert result.returncode == 2 and "must be lowercase" in result.stderr
    assert not list(tmp_path.glob("*.toml"))


def test_new_with_the_source_numbers_its_paragraphs(tmp_path, cli):
    article = tmp_path / "article.txt"
    article.write_text("Strasbourg, September 30, 2025 – A round table was held.\n\n"
                       "The event featured speeches by A and B.\n\n\n"
                       "Participants discussed reforms.\n", encoding="utf-8")
    events = tmp_path / "events"
    result = cli("new", "strasbourg", "--source", str(article), database=tmp_path / "bot.db",
                 EVENTS_PATH=str(events))
    assert result.returncode == 0, result.stderr
    text = (events / "strasbourg.toml").read_text(encoding="utf-8")
    assert "# ¶1: Strasbourg, September 30, 2025" in text
    assert "# ¶3: Participants discussed reforms." in text
    with pytest.raises(RecordsInvalid):  # still a template: check lists what is missing
        parse_all([events / "strasbourg.toml"])


def test_paragraphs_of_a_pasted_page():
    assert paragraphs("One.\nTwo.\n\nThree\ncontinued.") == ["One.\nTwo.".replace("\n", " "),
                                                               "Three continued."]
    assert paragraphs("Line one.\nLine two.\n") == ["Line one.", "Line two."]


# ----- python -m bot who ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "found"), [
    ("Ашимбаев", "person 'ashimbayev': Maulen Ashimbayev"),
    ("Ashimbaev", "person 'ashimbayev': Maulen Ashimbayev"),
    ("perepecina", "person 'perepechina': Olga Perepechina"),
    ("Kazakh Senate", "institution 'senate': Senate of the Parliament"),
])
def test_who_finds_someone_the_archive_has_by_any_spelling(tmp_path, cli, events_dir, name, found):
    result = cli("who", name, database=tmp_path / "bot.db", EVENTS_PATH=str(events_dir))
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith(found))
    path = events_dir / "roundtable-2026-02-09-astana.toml"
    assert f"({path}:" in line and "at roundtable-2026-02-09-astana" in line
    number = int(line.split(f"({path}:")[1].split(")")[0])
    assert path.read_text(encoding="utf-8").splitlines()[number - 1].startswith("id = ")


def test_who_says_when_nobody_has_the_name(tmp_path, cli, events_dir):
    result = cli("who", "Zsolt", "Nemeth", database=tmp_path / "bot.db",
                 EVENTS_PATH=str(events_dir))
    assert result.returncode == 0
    assert "nobody and nothing" in result.stdout and "'Zsolt Nemeth': define them" in result.stdout
