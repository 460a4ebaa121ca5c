"""What the coaching rules' word lists find in titles.

A title is split into lower-case words once (a hyphenated word is one word, Markdown
marks are none) and looked up in sets. Reading the titles is most of the rules' work on
a large folder, so a check reads them all in one batch (`read_titles`), which it can hand
to its parse worker while it validates the cascade (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .rule_settings import RuleSettings

DIGIT = re.compile(r"\d")
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*|%")


def words_of(title: str) -> list[str]:
    """A title's words (`WORD`), lower case; '%' is a word of its own."""
    words: list[str] = []
    for token in title.lower().split():  # no word holds a space
        if token.isalnum():  # a word as it stands, as most are: the pattern finds just it
            words.append(token)
        else:
            words += WORD.findall(token)
    return words


@dataclass(frozen=True)
class WordList:
    """Words and phrases of several words, found among a title's words."""

    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    phrase_starts: frozenset[str]
    """The first words of `phrases`: most titles hold none of them."""

    @classmethod
    def of(cls, entries: Iterable[str]) -> WordList:
        split = [tuple(words_of(entry)) for entry in entries]
        phrases = tuple(words for words in split if len(words) > 1)
        return cls(
            frozenset(words[0] for words in split if len(words) == 1),
            phrases,
            frozenset(phrase[0] for phrase in phrases),
        )

    def find(self, words: list[str]) -> str | None:
        """The first entry among `words`, or None."""
        if not self.words.isdisjoint(words):  # most titles hold none: no loop in Python then
            for word in words:
                if word in self.words:
                    return word
        if self.phrase_starts.isdisjoint(words):
            return None
        for phrase in self.phrases:
            first = phrase[0]
            if first not in words:
                continue
            for start, word in enumerate(words):
                if word == first and tuple(words[start : start + len(phrase)]) == phrase:
                    return " ".join(phrase)
        return None

    def starts(self, words: list[str]) -> str | None:
        """The entry `words` start with, or None."""
        if words and words[0] in self.words:
            return words[0]
        return next((" ".join(p) for p in self.phrases if tuple(words[: len(p)]) == p), None)


@dataclass(frozen=True)
class TitlesRead:
    """What the word lists found in a batch of titles, one entry per title in the order
    they were given."""

    output_verbs: list[str | None]
    """Of each objective title: the output verb (or phrase) it starts with."""
    activities: list[str | None]
    """Of each key result title: the activity it counts, when it names no outcome."""
    numbered: list[bool]
    """Of each key result title: whether it holds a number, in digits or in words."""


def read_titles(settings: RuleSettings, objective_titles: Sequence[str], kr_titles: Sequence[str]) -> TitlesRead:
    """What `settings`' word lists find in the titles of objectives and of key results."""
    output_verbs = WordList.of(settings.output_verbs)
    activity = WordList.of(settings.activity_words)
    outcome = WordList.of(settings.outcome_words)
    numbers = WordList.of(settings.number_words)
    read = TitlesRead([output_verbs.starts(words_of(title)) for title in objective_titles], [], [])
    for title in kr_titles:
        words = words_of(title)
        counted = activity.find(words)
        read.activities.append(counted if counted is not None and outcome.find(words) is None else None)
        read.numbered.append(DIGIT.search(title) is not None or numbers.find(words) is not None)
    return read
