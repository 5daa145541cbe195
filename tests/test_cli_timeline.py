"""Wiring of ``irp plan`` and ``irp deadlines``: exit codes, streams, files written. The dates
themselves are tested in test_timeline.py, test_deadlines.py and test_ics.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import EXAMPLE_FILES, EXAMPLES, assert_golden, example_data
from icalendar import Calendar
from typer.testing import CliRunner

from irp_cli.calendar.ics import UID_DOMAIN
from irp_cli.cli import app

runner = CliRunner()
ASHCOMBE = str(EXAMPLES / "hmp-ashcombe.yaml")
THORNBECK = str(EXAMPLES / "hmyoi-thornbeck.yaml")


def line_of(path: Path, text: str) -> int:
    return next(n for n, t in enumerate(path.read_text().splitlines(), 1) if text in t)


# --------------------------------------------------------------------------- irp plan


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_plan_shows_each_example(path: Path) -> None:
    result = runner.invoke(app, ["plan", str(path), "--today", "2026-01-05"])
    assert result.exit_code == 0, result.output
    # The examples record what happens in early 2026: on 5 January those dates are still to
    # come, which is the only thing said.
    assert all("warning [status-in-future" in line for line in result.stderr.splitlines())
    for needed in ("independent review of progress", "Visit day 1 of", "2.10", "5.1"):
        assert needed in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_plan_table_has_both_date_styles_and_done_marks() -> None:
    result = runner.invoke(app, ["plan", ASHCOMBE])
    assert result.exit_code == 0
    assert "Tue 14 Apr 2026" in result.stdout and "2026-04-14" in result.stdout
    assert "12.30pm to 1.15pm: Presentation by the governor" in result.stdout
    assert "✓ done Tue 10 Feb 2026" in result.stdout


def test_plan_json() -> None:
    result = runner.invoke(app, ["plan", "--json", ASHCOMBE])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    by_id = {m["id"]: m for m in data["milestones"]}
    assert by_id["returns-due"]["date"] == "2026-04-14"
    assert by_id["returns-due"]["paragraph"] == "2.9, 2.10"
    assert by_id["letter-send-by"]["done"] == "2026-02-10"
    assert by_id["letter-send-by"]["late_by"] == 0
    assert by_id["irp-window"] | {"note": ""} == {
        "id": "irp-window",
        "date": "2026-02-19",
        "end": "2026-06-19",
        "kind": "window",
        "title": "Window for the IRP: eight to 12 months after the full inspection",
        "paragraph": "2.1",
        "done": None,
        "late_by": 0,
        "note": "",
        "events": [],
    }
    assert by_id["visit-day-1"]["events"][1]["start"] == "12:30"
    assert data["warnings"] == []


@pytest.mark.parametrize(
    ("example", "fmt"),
    [("hmp-ashcombe", "md"), ("hmyoi-thornbeck", "md"), ("hmp-ashcombe", "html")],
)
def test_plan_documents_golden(example: str, fmt: str) -> None:
    path = str(EXAMPLES / f"{example}.yaml")
    result = runner.invoke(app, ["plan", path, "--format", fmt, "--today", "2026-01-05"])
    assert result.exit_code == 0, result.output
    assert_golden(f"timeline/{example}.plan.{fmt}", result.stdout)


def test_plan_document_lists_the_warnings(write_visit: Callable[..., Path]) -> None:
    data = example_data()
    del data["visit"]["status"]
    path = write_visit(data)
    result = runner.invoke(app, ["plan", str(path), "--format", "md", "--today", "2026-03-02"])
    assert result.exit_code == 0
    assert "## Warnings" in result.stdout
    assert "(letter-window-passed, guide 2.6)" in result.stdout


def test_plan_output_file_is_written_safely(tmp_path: Path) -> None:
    out = tmp_path / "plan.html"
    dry = runner.invoke(app, ["plan", ASHCOMBE, "-o", str(out), "--dry-run"])
    assert dry.exit_code == 0
    assert f"{out}: would create" in dry.stderr
    assert not out.exists()
    first = runner.invoke(app, ["plan", ASHCOMBE, "-o", str(out)])
    assert first.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    out.write_text("changed", encoding="utf-8")
    again = runner.invoke(app, ["plan", ASHCOMBE, "-o", str(out)])
    assert again.exit_code == 1
    assert "already exists and differs" in again.stderr
    assert out.read_text(encoding="utf-8") == "changed"
    forced = runner.invoke(app, ["plan", ASHCOMBE, "-o", str(out), "--force"])
    assert forced.exit_code == 0
    assert f"{out}: overwritten" in forced.stderr


def test_plan_docx_needs_a_file() -> None:
    result = runner.invoke(app, ["plan", ASHCOMBE, "--format", "docx"])
    assert result.exit_code == 2
    assert "give -o FILE.docx" in result.stderr


def test_plan_ics_is_stable_across_runs(tmp_path: Path) -> None:
    out = tmp_path / "ash.ics"
    first = runner.invoke(app, ["plan", ASHCOMBE, "--ics", str(out)])
    assert first.exit_code == 0
    assert f"{out}: created" in first.stderr
    cal = Calendar.from_ical(out.read_bytes())
    assert len(list(cal.walk("VEVENT"))) == 17 + 2 + 2  # two timed items, two windows
    assert b"DTSTAMP:20260210T000000Z" in out.read_bytes()  # letter_sent, the last status date
    second = runner.invoke(app, ["plan", ASHCOMBE, "--ics", str(out)])
    assert second.exit_code == 0
    assert f"{out}: unchanged" in second.stderr


def test_deadlines_ics_repeat_run_is_unchanged_and_exit_0(tmp_path: Path) -> None:
    """A daily `deadlines --ics` job must not alert when nothing changed (issue 9.2)."""
    out = tmp_path / "all.ics"
    args = ["deadlines", ASHCOMBE, THORNBECK, "--today", "2026-01-05", "--ics", str(out)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    data = out.read_bytes()
    second = runner.invoke(app, args)
    assert (second.exit_code, out.read_bytes()) == (0, data)
    assert f"{out}: unchanged" in second.stderr


def test_plan_warnings_point_at_the_line(write_visit: Callable[..., Path]) -> None:
    text = EXAMPLE_FILES[0].read_text(encoding="utf-8")
    path = write_visit(text.replace("2026-04-23]", "2026-04-25]"))  # a Saturday
    result = runner.invoke(app, ["plan", str(path)])
    assert result.exit_code == 0
    line = line_of(path, "days: [2026-04-21")
    assert result.stderr.startswith(
        f"{path}:{line}:34: warning [visit-working-days, guide 3.1] visit day 3, 2026-04-25, "
        "is a Saturday"
    )


def test_plan_letter_warning_depends_on_today(write_visit: Callable[..., Path]) -> None:
    data = example_data()
    del data["visit"]["status"]
    path = write_visit(data)
    before = runner.invoke(app, ["plan", str(path), "--today", "2026-02-20"])
    assert before.stderr == ""
    after = runner.invoke(app, ["plan", str(path), "--today", "2026-02-23"])
    assert after.exit_code == 0
    assert "warning [letter-window-passed, guide 2.6]" in after.stderr
    assert after.stderr.startswith(f"{path}:")


def test_plan_refuses_a_file_with_errors(write_visit: Callable[..., Path]) -> None:
    data = example_data()
    data["team"][1]["role"] = "team-leader"  # a second team leader: an error
    result = runner.invoke(app, ["plan", str(write_visit(data)), "--today", "2026-01-05"])
    assert result.exit_code == 1
    assert "error [one-team-leader, guide 3.1, 4.4]" in result.stderr
    assert result.stdout == ""


def test_plan_date_worked_out_beyond_the_holiday_years(write_visit: Callable[..., Path]) -> None:
    data = example_data()
    data["previous_inspection"].update(
        first_day="2045-02-06", last_day="2045-02-16", report_published="2045-05-02"
    )
    data["visit"]["days"] = ["2045-12-18", "2045-12-19", "2045-12-20"]
    path = write_visit(data)
    result = runner.invoke(app, ["plan", str(path)])
    assert result.exit_code == 1
    [message] = result.stderr.splitlines()
    assert message.startswith(f"{path}:{line_of(path, '2045-12-18')}:")
    assert "error [out-of-range] visit.days: " in message
    assert "2000 to 2045" in message
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--today", "2026-02-30"], "--today '2026-02-30' is not a date: February 2026 has 28"),
        (["--today", "tomorrow"], "--today 'tomorrow' is not a date"),
        (["--today", "2051-01-01"], "outside the supported years"),
        (["--json", "--format", "md"], "leave out --format"),
        (["--suggest", "--ics", "x.ics"], "--suggest only prints"),
        (["--format", "pdf"], "unknown format 'pdf'"),
    ],
)
def test_plan_usage_errors(args: list[str], words: str) -> None:
    result = runner.invoke(app, ["plan", ASHCOMBE, *args])
    assert result.exit_code == 2
    assert words in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- irp plan --suggest


def test_suggest_json_for_ashcombe() -> None:
    result = runner.invoke(app, ["plan", "--suggest", ASHCOMBE, "--today", "2026-01-01", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["window"] == {"from": "2026-02-19", "to": "2026-06-19"}
    assert len(data["suggestions"]) == 44  # see test_timeline.py for the count
    assert data["suggestions"][0] == {
        "start": "2026-03-02",
        "days": ["2026-03-02", "2026-03-03", "2026-03-04"],
        "letter_window_from": "2025-12-02",
        "letter_send_by": "2026-01-02",
        "returns_due": "2026-02-23",
    }


def test_suggest_needs_only_the_previous_inspection(write_visit: Callable[..., Path]) -> None:
    path = write_visit(
        "schema_version: 1\nestablishment:\n  name: HMP Fernlow\n"
        "previous_inspection:\n  first_day: 2025-06-09\n  last_day: 2025-06-19\n"
    )
    result = runner.invoke(app, ["plan", "--suggest", str(path), "--today", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("HMP Fernlow: possible visit dates")
    assert "Mon 2 Mar 2026" in result.stdout and "2026-06-17" in result.stdout
    # without --suggest too, as the file has no visit yet; but a plan document needs it all
    plain = runner.invoke(app, ["plan", str(path), "--today", "2026-01-01"])
    assert plain.exit_code == 0 and "no 'visit:' section yet" in plain.stderr
    assert runner.invoke(app, ["plan", str(path), "--format", "md"]).exit_code == 1


def test_suggest_reports_a_bad_previous_inspection(write_visit: Callable[..., Path]) -> None:
    path = write_visit("previous_inspection:\n  first_day: 2025-06-09\n  last_day: 2025-06-31\n")
    result = runner.invoke(app, ["plan", "--suggest", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:3:13: error [invalid-value]")


def test_suggest_with_nothing_left_exits_1() -> None:
    result = runner.invoke(app, ["plan", "--suggest", ASHCOMBE, "--today", "2026-04-20"])
    assert result.exit_code == 1
    assert "no three working days in a row left in the window" in result.stderr


# --------------------------------------------------------------------------- irp deadlines


def test_deadlines_nothing_overdue_exits_0() -> None:
    result = runner.invoke(app, ["deadlines", ASHCOMBE, "--today", "2026-02-10"])
    assert result.exit_code == 0, result.output
    assert "Deadlines on Tue 10 Feb 2026" in result.stdout
    assert "due in 18 working days" in result.stdout  # liaison officer, Fri 6 March
    assert result.stderr == "1 visit: 0 overdue, 8 to come, 1 done\n"


def test_a_status_date_still_to_come_warns_and_is_not_done() -> None:
    """Ashcombe's letter went on 10 February 2026 (issue 9.4)."""
    result = runner.invoke(app, ["deadlines", ASHCOMBE, "--today", "2026-02-02"])
    assert result.exit_code == 0, result.output
    assert "warning [status-in-future, guide 2.6, 5.1] letter_sent is Tue 10 Feb 2026, after " in (
        result.stderr
    )
    assert result.stderr.endswith("1 visit: 0 overdue, 9 to come, 0 done\n")


