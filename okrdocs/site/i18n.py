"""The language of okrdocs' own words on the pages: headings, labels, legends, badges, the
zoom controls, the check-in report's headings and dates.

The site's `theme.language` picks it (Material's setting; the built-in themes' `locale`
too). The words are gettext messages: the templates mark them with `_()` / `ngettext()`
(Jinja's i18n extension), Python code with `N_()` or a `Language`'s `gettext`, and
`scripts/dev translations` extracts them into okrdocs/site/locales/okrdocs.pot, updates
each language's catalog and compiles it (Babel's `pybabel`). Dates are formatted for the
locale by Babel. A language without a catalog is English, with one info line; problem
messages of `okrdocs check` stay English whatever the language.
"""

from __future__ import annotations

import gettext as _gettext
import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from ..core.history.timeline import iso_date

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "okrdocs"
ENGLISH = "en"


def N_(message: str) -> str:
    """Marks `message` for extraction where it is translated later (a label in a table)."""
    return message


LABEL_MESSAGES = (
    # The statuses (core.domain.model.STATUS_LABELS) and healths (core.history.health.HEALTH_LABELS)
    # as pages word them: the core keeps the English words, the site translates them.
    N_("on track"),
    N_("at risk"),
    N_("off track"),
    N_("done"),
    N_("stale"),
    N_("no check-in yet"),
    N_("behind pace"),
    # The commitments (core.domain.model.COMMITMENTS), a closed period's verdicts
    # (core.history.closing.VERDICT_BANDS) and the severities of coaching notes
    # (core.domain.problems.Severity), as pages print them.
    N_("committed"),
    N_("aspirational"),
    N_("targets too safe"),
    N_("healthy"),
    N_("partial"),
    N_("targets outran capacity"),
    N_("error"),
    N_("warning"),
    N_("advice"),
)


def shipped_languages() -> tuple[str, ...]:
    """The languages with a compiled catalog, besides English."""
    return tuple(sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")))


@dataclass(frozen=True)
class Language:
    """One language's translations and date format; `code` is what the site asked for,
    `shipped` whether okrdocs has its words (else they are English)."""

    code: str = ENGLISH
    translations: _gettext.NullTranslations = field(default_factory=_gettext.NullTranslations, compare=False)
    shipped: bool = True

    @property
    def is_english(self) -> bool:
        return self.code == ENGLISH or not self.shipped

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def labels(self, labels: dict[str, str]) -> dict[str, str]:
        """A table of labels (statuses, healths) in this language."""
        return {key: self.gettext(label) for key, label in labels.items()}

    def date(self, timestamp: int) -> str:
        """The UTC day of `timestamp` as this language writes it; English keeps ISO 8601
        (`2026-03-05`), as okrdocs always printed it."""
        if self.is_english:
            return iso_date(timestamp)
        return _local_date(timestamp, self.code)

    def key(self) -> str:
        """What page caches key on: the language and its catalog's bytes."""
        if self.is_english:
            return ENGLISH
        mo = _catalog_path(self.code)
        return f"{self.code}:{hashlib.sha256(mo.read_bytes()).hexdigest()}"


@lru_cache(maxsize=4096)
def _local_date(timestamp: int, code: str) -> str:
    day = datetime.fromtimestamp(timestamp, timezone.utc).date()
    return format_date(day, format="medium", locale=_locale(code))


def _locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


def _catalog_path(code: str) -> Path:
    return LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _catalog_code(language: str) -> str | None:
    """The shipped catalog for `language` (`de`, `de_AT`, `pt-BR`): the exact one, else
    the one of its base language; None when okrdocs has none."""
    code = language.strip().replace("-", "_")
    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return None
    shipped = shipped_languages()
    for candidate in (str(locale), locale.language):
        if candidate in shipped:
            return candidate
    return None


@lru_cache(maxsize=32)
def language_of(setting: str | None) -> Language:
    """The language the site's `theme.language` names (None or empty: English)."""
    if not setting or setting.strip().lower() in (ENGLISH, "en_us", "en-us", "en_gb", "en-gb"):
        return Language()
    code = _catalog_code(setting)
    if code is None:
        return Language(setting, shipped=False)
    with _catalog_path(code).open("rb") as file:
        return Language(code, _gettext.GNUTranslations(file))


def fallback_note(language: Language) -> str | None:
    """The info line for a language okrdocs has no words for (None: nothing to say)."""
    if language.shipped:
        return None
    shipped = ", ".join((ENGLISH, *shipped_languages()))
    return (
        f"okrdocs has no translation for theme.language '{language.code}': its own words are English "
        f"(languages: {shipped}; CONTRIBUTING.md says how to add one)"
    )
