"""Turn pydantic's validation errors into findings a coordinator can act on.

Each error is placed through the YAML node tree (file, line, column) and its message is
rewritten in plain English: which words are allowed, how to write a date, "did you mean".
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from irp_cli.dates import day_first, long_date
from irp_cli.errors import Finding

if TYPE_CHECKING:
    import yaml

from irp_cli.visitfile.models import Visit
from irp_cli.visitfile.positions import key_position, locate


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/Annotated/list/dict."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _model_at(
    loc: Sequence[str | int], root_model: type[BaseModel] = Visit
) -> type[BaseModel] | None:
    """The model whose fields apply at ``loc`` (for 'did you mean' suggestions)."""
    current: list[Any] = [root_model]
    for part in loc:
        following: list[Any] = []
        for candidate in current:
            origin = typing.get_origin(candidate)
            if isinstance(part, int) and origin is list:
                following.extend(_unwrap(typing.get_args(candidate)[0]))
            elif origin is dict:  # a mapping keyed by id: its values' fields
                following.extend(_unwrap(typing.get_args(candidate)[1]))
            elif isinstance(candidate, type) and issubclass(candidate, BaseModel):
                field = candidate.model_fields.get(str(part))
                if field is not None:
                    following.extend(_unwrap(field.annotation))
        if following:
            current = following
    for candidate in current:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _choices(error: ErrorDetails) -> str | None:
    ctx = error.get("ctx") or {}
    expected = ctx.get("expected")
    return str(expected) if expected else None


#: A value quoted in a message is cut to this many characters (a file may hold a huge one).
QUOTE_LIMIT = 60


def _value(value: Any) -> str:
    if isinstance(value, str):
        if len(value) > QUOTE_LIMIT:
            return f"'{value[: QUOTE_LIMIT - 1]}…' ({len(value):,} characters)"
        return f"'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def explain(error: ErrorDetails, root_model: type[BaseModel] = Visit) -> str:
    """A plain-English message for one pydantic error."""
    kind = error["type"]
    value = error.get("input")
    loc = error["loc"]
    field = str(loc[-1]) if loc else "this"
    if kind == "missing":
        return f"'{field}' is missing"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1], root_model)
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(field), known, n=1, cutoff=0.6)
        if "overall" in field.lower():
            return (
                f"unknown key '{field}': there is no overall judgement (guide 4.1); each "
                "concern followed up has its own 'judgement'"
            )
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = f" (known keys: {', '.join(known)})" if known and not close else ""
        return f"unknown key '{field}'{hint}{listing}"
    if kind in ("enum", "literal_error"):
        scale = wrong_scale(loc, value)
        if scale:
            return scale
        lower = value.strip().lower() if isinstance(value, str) else None
        allowed = re.findall(r"'([^']*)'", _choices(error) or "")
        if lower and lower != value and lower in allowed:
            return f"{_value(value)} is not allowed here: write it in small letters, '{lower}'"
        return f"{_value(value)} is not allowed here; use one of: {_choices(error)}"
    if kind == "date_format":
        return _not_iso(value)
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{_value(value)} is not a real date; write dates as YYYY-MM-DD, e.g. 2026-06-02"
    if kind.startswith("time"):
        return f"{_value(value)} is not a time; write times in quotes as 'HH:MM', e.g. '09:30'"
    if kind.startswith("bool"):
        return f"{_value(value)} is not true or false; write true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{_value(value)} is not a whole number"
    if kind == "string_type":
        if value is None:
            return f"is empty; {_what_to_write(loc)}"
        return f"{_value(value)} is not text; put it in quotes if it should be text"
    if kind == "string_pattern_mismatch":
        if field == "code":
            return f"{_value(value)} is not a NOMIS establishment code (three capital letters)"
        if field == "email":
            return f"{_value(value)} is not an email address"
        if field == "id":
            return (
                f"{_value(value)} is not a usable id: start with a letter, then letters, digits, "
                "'.', '-' or '_' (at most 20), e.g. 'C3'"
            )
        return f"{_value(value)} does not have the expected form"
    if kind == "string_too_long":
        limit = (error.get("ctx") or {}).get("max_length")
        length = len(value) if isinstance(value, str) else 0
        return f"is {length:,} characters long; at most {limit} fit here"
    if kind == "string_too_short":
        return f"is empty; {_what_to_write(loc)}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list (lines starting with '- '), not {_value(value)}"
    if kind == "model_type" or kind == "dict_type":
        return f"expected a set of 'key: value' lines, not {_value(value)}"
    if kind == "too_short":
        return "the list is empty; it needs at least one entry"
    if kind == "too_long":
        return f"the list is too long ({error['msg'].lower()})"
    if kind == "value_error":
        message = str(error["msg"])
        return message.removeprefix("Value error, ")
    bound = error.get("ctx") or {}
    if kind == "less_than_equal" and "le" in bound:
        return f"{_value(value)} is too large: at most {bound['le']}"
    if kind == "greater_than_equal" and "ge" in bound:
        return f"{_value(value)} is too small: at least {bound['ge']}"
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return f"{_value(value)}: {error['msg'][0].lower()}{error['msg'][1:]}"
    return f"{error['msg']} (got {_value(value)})"


def _not_iso(value: Any) -> str:
    """A date not written YYYY-MM-DD; one written day first is shown as the date it would be
    and how to write it."""
    day = day_first(value) if isinstance(value, str) else None
    if day is not None:
        return (
            f"{_value(value)} is not written YYYY-MM-DD: for {long_date(day)} write "
            f"{day.isoformat()}"
        )
    return f"{_value(value)} is not written YYYY-MM-DD; write dates as YYYY-MM-DD, e.g. 2026-06-02"


def wrong_scale(loc: Sequence[str | int], value: object) -> str | None:
    """A message naming the right scale when a concern is given one of Ofsted's judgements
    for themes (4.2), or a theme one of HMI Prisons' (4.1); None for any other value."""
    from irp_cli.visitfile.models import PartnerJudgement, ProgressJudgement

    if not loc or loc[-1] != "judgement" or not isinstance(value, str):
        return None
    hmip = [j.value for j in ProgressJudgement]
    ofsted = [j.value for j in PartnerJudgement]
    if loc[0] == "concerns" and value in ofsted and value not in hmip:
        return (
            f"'{value}' is on Ofsted's scale for partner themes (guide 4.2); a concern is judged "
            f"on HMI Prisons' scale (guide 4.1): {', '.join(hmip)}"
        )
    if loc[0] == "partner_themes" and value in hmip and value not in ofsted:
        return (
            f"'{value}' is on HMI Prisons' scale for concerns (guide 4.1); a partner theme is "
            f"judged on Ofsted's scale (guide 4.2): {', '.join(ofsted)}"
        )
    return None


