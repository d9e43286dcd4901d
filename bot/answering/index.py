"""The records' index, queried: which records a question's words name.

A question's words are matched to the index's stems exactly, by a shared prefix or with
rapidfuzz, and a phrase counts when most of its (IDF-weighted) words are present. How the
index is built is `bot.answering.indexing`.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.answering.cues import stems_of
from bot.answering.indexing import IndexedRecords, Phrase
from bot.records.model import Archive
from bot.text import MIN_STEM, stem, stem_variants

# Phrase kinds, strongest evidence first; "given" (a first name alone) is the weakest.
PHRASE_WEIGHT = {"name": 1.0, "alias": 1.0, "surname": 1.0, "role": 0.98, "short": 1.0,
                 "keyword": 0.97, "theme": 1.0, "given": 0.9, "event": 0.95}
ACCEPT_RECALL = 0.8
# What kind of body a name says, left out when people name it ("AMANAT" for the party).
BODY_KINDS = stems_of("party partiya партия партии партиясы institute институт институты")
SIMILAR_CACHE = 50_000  # question stems whose similar index stems are remembered
KIN_SHARE = 0.8  # of the shorter stem, what two forms of one root share from the start
_DEVOICED = {"g": "k", "b": "p"}
KIN_DIVERGE = 6  # letters shared at least by forms that part ("ekonomik" / "ekonomichesk")


def kin(token: str, vocab: list[str]) -> list[str]:
    """Stems of the sorted `vocab` that are word forms of `token`'s root, at most eight,
    the closest first: one starts the other ("econom" / "economic", "soci" / "socie": social,
    society), or they share at least KIN_DIVERGE letters and most (KIN_SHARE) of the shorter
    ("ekonomik" / "ekonomichesk", "religion" / "religiou"; not "intend" / "intensiv"). A stem
    of four letters has no kin: too many words start like "mira" (мира, of the world: not
    Miranda) or "depu" (deputy: not the deputies of the Kurultai)."""
    found: list[str] = []
    if len(token) <= MIN_STEM or token.isdigit():
        return found
    # Kazakh voices a final k or p before an ending: бірлік, бірлігі ("birlik", "birlig").
    devoiced = token[:-1] + _DEVOICED.get(token[-1], token[-1])
    for form in dict.fromkeys((token, devoiced)):
        for shared in range(len(form), MIN_STEM - 1, -1):
            start = form[:shared]
            at = bisect.bisect_left(vocab, start)
            for word in vocab[at:at + 64]:
                if not word.startswith(start) or len(found) == 8:
                    break
                shorter = min(len(word), len(form))
                if word != token and word not in found and (shared == shorter or (
                        shared >= KIN_DIVERGE and shared >= KIN_SHARE * shorter)):
                    found.append(word)
    return found


@dataclass
class Match:
    """One record the question names, and which question words did it."""

    entity: tuple[str, str, str]
    score: float
    positions: frozenset[int]
    phrase: Phrase


class RecordIndex(IndexedRecords):
    """The index of bot.answering.indexing with its queries: IDF, what statements say, which
    records a question's stems name."""

    def __init__(self, archive: Archive | None = None) -> None:
        super().__init__(archive)
        # What questions asked before found: bounded (SIMILAR_CACHE), dropped with the index.
        self._similar: dict[str, dict[str, float]] = {}  # question stem -> similar_stems()
        self._saying: dict[str, frozenset[str]] = {}
        self._last_link: tuple[tuple[str, ...] | None, list[Match]] = (None, [])

    # ----- linking ---------------------------------------------------------------------------

    def idf(self, token: str) -> float:
        return self._idf.get(token, 1.0)

    def in_statements(self, token: str, prefix: bool = False) -> bool:
        """Whether a statement has this stem (with prefix: a stem that starts with it)."""
        if token in self.statement_df:
            return True
        if not prefix:
            return False
        at = bisect.bisect_left(self._statement_vocab, token)
        return at < len(self._statement_vocab) and self._statement_vocab[at].startswith(token)

    def said_kin(self, token: str) -> list[str]:
        """The word forms of `token`'s root that statements say ("econom" for "economic")."""
        return kin(token, self._statement_vocab)

    def saying(self, word: str) -> frozenset[str]:
        """Keys of the statements that have this stem in some inflection: the same stem, or
        one that starts the other ("құрылтай" / "құрылтайды"), both of at least four letters."""
        cached = self._saying.get(word)
        if cached is None:
            postings = self._stem_statements
            numbers = set(postings.get(word, ()))
            if len(word) >= MIN_STEM:
                for cut in range(MIN_STEM, len(word)):
                    numbers.update(postings.get(word[:cut], ()))
                vocab = self._statement_vocab
                at = bisect.bisect_left(vocab, word)
                while at < len(vocab) and vocab[at].startswith(word):
                    numbers.update(postings[vocab[at]])
                    at += 1
            keys = map(self._statement_keys.__getitem__, numbers)
            if len(self._saying) >= SIMILAR_CACHE:
                self._saying.clear()
            cached = self._saying[word] = frozenset(keys)
        return cached

    def best_stem(self, word: str) -> str:
        """The stem of a question's word that the index knows, if any ending gives one."""
        for variant in stem_variants(word):
            if variant in self._by_stem:
                return variant
        return stem(word)

    def similar_stems(self, token: str) -> dict[str, float]:
        """Index stems that a question's stem may stand for, with a similarity in 0..1."""
        cached = self._similar.get(token)
        if cached is None:
            if len(self._similar) >= SIMILAR_CACHE:
                self._similar.clear()
            cached = self._similar[token] = self._similar_stems(token)
        return dict(cached)

    def _similar_stems(self, token: str) -> dict[str, float]:
        found: dict[str, float] = {}
        if token in self._by_stem:
            found[token] = 1.0
        if token.isdigit() or len(token) < 3:
            return found
        # The word's own stem too: best_stem() keeps the longest form the index knows
        # ("kazakhstan", from a title), the record may spell it inflected ("Taza Kazakhstan"
        # keyword -> "kazakhs"), or its ending off ("danykh", данных, meets "dan", данные).
        for own in (stem(token), *stem_variants(token)[1:]):
            if own != token and own in self._by_stem:
                found.setdefault(own, 0.95)
        if len(token) >= 5:  # "chair" / "chairman", "kurulta" / "kurultai"
            start = bisect.bisect_left(self._vocab_sorted, token)
            for candidate in self._vocab_sorted[start : start + 8]:
                if not candidate.startswith(token):
                    break
                found.setdefault(candidate, 0.9)
            for cut in range(len(token) - 1, MIN_STEM - 1, -1):
                if token[:cut] in self._by_stem:
                    found.setdefault(token[:cut], 0.88)
                    break
        if len(token) >= 5 and not found:  # four letters are too few to tell a typo
            cutoff = 84 if len(token) <= 5 else 78
            for candidate, score, _ in process.extract(
                token, self._vocab, scorer=fuzz.ratio, limit=6, score_cutoff=cutoff
            ):
                # A typo keeps the word's length: "fotbal" is not "otba" (отбасы, family).
                if abs(len(candidate) - len(token)) <= max(1, len(token) // 4):
                    found.setdefault(candidate, score / 100)
        for candidate in kin(token, self._vocab_sorted):  # "societal" for "society"
            found.setdefault(candidate, 0.85)
        return found

    def event_names_with(self, stems: set[str]) -> list[Phrase]:
        """The events' titles and aliases that have every one of these stems."""
        ids: set[int] | None = None
        for token in stems:
            found = {i for i in self._by_stem.get(token, ()) if self.phrases[i].kind == "event"}
            ids = found if ids is None else ids & found
            if not ids:
                return []
        return [self.phrases[i] for i in sorted(ids or ())]

    def words_of(self, question_stems: list[str], positions: set[int],
                 kind: str) -> dict[tuple[str, str, str], Match]:
        """Per record of a kind, the question words at `positions` that any of its phrases
        has (one phrase each or several: "national unity" and "dialogue in society" for
        "unity in society"), as a Match on the phrase that has the most of them."""
        per_phrase: dict[int, set[int]] = defaultdict(set)
        for position in positions:
            for candidate in self.similar_stems(question_stems[position]):
                for shape in self._shape_postings.get(candidate, ()):
                    for phrase_id in self._shape_phrases[shape]:
                        if self.phrases[phrase_id].entity[0] == kind:
                            per_phrase[phrase_id].add(position)
        found: dict[tuple[str, str, str], Match] = {}
        for phrase_id, words in sorted(per_phrase.items(), key=lambda p: -len(p[1])):
            phrase = self.phrases[phrase_id]
            if phrase.entity not in found:
                found[phrase.entity] = Match(phrase.entity, 0.0, frozenset(words), phrase)
            else:
                match = found[phrase.entity]
                match.positions = match.positions | words
        return found

    def link(self, question_stems: list[str]) -> list[Match]:
        """Records the question names: each at its best phrase, weaker overlaps dropped.
        The stages around the engine and the engine link the same question in turn: the
        last question's links are kept for that, not a cache across questions."""
        key = tuple(question_stems)
        if self._last_link[0] != key:
            self._last_link = (key, self._link(question_stems))
        return list(self._last_link[1])

    def _link(self, question_stems: list[str]) -> list[Match]:
        hits: dict[str, tuple[int, float]] = {}  # index stem -> its best question word
        for position, token in enumerate(question_stems):
            for candidate, similarity in self.similar_stems(token).items():
                if candidate not in hits or similarity > hits[candidate][1]:
                    hits[candidate] = (position, similarity)
        # What each shape gains from those stems, summed along their postings: the work
        # follows the question's words, not every word of every phrase they touch.
        gained: dict[int, float] = defaultdict(float)
        for candidate, (_, similarity) in hits.items():
            gain = self.idf(candidate) * similarity
            for shape in self._shape_postings.get(candidate, ()):
                gained[shape] += gain
        accepted: list[tuple[int, float, set[int]]] = []
        for shape, gain in gained.items():
            total, stems = self._shape_weight[shape], self._shape_stems[shape]
            # "AMANAT" for "AMANAT party": a body's name short of what kind of body it is.
            bare_name = all(t in BODY_KINDS for t in stems if t not in hits) and len(
                [t for t in stems if t in hits]) == len(stems) - 1
            if gain < 0.5 * total and not bare_name:  # short of every threshold below
                continue
            recall = gain / total
            positions = {hits[token][0] for token in stems if token in hits}
            long_phrase_ok = len(stems) >= 4 and len(positions) >= 3 and recall >= 0.5
            phrases = self._shape_phrases[shape]
            if recall < ACCEPT_RECALL and not long_phrase_ok:
                if not bare_name:
                    continue
                phrases = [i for i in phrases if self.phrases[i].entity[0] == "institution"]
                recall = ACCEPT_RECALL
            accepted.extend((i, recall, positions) for i in phrases)
        best: dict[tuple[str, str, str], Match] = {}
        for phrase_id, recall, positions in sorted(accepted, key=lambda a: a[0]):
            phrase = self.phrases[phrase_id]
            score = recall * PHRASE_WEIGHT[phrase.kind] + 0.01 * len(positions)
            current = best.get(phrase.entity)
            if current is None:
                best[phrase.entity] = Match(phrase.entity, score, frozenset(positions), phrase)
            else:  # an entity covers every word any of its phrases covers
                current.positions = current.positions | positions
                if score > current.score:
                    current.score, current.phrase = score, phrase
        # Longest match wins: "director of AMANAT" beats "AMANAT", "deputy chair" beats "chair";
        # on the same words an institution's name beats a role that contains it. Compared by
        # distinct sets of question words, which are few however many records match.
        spans = {m.positions for m in best.values()}
        institution_spans = {m.positions for m in best.values() if m.entity[0] == "institution"}
        covered = {span for span in spans if any(other > span for other in spans)}
        kept = [m for m in best.values() if m.positions not in covered and not (
            m.phrase.kind == "role" and m.positions in institution_spans)]
        return sorted(kept, key=lambda m: (-m.score, m.entity))
