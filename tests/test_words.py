"""Counting words (irp_cli.text): figures in messages, GOV.UK style in documents."""

from __future__ import annotations

import pytest

from irp_cli.text import all_of, article, join_words, number_words, ordinal, plural


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "zero"), (1, "one"), (5, "five"), (9, "nine"), (10, "10"), (12, "12"), (-1, "-1")],
)
def test_number_words_one_to_nine_in_words(n: int, expected: str) -> None:
    assert number_words(n) == expected


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((1, "file"), {}, "1 file"),
        ((0, "file"), {}, "0 files"),
        ((3, "working day"), {}, "3 working days"),
        ((1, "inconsistency", "inconsistencies"), {}, "1 inconsistency"),
        ((2, "inconsistency", "inconsistencies"), {}, "2 inconsistencies"),
        ((3, "concern"), {"words": True}, "three concerns"),
        ((12, "concern"), {"words": True}, "12 concerns"),
        ((1, "concern"), {"words": True}, "one concern"),
        ((4689, "working day"), {}, "4,689 working days"),  # GOV.UK: a comma from 1,000
        ((1000, "concern"), {"words": True}, "1,000 concerns"),
    ],
)
def test_plural(args: tuple[int, str], kwargs: dict[str, bool], expected: str) -> None:
    assert plural(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), (["P1"], "P1"), (["P1", "P2"], "P1 and P2"), (["P1", "P2", "K3"], "P1, P2 and K3")],
)
def test_join_words(items: list[str], expected: str) -> None:
    assert join_words(items) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Easter Monday", "an Easter Monday"),
        ("bank holiday", "a bank holiday"),
        ("inspector", "an inspector"),
        ("ofsted-inspector", "an ofsted-inspector"),
        ("unit", "a unit"),
        ("one-day visit", "a one-day visit"),
        ("hour", "an hour"),
        ("IMB chair", "an IMB chair"),
        ("CQC inspector", "a CQC inspector"),
        ("HMP", "an HMP"),
        ("Saturday", "a Saturday"),
        ("", "a "),
    ],
)
def test_article(phrase: str, expected: str) -> None:
    assert article(phrase) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "the concern"), (2, "both concerns"), (5, "all five concerns"), (12, "all 12 concerns")],
)
def test_all_of(n: int, expected: str) -> None:
    assert all_of(n, "concern") == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "first"), (2, "second"), (3, "third"), (5, "fifth"), (9, "ninth"), (10, "10th"),
        (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"),
        (25, "25th"), (101, "101st"), (111, "111th"),
    ],
)  # fmt: skip
def test_ordinal_first_to_ninth_in_words(n: int, expected: str) -> None:
    """GOV.UK style: first to ninth in words, then 10th, 11th, 21st."""
    assert ordinal(n) == expected
