"""The loader: every bad input gets one clear finding with its place; good input round-trips."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from helpers import EXAMPLE_FILES, EXAMPLES, dump, example_data, read_in_one_walk, read_in_steps

from irp_cli.dates import day_first
from irp_cli.errors import Finding, IrpError
from irp_cli.visitfile.loader import MAX_BYTES, load_visit, parse_visit


def problems(path: Path) -> list[Finding]:
    with pytest.raises(IrpError) as caught:
        load_visit(path)
    return caught.value.findings


def one_problem(path: Path) -> Finding:
    found = problems(path)
    assert len(found) == 1, [f.format() for f in found]
    return found[0]


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_load(path: Path) -> None:
    doc = load_visit(path)
    assert doc.visit.schema_version == 1
    assert doc.visit.followed_up


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
    for p, c in zip("abcdefghi", "bcdefghij", strict=True)
)


@pytest.mark.parametrize(
    ("text", "code", "line", "col", "words"),
    [
        pytest.param("a: [1, 2\n", "yaml-syntax", 2, 1, "expected ','", id="malformed"),
        pytest.param(
            "schema_version: 1\nvisit:\n  days: [\n",
            "yaml-syntax",
            4,
            1,
            "a list in [ ] (or a set in { }) is not closed",
            id="list-opened-at-the-end",
        ),
        pytest.param("", "empty", 1, None, "empty", id="empty"),
        pytest.param("# only a comment\n\n", "empty", 1, None, "empty", id="only-comments"),
        pytest.param("- a\n- b\n", "not-a-mapping", 1, 1, "a list", id="top-level-list"),
        pytest.param("hello\n", "not-a-mapping", 1, 1, "a single value", id="top-level-scalar"),
        pytest.param(
            "schema_version: 1\nestablishment: {}\nschema_version: 1\n",
            "duplicate-key",
            3,
            1,
            "first at line 1",
            id="duplicate-key",
        ),
        pytest.param("a:\n\tb: 1\n", "yaml-tab", 2, 1, "tab", id="tab-indent"),
        pytest.param(BILLION_LAUGHS, "yaml-aliases", None, None, "aliases", id="billion-laughs"),
        pytest.param(
            "".join(f"k{i}: &x{i} v\n" for i in range(120))
            + "l: ["
            + ", ".join(f"*x{i}" for i in range(120))
            + "]\n",
            "yaml-aliases",
            121,
            None,
            "more than 100 aliases",
            id="too-many-aliases",
        ),
    ],
)
def test_bad_yaml(
    write_visit: Callable[..., Path],
    text: str,
    code: str,
    line: int | None,
    col: int | None,
    words: str,
) -> None:
    finding = one_problem(write_visit(text))
    assert finding.code == code
    assert finding.severity == "error"
    if line is not None:
        assert finding.line == line
    if col is not None:
        assert finding.col == col
    assert words in finding.message
    assert finding.file.endswith("visit.yaml")


def test_alias_bomb_is_refused_quickly_and_cheaply(write_visit: Callable[..., Path]) -> None:
    path = write_visit(BILLION_LAUGHS)
    tracemalloc.start()
    finding = one_problem(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert finding.code == "yaml-aliases"
    assert finding.line == 6  # refused where the expansion passes the limit
    # Expanded, the file would be 9**10 values; refused, it costs less than a few megabytes.
    assert peak < 20_000_000


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        pytest.param(b"a: caf\xe9\n", "encoding", "not UTF-8", id="latin-1"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "file", "binary", id="binary"),
    ],
)
def test_bad_bytes(tmp_path: Path, raw: bytes, code: str, words: str) -> None:
    path = tmp_path / "visit.yaml"
    path.write_bytes(raw)
    finding = one_problem(path)
    assert finding.code == code
    assert words in finding.message


def test_non_utf8_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "visit.yaml"
    path.write_bytes(b"schema_version: 1\nname: caf\xe9\n")
    finding = one_problem(path)
    assert (finding.line, finding.col) == (2, 10)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "visit.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (EXAMPLES / "hmp-ashcombe.yaml").read_bytes())
    assert load_visit(path).visit.establishment.code == "ASH"


def test_missing_path(tmp_path: Path) -> None:
    finding = one_problem(tmp_path / "nope.yaml")
    assert finding.message == "no such file"
    assert finding.line is None


def test_directory(tmp_path: Path) -> None:
    assert "folder" in one_problem(tmp_path).message


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "visit.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_BYTES + b"\n")
    finding = one_problem(path)
    assert finding.code == "file"
    assert "at most" in finding.message


# --- types and the strict YAML dialect -------------------------------------------------------


def _with(change: Callable[[dict], None]) -> str:  # type: ignore[type-arg]
    data = example_data()
    change(data)
    return dump(data)


def ashcombe_with(old: str, new: str) -> str:
    """The Ashcombe example's text with the first ``old`` (which it must hold) made ``new``."""
    text = (EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "loc", "words"),
    [
        pytest.param(
            "first_day: 2025-06-09",
            "first_day: 2025-02-30",
            "previous_inspection.first_day",
            "not a real date",
            id="impossible-date",
        ),
        pytest.param(
            "first_day: 2025-06-09",
            "first_day: 09/06/2025",
            "previous_inspection.first_day",
            "'09/06/2025' is not written YYYY-MM-DD: for 9 June 2025 write 2025-06-09",
            id="day-first-slashes",
        ),
        pytest.param(
            "first_day: 2025-06-09",
            "first_day: 9.6.2025",
            "previous_inspection.first_day",
            "'9.6.2025' is not written YYYY-MM-DD: for 9 June 2025 write 2025-06-09",
            id="day-first-dots",
        ),
        pytest.param(
            "first_day: 2025-06-09",
            "first_day: 06/31/2025",
            "previous_inspection.first_day",
            "'06/31/2025' is not written YYYY-MM-DD; write dates as YYYY-MM-DD, e.g. 2026-06-02",
            id="month-first-is-not-guessed",
        ),
        pytest.param(
            "first_day: 2025-06-09",
            "first_day: 20250609",
            "previous_inspection.first_day",
            "20250609 is not written YYYY-MM-DD",
            id="digits-only",
        ),
        pytest.param(
            "holds_children: false",
            "holds_children: no",
            "establishment.holds_children",
            "not true or false",
            id="no-is-not-false",
        ),
        pytest.param(
            "cqc_notices: true",
            "cqc_notices: on",
            "previous_inspection.cqc_notices",
            "not true or false",
            id="on-is-not-true",
        ),
        pytest.param(
            "cqc_notices: true",
            'cqc_notices: "true"',
            "previous_inspection.cqc_notices",
            "not true or false",
            id="quoted-true",
        ),
        pytest.param(
            "  days: [3]",
            "  days: [9:30]",
            "chief_inspector.days[0]",
            "'9:30' is not a whole number",
            id="sexagesimal-time",
        ),
        pytest.param(
            "  days: [3]",
            "  days: [03]",
            "chief_inspector.days[0]",
            "not a whole number",
            id="octal-looking",
        ),
        pytest.param(
            "grade: requires-improvement",
            "grade: poor",
            "previous_inspection.education.grade",
            "use one of: 'outstanding'",
            id="bad-enum",
        ),
        pytest.param(
            "code: ASH",
            "code: ash1",
            "establishment.code",
            "NOMIS establishment code",
            id="bad-code",
        ),
        pytest.param(
            "schema_version: 1",
            "schema_version: 2",
            "schema_version",
            "use one of: 1",
            id="schema-version",
        ),
        pytest.param(
            "    role: inspector\n",
            "    role: lead\n",
            "team[2].role",
            "'lead' is not allowed here",
            id="bad-role",
        ),
        pytest.param(
            "    role: inspector\n",
            "    role: Inspector\n",
            "team[2].role",
            "'Inspector' is not allowed here: write it in small letters, 'inspector'",
            id="capital-letter",
        ),
    ],
)
def test_wrong_values_point_at_their_line(
    write_visit: Callable[..., Path], old: str, new: str, loc: str, words: str
) -> None:
    text = ashcombe_with(old, new)
    finding = one_problem(write_visit(text))
    assert finding.loc == loc
    assert words in finding.message
    assert finding.line == _line_of(text, new.strip().splitlines()[0])
    assert finding.code == "invalid-value"