CODES = {"extra_forbidden": "unknown-key", "missing": "missing-key"}


def _what_to_write(loc: Sequence[str | int]) -> str:
    """What an empty value should hold: the field's description for a key that must be
    there ("write the concern as worded in the previous report"); for one that may be left
    out, that too."""
    model = _model_at(loc[:-1]) if loc else None
    field = model.model_fields.get(str(loc[-1])) if model and loc else None
    if field is None or not field.description:
        return "write something here or leave the key out"
    about = field.description.split(" (")[0].split(", e.g.")[0].split("; ")[0].rstrip(".")
    about = about[0].lower() + about[1:]
    if field.is_required():
        return f"write {about} (it cannot be left out)" if about else "write something here"
    return f"write {about}, or leave the key out"


def _code(error: ErrorDetails, loc: Sequence[str | int]) -> str:
    if error["type"] == "enum" and wrong_scale(loc, error.get("input")):
        return "wrong-scale"
    return CODES.get(error["type"], "invalid-value")


def _is_enum_key(loc: Sequence[str | int]) -> bool:
    return bool(loc) and loc[-1] == "[key]"


def describe_validation_errors(
    exc: ValidationError, root: yaml.Node, name: str, root_model: type[BaseModel] = Visit
) -> list[Finding]:
    """One located finding per pydantic error; ``root_model`` is the model of the whole file
    (a visit file, or an evidence file), for 'did you mean' suggestions."""
    findings: list[Finding] = []
    seen: set[tuple[int, int, str]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not _is_enum_key([p]))
        line, col, path = locate(root, loc)
        if error["type"] in ("extra_forbidden", "value_error", "missing") and loc:
            # point at a key: the unknown key, the section a rule is about, or the section
            # that lacks a key
            key_loc = loc[:-1] if error["type"] == "missing" else loc
            position = key_position(root, key_loc) if key_loc else None
            if position:
                line, col = position
        message = explain(error, root_model)
        key = (line, col, message)
        if key in seen:  # unions report the same problem once per member
            continue
        seen.add(key)
        findings.append(
            Finding(
                file=name,
                severity="error",
                code=_code(error, loc),
                message=message,
                line=line,
                col=col,
                loc=path,
            )
        )
    return findings


def enum_values(enum: type[Enum]) -> str:
    return ", ".join(str(member.value) for member in enum)