def test_deadlines_overdue_exits_1() -> None:
    result = runner.invoke(app, ["deadlines", ASHCOMBE, "--today", "2026-04-15"])
    assert result.exit_code == 1
    assert "overdue by 1 working day" in result.stdout


def test_deadlines_within_limits_the_list() -> None:
    result = runner.invoke(
        app, ["deadlines", ASHCOMBE, "--today", "2026-03-04", "--within", "2", "--json"]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["within"] == 2
    assert [(d["id"], d["working_days"]) for d in data["deadlines"]] == [("liaison-officer", 2)]


def test_deadlines_folder_with_a_broken_file(tmp_path: Path) -> None:
    folder = tmp_path / "visits"
    folder.mkdir()
    for path in EXAMPLE_FILES:
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.yaml").write_text("schema_version: 1\nestablishment: [\n", encoding="utf-8")
    out = tmp_path / "all.ics"
    result = runner.invoke(
        app, ["deadlines", str(folder), "--today", "2026-01-05", "--ics", str(out)]
    )
    assert result.exit_code == 1  # nothing overdue, but a file could not be read
    assert result.stderr.startswith(f"{folder / 'broken.yaml'}:3:1: error [yaml-syntax]")
    assert f"{len(EXAMPLE_FILES)} visits: 0 overdue" in result.stderr
    for code in ("ASH", "GLM", "TBK"):
        assert code in result.stdout
    assert len(list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))) == 9 * len(EXAMPLE_FILES)