def test_unknown_key_suggests_the_right_one(write_visit: Callable[..., Path]) -> None:
    text = ashcombe_with("  holds_children: false", "  hold_children: false")
    finding = one_problem(write_visit(text))
    assert finding.code == "unknown-key"
    assert "did you mean 'holds_children'?" in finding.message
    assert (finding.line, finding.col) == (_line_of(text, "hold_children"), 3)


def test_unknown_key_without_a_close_match_lists_the_keys(
    write_visit: Callable[..., Path],
) -> None:
    text = _with(lambda d: d["establishment"].update({"zzz": 1}))
    finding = one_problem(write_visit(text))
    assert "known keys: name, code, type" in finding.message


def test_missing_field_points_at_its_parent(write_visit: Callable[..., Path]) -> None:
    text = _with(lambda d: d["team"][1].pop("role"))
    finding = one_problem(write_visit(text))
    assert finding.message == "'role' is missing"
    assert finding.loc == "team[1]"
    assert finding.line == _line_of(text, "Tomasz Keel")


def test_all_problems_in_a_file_are_reported_in_one_go(write_visit: Callable[..., Path]) -> None:
    def change(d: dict) -> None:  # type: ignore[type-arg]
        d["establishment"]["code"] = "x"
        d["team"][0]["role"] = "boss"
        d["concerns"][0]["area"] = "kitchens"

    found = problems(write_visit(_with(change)))
    assert [f.loc for f in found] == [
        "establishment.code",
        "concerns[0].area",
        "team[0].role",
    ]


