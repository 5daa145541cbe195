"""Wiring of the document commands: streams, files, formats, options and exit codes. What the
documents say is tested in test_documents.py, the pro forma's files in test_proforma.py."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
import typer
from helpers import EXAMPLES, example_data
from typer.testing import CliRunner

from irp_cli.cli import app
from irp_cli.commands import common, options
from irp_cli.documents.context import Document
from irp_cli.errors import UsageError
from irp_cli.review.session import Loaded

HOUSE = EXAMPLES.parent / "tests" / "fixtures" / "house" / "irp.toml"
# The invented house settings, so no '[placeholder]' warning mixes into what is checked.
runner = CliRunner(env={"IRP_CONFIG": str(HOUSE)})
bare_runner = CliRunner()  # for the tests about where settings are found
ASHCOMBE = str(EXAMPLES / "hmp-ashcombe.yaml")
DATE = ["--date", "2026-02-10"]


def test_letter_prints_markdown_by_default() -> None:
    result = runner.invoke(app, ["letter", ASHCOMBE, *DATE])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("**HM Inspectorate of Prisons**\\\n")
    assert "Date: 10 February 2026" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("command", ["letter", "proforma", "returns", "liaison"])
def test_each_document_writes_word_from_the_extension(command: str, tmp_path: Path) -> None:
    out = tmp_path / f"{command}.docx"
    result = runner.invoke(app, [command, ASHCOMBE, "-o", str(out), *DATE])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{out}: created\n"
    document = docx.Document(io.BytesIO(out.read_bytes()))
    assert document.paragraphs[0].text  # opens in python-docx
    assert document.core_properties.created is not None
    assert document.core_properties.created.date().isoformat() == "2026-02-10"


def test_format_option_and_html(tmp_path: Path) -> None:
    result = runner.invoke(app, ["returns", ASHCOMBE, "--format", "html", *DATE])
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")
    out = tmp_path / "liaison.htm"
    assert runner.invoke(app, ["liaison", ASHCOMBE, "-o", str(out), *DATE]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "docx"], "a Word document cannot be printed; give -o FILE.docx"),
        (["--format", "pdf"], "unknown format 'pdf'"),
        (["-o", "{tmp}/letter.pdf"], "letter.pdf' from its name"),
        (["-o", "{tmp}/letter.docx", "--format", "html"], "--format html does not match"),
        (["--date", "2026-02-30"], "--date '2026-02-30' is not a date: February 2026 has 28 days"),
        (
            ["--date", "10/02/2026"],
            "--date '10/02/2026' is not written YYYY-MM-DD: for 10 February 2026 write 2026-02-10",
        ),
        (["--date", "02/30/2026"], "write dates as YYYY-MM-DD"),
    ],
)
def test_usage_errors_exit_2(args: list[str], words: str, tmp_path: Path) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(app, ["letter", ASHCOMBE, *args], catch_exceptions=False)
    assert result.exit_code == 2
    assert words in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_unknown_recipient_is_a_usage_error() -> None:
    result = runner.invoke(app, ["letter", ASHCOMBE, "--to", "mayor"])
    assert result.exit_code == 2
    assert "'mayor' is not one of" in result.stderr


def test_existing_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "letter.docx"
    out.write_bytes(b"the coordinator's edited letter")
    result = runner.invoke(app, ["letter", ASHCOMBE, "-o", str(out), *DATE])
    assert result.exit_code == 1
    assert "already exists and differs; nothing written (use --force" in result.stderr
    assert out.read_bytes() == b"the coordinator's edited letter"
    result = runner.invoke(app, ["letter", ASHCOMBE, "-o", str(out), *DATE, "--force"])
    assert result.exit_code == 0
    assert result.stderr == f"{out}: overwritten\n"
    again = runner.invoke(app, ["letter", ASHCOMBE, "-o", str(out), *DATE])
    assert (again.exit_code, again.stderr) == (0, f"{out}: unchanged\n")


def test_dry_run_says_what_would_be_written_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "letter.docx"
    result = runner.invoke(app, ["letter", ASHCOMBE, "-o", str(out), *DATE, "--dry-run"])
    assert (result.exit_code, result.stderr) == (0, f"{out}: would create\n")
    assert not out.exists()
    result = runner.invoke(app, ["letter", ASHCOMBE, *DATE, "--dry-run"])
    assert result.stdout == ""
    assert "would print the document (md) on standard output" in result.stderr


def test_letter_to_a_partner_not_taking_part_is_refused() -> None:
    result = runner.invoke(app, ["letter", ASHCOMBE, "--to", "estyn", *DATE])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"{ASHCOMBE}: error [partner-not-taking-part, guide 2.5] no letter to Estyn:"
    )


@pytest.mark.parametrize("to", ["imb", "cqc", "OFSTED"])
def test_letter_variants(to: str) -> None:
    result = runner.invoke(app, ["letter", ASHCOMBE, "--to", to, *DATE])
    assert result.exit_code == 0, result.output
    first_name = {"imb": "Mr Pellow", "cqc": "colleague", "OFSTED": "colleague"}
    assert f"Dear {first_name[to]}," in result.stdout


def test_late_letter_date_is_a_warning_not_a_failure() -> None:
    result = runner.invoke(app, ["letter", ASHCOMBE, "--date", "2026-03-02"])
    assert result.exit_code == 0
    assert "warning [letter-date, guide 2.6] the letter is dated Mon 2 Mar 2026" in result.stderr
    assert "Date: 2 March 2026" in result.stdout


def test_letter_date_defaults_to_today(today_is: Callable[[date], None]) -> None:
    today_is(date(2026, 2, 3))  # the clock, as the command line reads it
    result = bare_runner.invoke(app, ["returns", ASHCOMBE])
    assert result.exit_code == 0
    assert "Reference: IRP/ASH/2026" in result.stdout
    letter = bare_runner.invoke(app, ["letter", ASHCOMBE])
    assert "Date: 3 February 2026" in letter.stdout


def test_visit_with_rule_errors_is_refused(write_visit: Callable[..., Path]) -> None:
    data = example_data("hmp-ashcombe")
    data["team"][1]["role"] = "inspector"  # no coordinating inspector (guide 2.1)
    path = write_visit(data)
    result = runner.invoke(app, ["letter", str(path), *DATE])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{path}:" in result.stderr and "[one-coordinator, guide 2.1]" in result.stderr
    line = result.stderr.splitlines()[0]
    assert line.split(":")[1].isdigit() and line.split(":")[2].isdigit()  # FILE:LINE:COL


def test_templates_option_and_settings_file(tmp_path: Path) -> None:
    mine = tmp_path / "my-templates"
    mine.mkdir()
    (mine / "liaison.md.j2").write_text("Brief for {{ establishment.name }}\n", encoding="utf-8")
    result = bare_runner.invoke(app, ["liaison", ASHCOMBE, "--templates", str(mine), *DATE])
    assert (result.exit_code, result.stdout) == (0, "Brief for HMP Ashcombe\n")
    # The same folder named in irp.toml, relative to the settings file.
    visits = tmp_path / "visits"
    visits.mkdir()
    shutil.copy(ASHCOMBE, visits / "v.yaml")
    (tmp_path / "irp.toml").write_text(
        'templates = "my-templates"\n[house]\nmarking = "OFFICIAL-SENSITIVE"\n', encoding="utf-8"
    )
    result = bare_runner.invoke(app, ["liaison", str(visits / "v.yaml"), *DATE])
    assert (result.exit_code, result.stdout) == (0, "Brief for HMP Ashcombe\n")
    config = ["--config", str(tmp_path / "irp.toml")]
    result = bare_runner.invoke(app, ["liaison", ASHCOMBE, *config, "--format", "html", *DATE])
    assert "<p>OFFICIAL-SENSITIVE</p>" in result.stdout


def test_missing_templates_folder_and_missing_value(tmp_path: Path) -> None:
    result = runner.invoke(app, ["letter", ASHCOMBE, "--templates", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "templates folder not found" in result.stderr
    (tmp_path / "letter.md.j2").write_text("{{ governor.nickname }}\n", encoding="utf-8")
    result = runner.invoke(app, ["letter", ASHCOMBE, "--templates", str(tmp_path)])
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'letter.md.j2'}:1: error [template-missing] template 'letter.md.j2' "
        "needs 'governor.nickname', which is missing"
    ) in result.stderr


# --------------------------------------------------------------------------------------------
# The pro forma


def test_proforma_workbook_and_csv(tmp_path: Path) -> None:
    book = tmp_path / "proforma.xlsx"
    result = runner.invoke(app, ["proforma", ASHCOMBE, "-o", str(book), *DATE])
    assert (result.exit_code, result.stderr) == (0, f"{book}: created\n")
    assert openpyxl.load_workbook(book)["Pro forma"]["A7"].value == "P1"
    sheet = tmp_path / "proforma.csv"
    assert runner.invoke(app, ["proforma", ASHCOMBE, "-o", str(sheet)]).exit_code == 0
    assert sheet.read_bytes().startswith(
        b"\xef\xbb\xbfVisit id,irp-ASH-20250619,HMP Ashcombe\r\nNo.,Concern,"
    )
    printed = runner.invoke(app, ["proforma", ASHCOMBE, "--format", "CSV"])
    assert printed.stdout.startswith("Visit id,")  # no byte order mark on stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "xlsx"], "a workbook cannot be printed; give -o FILE.xlsx"),
        (["--format", "xlsx", "-o", "p.csv"], "--format xlsx does not match"),
        (["--format", "docx", "-o", "p.xlsx"], "--format docx does not match"),
    ],
)
def test_proforma_format_mistakes(args: list[str], words: str) -> None:
    result = runner.invoke(app, ["proforma", ASHCOMBE, *args])
    assert result.exit_code == 2
    assert words in result.stderr


def test_proforma_import_round_trip(tmp_path: Path) -> None:
    visit = tmp_path / "visit.yaml"
    shutil.copy(ASHCOMBE, visit)
    original = visit.read_bytes()
    book = tmp_path / "proforma.xlsx"
    made = runner.invoke(app, ["proforma", str(visit), "-o", str(book), "--date", "2026-02-02"])
    assert made.exit_code == 0
    filled = openpyxl.load_workbook(book)
    filled["Pro forma"]["C7"] = "Jo Bloggs"
    filled["Pro forma"]["E7"] = "jo@example.org"
    filled.save(book)

    arrived = ["--date", "2026-04-09"]
    dry = runner.invoke(app, ["proforma-import", str(visit), str(book), "--dry-run", *arrived])
    assert dry.exit_code == 0, dry.output
    assert visit.read_bytes() == original
    assert "+    responsible_manager:\n+      name: Jo Bloggs\n+      email: jo@example.org\n" in (
        dry.stdout
    )
    assert "+    returns:\n+      proforma: 2026-04-09\n" in dry.stdout
    assert f"{visit}: would overwrite (1 manager; its arrival recorded)" in dry.stderr

    done = runner.invoke(app, ["proforma-import", str(visit), str(book), *arrived])
    assert done.exit_code == 0
    assert f"{book}:8: warning [no-manager] no manager named for P2" in done.stderr
    assert f"{visit}: overwritten (1 manager; its arrival recorded)\n  P1: Jo Bloggs" in done.stderr
    assert "  visit.status.returns.proforma: 2026-04-09 (guide 2.9)\n" in done.stderr
    assert done.stdout == ""
    assert runner.invoke(app, ["validate", str(visit)]).exit_code == 0
    checklist = runner.invoke(app, ["returns", str(visit), "--date", "2026-04-10"])
    assert "2026-04-09" in checklist.stdout or "9 April 2026" in checklist.stdout
    again = runner.invoke(app, ["proforma-import", str(visit), str(book), "--date", "2026-04-12"])
    assert f"{visit}: unchanged" in again.stderr  # the first arrival stays recorded


def test_proforma_import_errors_leave_the_visit_file_alone(tmp_path: Path) -> None:
    visit = tmp_path / "visit.yaml"
    shutil.copy(ASHCOMBE, visit)
    original = visit.read_bytes()
    filled = tmp_path / "filled.csv"
    filled.write_text("Id,Manager's name\nP1,Jo\nQ7,Al\n", encoding="utf-8")
    result = runner.invoke(app, ["proforma-import", str(visit), str(filled)])
    assert result.exit_code == 1
    assert f"{filled}:3: error [unknown-concern] 'Q7' is not a concern" in result.stderr
    assert visit.read_bytes() == original
    bad = tmp_path / "filled.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    result = runner.invoke(app, ["proforma-import", str(visit), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: error [proforma-format] cannot read it: it is not an Excel workbook" in (
        result.stderr
    )
    assert visit.read_bytes() == original


def test_help_lists_the_document_commands() -> None:
    result = runner.invoke(app, ["--help"])
    for name in ("letter", "proforma", "proforma-import", "returns", "liaison"):
        assert name in result.stdout


def test_placeholders_in_the_letterhead_are_pointed_out(tmp_path: Path) -> None:
    example = str(EXAMPLES / "hmp-ashcombe.yaml")
    bare = bare_runner.invoke(app, ["letter", example, "--date", "2026-02-10"])
    assert bare.exit_code == 0
    assert bare.stderr.startswith(
        "irp: warning [house-settings] the document shows placeholders for address and "
        "signatory_name: no settings file was found; create irp.toml beside the visit file"
    )
    assert "irp.toml:" not in bare.stderr  # no blame on a file that does not exist
    config = tmp_path / "irp.toml"
    config.write_text('[house]\nmarking = "OFFICIAL"\n', "utf-8")
    named = bare_runner.invoke(
        app, ["letter", example, "--date", "2026-02-10", "--config", str(config), "-o",
              str(tmp_path / "l.docx")]
    )  # fmt: skip
    assert named.stderr.startswith(f"{config}: warning [house-settings]")
    config.write_text('[house]\naddress = ["1 Street"]\nsignatory_name = "A Name"\n', "utf-8")
    done = bare_runner.invoke(
        app, ["letter", example, "--date", "2026-02-10", "--config", str(config)]
    )
    assert "house-settings" not in done.stderr
    assert "A Name" in done.stdout


@pytest.mark.parametrize(
    "command",
    [["returns", "--date"], ["liaison", "--date"], ["proforma", "--date"], ["plan", "--today"]],
)
def test_documents_without_a_letterhead_do_not_warn_about_it(command: list[str]) -> None:
    example = str(EXAMPLES / "hmp-ashcombe.yaml")
    result = bare_runner.invoke(
        app, [command[0], example, "--format", "md", command[1], "2026-02-10"]
    )
    assert result.exit_code == 0, result.stderr
    assert "house-settings" not in result.stderr


def test_a_new_document_is_a_builder_given_to_run_document(tmp_path: Path) -> None:
    """The pipeline new document commands use: one load, the builder, one render."""
    seen: list[tuple[str, str]] = []

    def build(loaded: Loaded, day: date) -> Document:
        seen.append((loaded.doc.name, day.isoformat()))
        first = loaded.timeline.visit_days[0]
        return Document("_letterhead.md.j2", "A test", {"first": first, "house": {}})

    single = typer.Typer()

    @single.command()
    def sample(
        file: options.VisitFile,
        output: options.Output = None,
        fmt: options.Format = None,
        force: options.Force = False,
        dry_run: options.DryRun = False,
        templates: options.Templates = None,
        config: options.ConfigFile = None,
        letter_date: options.DocumentDate = None,
    ) -> None:
        opts = common.DocumentOptions(output, fmt, force, dry_run, templates, config, letter_date)
        common.run_document(file, opts, build)

    own = tmp_path / "templates"
    own.mkdir()
    (own / "_letterhead.md.j2").write_text("First day {{ first }}\n", encoding="utf-8")
    out = tmp_path / "sample.html"
    args = [ASHCOMBE, "--templates", str(own), "-o", str(out), "--date", "2026-02-10"]
    result = runner.invoke(single, args)
    assert result.exit_code == 0, result.output
    assert seen == [(ASHCOMBE, "2026-02-10")]
    assert "First day 2026-04-21" in out.read_text(encoding="utf-8")
    bad = runner.invoke(single, [ASHCOMBE, "--date", "2026-02-30"])
    assert isinstance(bad.exception, UsageError)  # exit 2 at cli.py's error boundary
    assert len(seen) == 1  # a bad date stops before the file is read


def test_letterhead_from_irp_toml_relative_to_it(tmp_path: Path) -> None:
    from helpers import letterhead

    settings = tmp_path / "office"
    settings.mkdir()
    letterhead(settings)
    config = settings / "irp.toml"
    # [house] is the last table of the house settings: the line joins it
    config.write_text(HOUSE.read_text(encoding="utf-8") + 'letterhead = "letterhead.docx"\n')
    out = tmp_path / "letter.docx"
    result = bare_runner.invoke(
        app, ["letter", ASHCOMBE, "-o", str(out), "--config", str(config), *DATE]
    )
    assert result.exit_code == 0, result.output
    header = docx.Document(str(out)).sections[0].header
    assert "Ministry of Examples" in [p.text for p in header.paragraphs]
    (settings / "letterhead.docx").write_bytes(b"not a docx")
    result = bare_runner.invoke(
        app, ["letter", ASHCOMBE, "-o", str(out), "--config", str(config), "--force", *DATE]
    )
    assert result.exit_code == 1
    assert f"{settings / 'letterhead.docx'}: error [letterhead]" in result.stderr


def test_letter_as_an_email_draft_with_the_word_letter_attached(tmp_path: Path) -> None:
    import email
    from email import policy

    out = tmp_path / "letter.eml"
    result = runner.invoke(app, ["letter", ASHCOMBE, "--eml", str(out), *DATE])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # only the draft is written
    message = email.message_from_bytes(out.read_bytes(), policy=policy.default)
    assert message["To"] == "Dana Whitcombe <dana.whitcombe@ashcombe.example.org>"
    assert message["Cc"] == "Roger Pellow <imb.ashcombe@example.org>"  # guide 2.6
    assert message["X-Unsent"] == "1"  # Outlook opens it ready to send
    assert message["Subject"].startswith("Independent review of progress at HMP Ashcombe")
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().startswith(
        "Dear Governor,\r\n"
    )  # CRLF, as mail is
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename().endswith(".docx")
    document = docx.Document(io.BytesIO(attachment.get_content()))
    assert "Dear Governor," in [p.text for p in document.paragraphs]
    again = tmp_path / "again.eml"
    assert runner.invoke(app, ["letter", ASHCOMBE, "--eml", str(again), *DATE]).exit_code == 0
    assert again.read_bytes() == out.read_bytes()  # the same bytes every time


@pytest.mark.parametrize(
    ("to", "removed", "warnings"),
    [
        # (--to, the emails taken out of Ashcombe, the warnings expected: header, field)
        ("governor", [("establishment", "governor")], [("To", "establishment.governor")]),
        ("governor", [("establishment", "imb_chair")], [("Cc", "establishment.imb_chair")]),
        (
            "governor",
            [("establishment", "governor"), ("establishment", "imb_chair")],
            [("To", "establishment.governor"), ("Cc", "establishment.imb_chair")],
        ),
        ("imb", [("establishment", "imb_chair")], [("To", "establishment.imb_chair")]),
        ("cqc", [("partners", "cqc", "contact")], [("To", "partners.cqc.contact")]),
        ("ofsted", [("partners", "cqc", "contact")], []),  # not this letter's addressee
        ("governor", [], []),
    ],
)
def test_email_draft_warns_of_a_missing_address_and_is_still_written(
    to: str,
    removed: list[tuple[str, ...]],
    warnings: list[tuple[str, str]],
    write_visit: Callable[..., Path],
    tmp_path: Path,
) -> None:
    """Issue 9.4: an empty To or Cc is said, naming the field to fill in (2.6: the governor's
    letter is copied to the IMB chair)."""
    data = example_data()
    for loc in removed:
        person = data
        for key in loc:
            person = person[key]
        del person["email"]
    path = write_visit(data)
    out = tmp_path / "letter.eml"
    result = runner.invoke(app, ["letter", str(path), "--to", to, "--eml", str(out), *DATE])
    assert result.exit_code == 0, result.output
    found = [line for line in result.stderr.splitlines() if "[eml-address]" in line]
    assert len(found) == len(warnings)
    for line, (header, field) in zip(found, warnings, strict=True):
        assert re.match(rf"{re.escape(str(path))}:\d+:\d+: warning \[eml-address\] ", line)
        assert f": warning [eml-address] the email draft has no {header} address for " in line
        assert f"add 'email:' under {field} in the visit file" in line
    assert out.exists()
    message = out.read_bytes().decode("ascii")
    for header, _field in warnings:
        assert f"\r\n{header}: " not in message and not message.startswith(f"{header}: ")


def test_a_letterhead_that_is_not_there_is_reported_at_its_line_by_validate_and_letter(
    tmp_path: Path,
) -> None:
    """The example in docs/settings.md names letterhead.docx: copied without that file, the
    settings are wrong, so validate says so (not first the letter), at irp.toml's line."""
    config = tmp_path / "irp.toml"
    config.write_text('[house]\nmarking = "OFFICIAL"\nletterhead = "letterhead.docx"\n')
    where = f"{config}:3:1: error [letterhead] "
    checked = bare_runner.invoke(app, ["validate", ASHCOMBE, "--config", str(config)])
    assert checked.exit_code == 1
    assert where in checked.stderr
    assert f"'{tmp_path / 'letterhead.docx'}' is not a file" in checked.stderr
    out = tmp_path / "letter.docx"
    result = bare_runner.invoke(
        app, ["letter", ASHCOMBE, "-o", str(out), "--config", str(config), *DATE]
    )
    assert result.exit_code == 1
    assert where in result.stderr
    assert not out.exists()
    shown = bare_runner.invoke(app, ["letter", ASHCOMBE, "--config", str(config), *DATE])
    assert shown.exit_code == 0  # Markdown has no letterhead