def test_deadlines_json_is_sorted_and_carries_problems(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = runner.invoke(
        app, ["deadlines", str(EXAMPLES), str(missing), "--today", "2026-04-15", "--json"]
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    got = [d["date"] for d in data["deadlines"]]
    assert got == sorted(got) and len(got) == 9 * len(EXAMPLE_FILES)
    assert data["problems"][0]["file"] == str(missing)
    assert {d["state"] for d in data["deadlines"]} == {"done", "due", "overdue", "unrecorded"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--within", "-3"], "--within must be 0 or more working days, not -3"),
        (["--within", "99999"], "the limit is 2000"),
        (["--within", "ten"], "--within 'ten' is not a whole number"),
        (["--today", "2026-13-01"], "there is no month 13"),
        (["--today", "1999-12-31"], "outside the supported years"),
    ],
)
def test_deadlines_usage_errors(args: list[str], words: str) -> None:
    result = runner.invoke(app, ["deadlines", ASHCOMBE, *args])
    assert result.exit_code == 2
    assert words in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_commands_are_registered() -> None:
    result = runner.invoke(app, ["--help"])
    assert "plan" in result.stdout and "deadlines" in result.stdout


def test_plan_of_a_file_with_only_the_previous_inspection_suggests_dates(
    tmp_path: Path,
) -> None:
    partial = tmp_path / "fernlow.yaml"
    partial.write_text(
        "schema_version: 1\nestablishment:\n  name: HMP Fernlow\n"
        "previous_inspection:\n  first_day: 2026-06-01\n  last_day: 2026-06-12\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["plan", str(partial), "--today", "2026-11-30"])
    assert result.exit_code == 0, result.output
    assert "no 'visit:' section yet" in result.stderr
    assert "HMP Fernlow: possible visit dates" in result.stdout
    # 12 June 2026 + 8 months = Friday 12 February 2027; the first three working days in a
    # row from then start on Monday 15 February.
    assert "Mon 15 Feb 2027" in result.stdout
    # A file that has its visit section but is broken elsewhere still gets its errors.
    broken = tmp_path / "broken.yaml"
    broken.write_text(partial.read_text(encoding="utf-8") + "visit:\n  start: 2027-03-02\n")
    assert runner.invoke(app, ["plan", str(broken)]).exit_code == 1


def test_plan_shows_a_late_publication_as_late_and_the_draft_as_a_target(
    write_visit: Callable[..., Path],
) -> None:
    """As 'irp deadlines' does (issue 9.4); the draft's 'approximately two weeks' (5.1) is a
    target, not a deadline."""
    data = example_data()
    data["visit"]["status"].update(report_published="2026-06-10", draft_report_sent="2026-05-07")
    result = runner.invoke(app, ["plan", str(write_visit(data)), "--today", "2026-06-11"])
    assert result.exit_code == 0, result.stderr
    assert "✓ done Wed 10 Jun 2026 (late)" in result.stdout
    assert result.stdout.count("(late)") == 1  # the draft went on its target day
    assert "Target: draft report to the governor" in result.stdout
    later = runner.invoke(app, ["deadlines", str(write_visit(data)), "--today", "2026-06-11"])
    assert "done Wed 10 Jun 2026 (late)" in later.stdout


def _plan_letter_done(form: str, path: Path, tmp_path: Path, today: str) -> bool:
    """Whether ``irp plan`` in ``form`` shows Ashcombe's letter (sent Tue 10 Feb 2026) as
    done on ``today``."""
    if form == "ics":
        out = tmp_path / f"plan-{today}.ics"
        result = runner.invoke(app, ["plan", str(path), "--today", today, "--ics", str(out)])
        assert result.exit_code == 0, result.output
        events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
        [event] = [e for e in events if str(e["uid"]).endswith("-letter-send-by@" + UID_DOMAIN)]
        return str(event["summary"]).startswith("Done: ")
    args = {"table": [], "json": ["--json"], "md": ["--format", "md"]}[form]
    result = runner.invoke(app, ["plan", str(path), "--today", today, *args])
    assert result.exit_code == 0, result.output
    if form == "json":
        by_id = {m["id"]: m for m in json.loads(result.stdout)["milestones"]}
        return bool(by_id["letter-send-by"]["done"] == "2026-02-10")
    if form == "md":
        [row] = [r for r in result.stdout.splitlines() if "| Latest day to send the" in r]
        return row.endswith("| 10 February 2026 |")
    return "✓ done Tue 10 Feb 2026" in result.stdout


@pytest.mark.parametrize("form", ["table", "json", "md", "ics"])
@pytest.mark.parametrize(("today", "done"), [("2026-02-09", False), ("2026-02-10", True)])
def test_plan_does_not_tick_a_status_date_still_to_come(
    form: str, today: str, done: bool, tmp_path: Path
) -> None:
    """A status date after today warns (status-in-future) and is not done yet, in every form
    of the plan, as in 'irp deadlines' (issue 9.4)."""
    assert _plan_letter_done(form, Path(ASHCOMBE), tmp_path, today) is done


def test_plan_future_status_warns_once_and_deadlines_agrees() -> None:
    result = runner.invoke(app, ["plan", ASHCOMBE, "--today", "2026-02-09"])
    assert result.stderr.count("warning [status-in-future") == 1
    dues = runner.invoke(app, ["deadlines", ASHCOMBE, "--today", "2026-02-09", "--json"])
    by_id = {d["id"]: d for d in json.loads(dues.stdout)["deadlines"]}
    assert by_id["letter-send-by"]["state"] == "due"


@pytest.mark.parametrize(
    ("published", "late"),
    [
        ("2026-06-01", False),  # the deadline itself, Monday 1 June 2026
        ("2026-06-02", True),  # one working day after
        ("2026-05-29", False),  # before it
    ],
)
def test_plan_and_deadlines_agree_on_a_late_publication(
    published: str, late: bool, write_visit: Callable[..., Path]
) -> None:
    data = example_data()
    data["visit"]["status"].update(report_published=published, draft_report_sent="2026-05-07")
    path = str(write_visit(data))
    today = ["--today", "2026-06-20"]
    table = runner.invoke(app, ["plan", path, *today]).stdout
    md = runner.invoke(app, ["plan", path, *today, "--format", "md"]).stdout
    plan_json = json.loads(runner.invoke(app, ["plan", path, *today, "--json"]).stdout)
    deadlines = runner.invoke(app, ["deadlines", path, *today]).stdout
    by_id = {m["id"]: m for m in plan_json["milestones"]}
    assert ("(late)" in table) is late
    assert ("(late)" in md) is late
    assert (by_id["publication-deadline"]["late_by"] > 0) is late
    assert ("(late)" in deadlines) is late


def test_a_deadline_done_on_the_weekend_after_it_is_not_late(
    write_visit: Callable[..., Path],
) -> None:
    """The draft's target is Friday 8 May 2026; sent on Saturday 9 May no working day has
    passed: 'irp deadlines' says on time, and so does the plan (it said late before)."""
    data = example_data()
    data["visit"]["status"].update(draft_report_sent="2026-05-09")
    path = str(write_visit(data))
    table = runner.invoke(app, ["plan", path, "--today", "2026-05-11"]).stdout
    deadlines = runner.invoke(app, ["deadlines", path, "--today", "2026-05-11"]).stdout
    assert "✓ done Sat 9 May 2026" in table
    assert "(late)" not in table and "(late)" not in deadlines


def test_the_draft_report_is_a_target_of_about_two_weeks() -> None:
    """Guide 5.1: 'approximately two weeks' is shown as a target, in the table and the
    document's notes."""
    table = runner.invoke(app, ["plan", ASHCOMBE]).stdout
    md = runner.invoke(app, ["plan", ASHCOMBE, "--format", "md"]).stdout
    assert "Target: draft report to the governor" in table
    assert "Target: draft report to the governor for factual accuracy checking (" in md
    assert "the guide says 'approximately two weeks'" in md


@pytest.mark.parametrize(("today", "done"), [("2026-02-09", False), ("2026-02-10", True)])
def test_deadlines_calendar_does_not_tick_a_status_date_still_to_come(
    today: str, done: bool, tmp_path: Path
) -> None:
    out = tmp_path / "deadlines.ics"
    result = runner.invoke(app, ["deadlines", ASHCOMBE, "--today", today, "--ics", str(out)])
    assert result.exit_code == 0, result.output
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    [event] = [e for e in events if str(e["uid"]).endswith("-letter-send-by@" + UID_DOMAIN)]
    assert str(event["summary"]).startswith("Done: ") is done


def _published_later(write_visit: Callable[..., Path], tmp_path: Path) -> Path:
    """Ashcombe with its report recorded as published on Wed 20 May 2026, in a folder."""
    data = example_data()
    data["visit"]["status"]["report_published"] = "2026-05-20"
    del data["visit"]["population_summary"]
    folder = tmp_path / "visits"
    folder.mkdir()
    return write_visit(data, "visits/hmp-ashcombe.yaml")


def test_a_publication_still_to_come_does_not_finish_the_visit(
    write_visit: Callable[..., Path], tmp_path: Path
) -> None:
    """On 2 March 2026 a publication recorded for 20 May is not done, so the visit is not over:
    its deadlines are still due, not 'not recorded' (issue 9.4)."""
    path = _published_later(write_visit, tmp_path)
    result = runner.invoke(app, ["deadlines", str(path), "--today", "2026-03-02", "--json"])
    states = {d["id"]: d["state"] for d in json.loads(result.stdout)["deadlines"]}
    assert states["liaison-officer"] == "due"
    assert states["publication-deadline"] == "due"
    assert "unrecorded" not in states.values()
    later = runner.invoke(app, ["deadlines", str(path), "--today", "2026-05-20", "--json"])
    states = {d["id"]: d["state"] for d in json.loads(later.stdout)["deadlines"]}
    assert states["publication-deadline"] == "done"
    assert states["liaison-officer"] == "unrecorded"  # the visit is over by then


def test_programme_and_stats_wait_for_a_publication_still_to_come(
    write_visit: Callable[..., Path], tmp_path: Path
) -> None:
    folder = str(_published_later(write_visit, tmp_path).parent)
    today = ["--today", "2026-03-02"]
    programme = json.loads(runner.invoke(app, ["programme", folder, *today, "--json"]).stdout)
    [visit] = programme["visits"]
    assert visit["finished"] is False
    assert visit["published"] is None
    assert visit["next_due"]["id"] == "liaison-officer"
    stats = json.loads(runner.invoke(app, ["stats", folder, *today, "--json"]).stdout)
    assert stats["timeliness"]["pending"] == 1
    assert stats["timeliness"]["published"] == 0