def test_cross_field_error_in_a_model(write_visit: Callable[..., Path]) -> None:
    text = _with(lambda d: d["visit"].update({"start": d["visit"]["days"][0]}))
    finding = one_problem(write_visit(text))
    assert "either 'days'" in finding.message
    assert finding.line == _line_of(text, "visit:")


def test_parse_visit_keeps_nodes_for_later_locations() -> None:
    text = (EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8")
    doc = parse_visit(text, "x.yaml")
    line, col, path = doc.locate(("concerns", 1, "text"))
    assert path == "concerns[1].text"
    assert line == _line_of(text, "Use of force")
    assert col == 11


def test_dates_stay_strings_until_the_model_parses_them() -> None:
    doc = parse_visit((EXAMPLES / "hmp-ashcombe.yaml").read_text(encoding="utf-8"), "x.yaml")
    assert doc.data["previous_inspection"]["first_day"] == "2025-06-09"
    assert doc.visit.previous_inspection.first_day.isoformat() == "2025-06-09"


def test_loader_leaves_global_safe_loader_alone() -> None:
    import yaml

    assert yaml.safe_load("a: no\nb: 2025-01-01") == {
        "a": False,
        "b": __import__("datetime").date(2025, 1, 1),
    }


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n \n",
        "# only\n  # comments\n\n",
        "\u2028# a comment after a Unicode line break\n",
        "\x1c\x1d# after separators\n",
        "# a comment\nkey: value\n",
        "  key: value  # then a comment\n",
        "\u3000# after an ideographic space\nkey: 1\n",
        "#\u2028key: value\n",
    ],
)
def test_a_file_is_empty_when_every_line_is_blank_or_a_comment(text: str) -> None:
    """The emptiness test looks at every line only for a text that starts with a comment: the
    same answer as looking at every line of any text."""
    every_line = not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    )
    try:
        parse_visit(text, "v.yaml")
    except IrpError as exc:
        codes = [f.code for f in exc.findings]
    else:  # pragma: no cover - none of these is a whole visit
        codes = []
    assert (codes == ["empty"]) is every_line, codes


