"""`python -m bot new EVENT_ID`: a short, commented event file to fill in.

Required fields are marked and left empty, so `python -m bot check` lists what is still to
do, each with its line. Given the source text (`--source article.txt`), its paragraphs are
appended as numbered comments: the statements are written beside the paragraph they cite.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATE = '''\
#:schema ../event-file.schema.json
# {event_id}: one event, from its published source. Write what the source says and nothing
# more: fields marked REQUIRED must be filled; delete an optional line the source does not
# give (never guess it). README, "Adding an event". Then: python -m bot check
schema = 2

[event]
id = "{event_id}"  # REQUIRED; the file's name
title = ""  # REQUIRED: a short title in English; title_ru, title_kk if you are sure of them
date = "YYYY-MM-DD"  # REQUIRED: the day it was held, written 2025-09-30 (no quotes)
sources = [""]  # REQUIRED: the press release's URL; more if several
city = ""  # where it was held, only if the source says
participants_count = 0  # how many took part, only if the source gives a number
participants_description = ""  # who took part, in the source's words
summary = ""  # two or three sentences of what the source reports
conclusion = ""  # what they concluded, only if the source says
aliases = []  # other names people use for it; not a bare "forum"
# For an upcoming event (times with the UTC offset of where it is held, no quotes):
# starts = 2026-03-12T10:00:00+05:00
# ends = 2026-03-12T13:00:00+05:00
# venue = ""  # the building and room; status = "cancelled" once it is called off

# People the archive does not know yet, once each. Look first: python -m bot who SURNAME
# (any spelling); someone already there is referred to by id in [[participants]].
[[people]]
id = ""  # REQUIRED: the surname as a slug, e.g. "nemeth"
name = ""  # REQUIRED: as the source writes it; name_ru, name_kk if you are sure of them
aliases = []  # other spellings; the surname alone and Cyrillic-Latin spellings are automatic
role_aliases = []  # titles people may ask by: "pace rapporteur"

# Institutions the archive does not know yet, once each (python -m bot who NAME first).
[[institutions]]
id = ""  # REQUIRED
name = ""  # REQUIRED: its full name in English
short = ""  # an abbreviation, if it has one

# Everyone the source names at this event, in its order, with the role it gives them here.
[[participants]]
person = ""  # REQUIRED: a person's id
role = ""  # their title as the source gives it
institution = ""  # an institution's id
# order = 1  # only if the source gives the speaking order
# opened = true  # only if the source says they opened the event

[[themes]]
id = ""  # REQUIRED
name = ""  # REQUIRED: a short name in English
keywords = []  # words people ask about it by; keywords_ru, keywords_kk too

# One statement per point the source attributes; a third-person paraphrase.
[[statements]]
id = ""  # REQUIRED, e.g. "nemeth-1"
speaker = ""  # REQUIRED: a participant's id; or instead by = "participants", "speakers"
#               or an institution's id, for what they said together
themes = []  # theme ids
paragraph = 1  # REQUIRED: the source's paragraph (1 = the first after the headline)
text = ""  # REQUIRED: the paraphrase in English; text_ru, text_kk if you are sure of them
quote = ""  # the source's own words, verbatim, only where it quotes them

# An upcoming event's links and programme, in order (a time of day is on the day it starts).
# [[links]]
# label = "Livestream"
# url = ""
# [[agenda]]
# time = 10:00:00
# title = ""
# speakers = []  # person ids
'''


def paragraphs(text: str) -> list[str]:
    """A saved article's paragraphs: blocks separated by blank lines, or its lines when the
    text has no blank lines (a copy from a web page keeps one paragraph a line)."""
    text = text.replace("\r\n", "\n").strip()
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def source_comments(text: str) -> str:
    """The article as numbered comments, wrapped at 99 columns, for writing statements."""
    lines = ["", "# ---------------------------------------------------------------- the source",
             "# Paragraph numbers as `paragraph` counts them (1 = the first after the headline;",
             "# captions and bylines are not paragraphs: delete them if the copy has them).",
             "# Delete these comments once the statements cite them: the text stays at its URL.",
             ""]
    for number, paragraph in enumerate(paragraphs(text), 1):
        words, line = paragraph.split(), f"# ¶{number}:"
        for word in words:
            if len(line) + 1 + len(word) > 99:
                lines.append(line)
                line = "#    "
            line += f" {word}"
        lines += [line, "#"]
    return "\n".join(lines) + "\n"


def new_event_file(folder: Path, event_id: str, source: str | None = None) -> Path:
    """Write the template for `event_id` in `folder`; never over an existing file."""
    path = folder / f"{event_id}.toml"
    folder.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(event_id=event_id) + (source_comments(source) if source else "")
    with path.open("x", encoding="utf-8") as out:  # "x": refuse to overwrite
        out.write(text)
    return path
