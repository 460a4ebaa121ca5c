"""Text from an OKR repository, made safe for the outputs that are not HTML.

File names and field values come from whoever can open a pull request. A newline in a
file name would let it print a line of its own (a forged `PATH:LINE: CODE` line in the
check's output, the MkDocs log or a CI annotation); terminal escapes could recolour or
hide text; a title in the Markdown review summary could add lines, images or links.
HTML and SVG have their own escaping (Jinja's autoescape, `site.diagrams`).
"""

from __future__ import annotations

import re

_INVISIBLE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
"""DEL, C1 controls (CSI...), the line and paragraph separators, bidirectional controls
(which can make a line read differently from its bytes) and lone surrogates (bytes of a
file name that are not UTF-8): a range for a character class."""
_UNPRINTABLE = re.compile(f"[\x00-\x1f{_INVISIBLE}]")
"""C0 controls (newline, CR, ESC...) and the `_INVISIBLE` characters."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return _NAMED.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """`text` as one line of visible characters: each control character written as an
    escape (`\\n`, `\\x1b`, `\\u2028`), so it cannot start a line or move the cursor."""
    if text.isprintable():  # every character `_UNPRINTABLE` names is one Python calls unprintable
        return text
    return _UNPRINTABLE.sub(_escape, text)


_JSON_UNSAFE = re.compile("[\u2028\u2029\ud800-\udfff]")


def json_safe(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) that can be printed as UTF-8
    and read by JavaScript: lone surrogates and U+2028/U+2029 as `\\uXXXX` escapes (json.dumps
    leaves them raw; they occur only inside strings, where the escape means the same)."""
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>&|~]|:(?=//)|(?<=[wW]{3})\.")
"""What can start Markdown inside a line: escapes, code spans, emphasis, links and
images, HTML tags and entities, table cells, strikethrough, and the `://` and `www.` of
GitHub's bare-URL links. Line-start marks (`#`, `-`, `>`) cannot occur: the text is one
line, shown after other text."""


def markdown_text(text: str) -> str:
    """Text shown as itself in Markdown (CommonMark, GitHub's job summaries and comments).

    Whitespace runs (newlines too) become one space, control characters are dropped, and
    each character that could start Markdown is backslash-escaped: no new line, list,
    table cell, link, image, emphasis, code span or HTML tag can start inside it.
    """
    one_line = " ".join(_UNPRINTABLE.sub(" ", text).split())
    return _MARKDOWN_SPECIAL.sub(lambda match: "\\" + match.group(), one_line)


def markdown_code(text: str) -> str:
    """`text` as a Markdown code span, whatever backticks it holds: the fence is one
    backtick longer than its longest run of them, and control characters are escaped."""
    shown = printable(text)
    longest = max((len(run) for run in re.findall("`+", shown)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if shown.startswith("`") or shown.endswith("`") or longest else ""
    return f"{fence}{padding}{shown}{padding}{fence}"


def json_printable(text: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) that shows on a terminal as
    written: DEL, C1 and bidirectional controls, U+2028/U+2029 and lone surrogates as
    `\\uXXXX` escapes. json.dumps escapes C0 controls (ESC too) but leaves these raw; outside
    strings it writes only ASCII, so each escape is inside a string and means the same
    character: the data read back is exact."""
    return _JSON_INVISIBLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


_JSON_INVISIBLE = re.compile(f"[{_INVISIBLE}]")

ELLIPSIS = "…"


def shortened(text: str, limit: int) -> str:
    """`text` if it has at most `limit` characters, else its start and an ellipsis, `limit`
    characters at most."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


# -- text for GitHub issues and comments ---------------------------------------------

ZERO_WIDTH_JOINER = "\u200d"

_FORGE_REFERENCE = re.compile(r"[@#]|GH-|(?<=\\:)/|www(?=\\\.)", re.IGNORECASE)
"""What GitHub turns into a mention or a reference after rendering the Markdown, in the
text that `markdown_text` leaves: `@user`, `@org/team`, `#123`, `owner/repo#1`,
`user@sha`, `GH-123`; and the `://` and `www.` of a bare URL (an issue's URL is shown as
`owner/repo#1` and adds a reference to that issue), which its escapes already keep from
being links in CommonMark."""

_BLOCK_START = re.compile(r"^(?:[-+=]|\d{1,9}[.)])")
"""What makes a line a list item, a thematic break or a setext underline, where `markdown_text`
leaves it (`#`, `>`, `*` and indentation cannot occur there)."""


def forge_markdown_text(text: str) -> str:
    """`markdown_text` for an issue or comment on GitHub, that may start a line (a list
    item's text), and that pings no one and links no issue.

    GitHub finds mentions and references in the rendered text, where `\\@` is `@` again:
    a zero-width joiner (U+200D) goes after each `@` and `#`, after `GH-` and inside a bare
    URL's `://` and `www.`. It is invisible, adds no line break and keeps the text's look
    (a code span would turn each name into code); `@\\u200dorg/everyone` is no mention.
    A list marker or thematic break at the start (`-`, `+`, `1.`) is backslash-escaped.
    """
    shown = _FORGE_REFERENCE.sub(lambda match: match.group() + ZERO_WIDTH_JOINER, markdown_text(text))
    return _BLOCK_START.sub(lambda match: match.group()[:-1] + "\\" + match.group()[-1], shown)