def _tags(node: object) -> list[tuple[str, str]]:
    """Every node's kind and tag, in document order."""
    import yaml

    assert isinstance(node, yaml.Node)
    found = [(type(node).__name__, node.tag)]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found += _tags(key) + _tags(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _tags(item)
    return found


@pytest.mark.parametrize(
    "text",
    [
        EXAMPLE_FILES[0].read_text(encoding="utf-8"),
        "a: 1\nb: '1'\nc: \"true\"\nd: true\ne: ~\nf: 1.5\ng: 2025-01-01\nh: [x, 'y', 3]\n",
        "a: !!str 1\nb: ! 12\nc: !!int '7'\nd: {x: null, 'y': -3}\ne: [[], {}]\nf: |\n  1\n",
        "? [a, b]\n: 1\n? x\n: - 1\n  - no\n  - 012\n  - 1_000\n  - .inf\n",
    ],
    ids=["example", "scalars", "tags", "complex"],
)
def test_the_loaders_shortcut_resolver_gives_pyyamls_tags(text: str) -> None:
    """StrictLoader.resolve answers in fewer steps than PyYAML's resolver (and caches plain
    scalars' tags): every node must still get the tag PyYAML gives it with the same table."""
    import yaml

    from irp_cli.visitfile import loader

    class Reference(yaml.SafeLoader):
        yaml_implicit_resolvers = loader.StrictLoader.yaml_implicit_resolvers

    for _ in range(2):  # the second time from the cache of plain scalars' tags
        ours = loader.StrictLoader(text)
        try:
            tags = _tags(ours.get_single_node())
        finally:
            ours.dispose()
        assert tags == _tags(yaml.compose(text, Loader=Reference))


@pytest.mark.parametrize(
    ("value", "where", "flagged"),
    [
        ('"[Governor\'s name]"', "governor", True),
        ("'[Team leader]'", "governor", True),
        ('" [Name] "', "governor", True),
        ('"Jo [Keld]"', "governor", False),
        ('"[a] and [b]"', "governor", False),
        ('"[]"', "governor", False),
        ("XXX", "code", True),
        ("ASH", "code", False),
    ],
)
def test_placeholders_left_by_init(value: str, where: str, flagged: bool) -> None:
    from irp_cli.visitfile.loader import compose, placeholders

    text = (
        f"establishment:\n  code: {value if where == 'code' else 'ASH'}\n"
        f"  governor:\n    name: {value if where == 'governor' else 'Jo'}\n  other: XXX\n"
    )
    found = placeholders(compose(text, "v.yaml"), "v.yaml")
    assert [(f.code, f.line) for f in found] == (
        [("placeholder", 2 if where == "code" else 4)] if flagged else []
    )


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: +1_0\nc: -0\nd: 0x1F\ne: 012\nf: 9:30\n",
        "a: true\nb: false\nc: yes\nd: !!bool yes\ne: !!bool maybe\n",
        "a: ~\nb: null\nc: !!null x\nd: ''\ne:\n",
        "a: 1.5\nb: !!float nan\nc: .inf\n",
        "a: !!int '12'\nb: !!int abc\n",
        "a: !!str 12\nb: !!str [1]\n",
        "1: one\n+1: also one\ntrue: t\n~: n\n",
        "a: 1\nb: 2\na: 3\nb: 4\n",
        "? [a, b]\n: 1\n",
        "!!merge <<: {a: 1}\nb: 2\n",
        "!!value =: 1\n",
        "a: !!timestamp 2026-02-30\n",
        "a: !!map {x: 1}\nb: !!seq [1]\nc: !!omap [x: 1]\n",
        "a: !custom x\n",
        "a: &anchor [1, 2]\nb: 3\n",
        "a: " + "9" * 19 + "\nb: " + "9" * 18 + "\n",
        "a: !!int " + "9" * 19 + "\n",
        "a: " + "[" * 60 + "]" * 60 + "\n",
        "a: " + "[" * 60 + "]" * 60 + "\na: 1\n",
        "a: 1\na: 2\nb: " + "[" * 60 + "]" * 60 + "\n",
        "establishment:\n  code: XXX\n  name: '[Name]'\nteam:\n- name: ' [Who] '\n  code: XXX\n",
    ],
)
def test_one_walk_reads_what_the_three_steps_read(text: str) -> None:
    """compose_data, the loader's one walk, gives what compose, construct and placeholders
    give one after the other: the same data (types included) or the same findings."""
    assert read_in_one_walk(text) == read_in_steps(text)


@pytest.mark.parametrize(
    ("old", "new", "loc", "message"),
    [
        pytest.param(
            "last_day: 2025-06-19",
            "last_day: 2025-06-02",
            "previous_inspection.last_day",
            "last_day (2 June 2025) is before first_day (9 June 2025)",
            id="last-before-first",
        ),
        pytest.param(
            "report_published: 2025-09-23",
            "report_published: 2025-06-01",
            "previous_inspection.report_published",
            "report_published (1 June 2025) is before the inspection's last_day (19 June 2025)",
            id="published-before-last",
        ),
    ],
)
def test_dates_out_of_order_point_at_the_later_one(
    write_visit: Callable[..., Path], old: str, new: str, loc: str, message: str
) -> None:
    text = ashcombe_with(old, new)
    finding = one_problem(write_visit(text))
    assert finding.loc == loc
    assert finding.message == message
    assert finding.line == _line_of(text, new.splitlines()[-1])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09/06/2025", date(2025, 6, 9)),
        ("9.6.2025", date(2025, 6, 9)),
        (" 9-6-2025 ", date(2025, 6, 9)),
        ("31/12/2025", date(2025, 12, 31)),
        ("12/31/2025", None),  # month first: not guessed
        ("30/02/2025", None),
        ("9/6-2025", None),  # mixed separators
        ("2025-06-09", None),
        ("9 June 2025", None),
    ],
)
def test_a_date_written_day_first_is_recognised(text: str, expected: date | None) -> None:
    assert day_first(text) == expected


def test_deep_nesting_without_libyaml_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML's pure-Python composer (where libyaml is missing) recurses once a level: a file
    nested thousands deep is refused in one line, not a RecursionError (exit 3)."""
    import yaml

    from irp_cli.visitfile import loader

    class PurePython(yaml.SafeLoader):
        yaml_implicit_resolvers = loader.StrictLoader.yaml_implicit_resolvers
        yaml_constructors = loader.StrictLoader.yaml_constructors

    monkeypatch.setattr(loader, "StrictLoader", PurePython)
    with pytest.raises(IrpError) as caught:
        loader.compose("a: " + "[" * 3000 + "]" * 3000 + "\n", "v.yaml")
    assert [(f.code, f.message) for f in caught.value.findings] == [
        ("yaml-depth", "nested too deeply")
    ]
