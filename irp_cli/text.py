"""Which characters text may hold, decided once for every reader and every writer.

A visit file, ``irp.toml`` and a filled pro forma are typed by hand or sent back by a prison, so
they may hold characters no writer can take: control characters (an ``.xlsx`` refuses them,
Word strips them, a terminal obeys them), line breaks inside a name (an ``.ics`` line or a
letter heading breaks), and the Unicode controls that reorder how text is displayed. The models
refuse them where the value is read (with its place), so every writer receives clean text:

* a *line* (a name, a code, a title) is one line: no line break, no tab, no control character;
* *free text* (a concern) may hold line breaks and tabs, but no other control character.

Anything printed to a terminal goes through :func:`terminal_safe` as well, because a message may
quote the very value that was refused.

And counting words, once: :func:`plural` ("1 file", "3 files") and GOV.UK's style for numbers
in documents, one to nine in words and 10 and above in figures (:func:`number_words`; the
guide's own "eight to 12 months"). Messages in the terminal use figures, quicker to scan.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

#: Unicode controls that reorder displayed text ("Trojan source"): never needed in a name.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: Line breaks as YAML and Unicode see them (besides \n and \r, which are controls too).
_BREAKS = "\x85\u2028\u2029"

_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BREAKS}{_BIDI}]")
#: As :data:`_UNSAFE`, less the tab and the line feed: what free text (and a terminal) may
#: not hold.
_UNSAFE_BUT_TAB_AND_LF = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BREAKS}{_BIDI}]")


def one_name(wanted: str, names: Sequence[str]) -> str | list[str]:
    """The one of ``names`` that ``wanted`` names: the whole name, or a part of it that is in
    no other name, in any case (``priya`` for "Priya Lumsden"). Otherwise the names it could
    be: several, or none."""
    folded = wanted.strip().casefold()
    exact = [name for name in names if name.casefold() == folded]
    if exact:
        return exact[0]
    partial = [name for name in names if folded and folded in name.casefold()]
    return partial[0] if len(partial) == 1 else partial


def describe_char(char: str) -> str:
    """A character as a coordinator can find it: ``a line break``, ``U+001B (escape)``."""
    if char in "\n\r" or char in _BREAKS:
        return "a line break"
    if char == "\t":
        return "a tab"
    name = unicodedata.name(char, "").lower() or "a control character"
    return f"U+{ord(char):04X} ({name})"


def check_line(text: str) -> str:
    """``text`` if it is one line of plain text, else ValueError saying which character."""
    found = _UNSAFE.search(text)  # every name and title of a file: one search, not a loop
    if found is not None:
        raise ValueError(
            f"holds {describe_char(found[0])} at character {found.start() + 1}; this is a "
            "single line of text (a name, a title or a code), so write it without one"
        )
    return text


def check_free_text(text: str) -> str:
    """``text`` (line breaks kept as ``\\n``) if it holds no control character but line breaks
    and tabs, else ValueError saying which character."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _UNSAFE_BUT_TAB_AND_LF.search(text)
    if found is not None:
        raise ValueError(
            f"holds {describe_char(found[0])} at character {found.start() + 1}; remove it "
            "(line breaks are kept, other control characters cannot be printed)"
        )
    return text


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character (line breaks and tabs excepted, unless
    ``one_line``) shown as an escape such as ``\\x1b``, so that nothing read from a file can
    drive the terminal or break a one-line message in two."""
    pattern = _UNSAFE if one_line else _UNSAFE_BUT_TAB_AND_LF
    return pattern.sub(lambda m: _escape(m.group(0)), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# --------------------------------------------------------------------------------------------
# Counting words

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_words(n: int) -> str:
    """One to nine in words, 10 and above in figures, with a comma from 1,000: ``three``,
    ``12``, ``4,689``."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else f"{n:,}"


_ORDINAL_WORDS = (
    *("first", "second", "third", "fourth", "fifth"),
    *("sixth", "seventh", "eighth", "ninth"),
)


def ordinal(n: int) -> str:
    """GOV.UK style: ``first`` to ``ninth`` in words, then ``10th``, ``11th``, ``21st``."""
    if 1 <= n <= len(_ORDINAL_WORDS):
        return _ORDINAL_WORDS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(n: int, word: str, many: str | None = None, *, words: bool = False) -> str:
    """``1 working day``, ``2 working days``; ``many`` for an irregular plural; with
    ``words``, the number as :func:`number_words` writes it (``two working days``)."""
    number = number_words(n) if words else f"{n:,}"
    return f"{number} {word if n == 1 else (many or word + 's')}"


# Words that start with a vowel letter but a consonant sound, and the reverse.
_SOUNDS_CONSONANT = ("one", "once", "uni", "use", "usu", "euro", "eu")
_SOUNDS_VOWEL = ("hour", "honest", "honour", "heir")
# Capital letters whose names start with a vowel sound ("an IMB", "an HMP", "an MP").
_VOWEL_LETTERS = "AEFHILMNORSX"


def article(phrase: str) -> str:
    """``phrase`` with 'a' or 'an' before it, by how its first word sounds: ``an Easter
    Monday``, ``a bank holiday``, ``an inspector``, ``a unit``, ``an hour``, ``an IMB``."""
    first = phrase.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():  # an initialism, said letter by letter
        vowel = first[0] in _VOWEL_LETTERS
    else:
        low = first.lower()
        vowel = low[:1] in ("a", "e", "i", "o", "u") and not low.startswith(_SOUNDS_CONSONANT)
        vowel = vowel or low.startswith(_SOUNDS_VOWEL)
    return f"{'an' if vowel else 'a'} {phrase}"


def all_of(n: int, word: str, many: str | None = None) -> str:
    """``the concern`` (one), ``both concerns``, ``all five concerns``, ``all 12 concerns``."""
    if n == 1:
        return f"the {word}"
    plural_word = many or word + "s"
    if n == 2:
        return f"both {plural_word}"
    return f"all {number_words(n)} {plural_word}"


def join_words(items: Sequence[str]) -> str:
    """``P1``, ``P1 and P2``, ``P1, P2 and K3``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
