"""Documents: one Markdown Jinja template per document, rendered to Markdown, HTML or Word.

The pipeline is ``template + context → Markdown → format``:

* :func:`render_text` renders ``templates/<name>.md.j2`` to Markdown. A folder of the user's
  own templates (``--templates DIR`` or ``templates =`` in ``irp.toml``) is searched first, then
  the built-in folder; a user template can reuse a built-in one as ``builtin/<name>``.
  Every template runs in Jinja's sandbox with :class:`jinja2.StrictUndefined`, so a missing
  value stops the render instead of leaving a blank in a letter.
* Every ``{{ value }}`` is escaped for Markdown (see :func:`escape_markdown`), so a concern
  that reads ``*urgent* | <b>`` prints exactly that in every format. Markdown that is meant to
  pass through is wrapped in :class:`Md` (or piped through ``|safe`` in a template).
* :func:`to_html` makes a standalone, printable page; :func:`to_docx` a Word document (through
  :mod:`irp_cli.documents.word`, imported only when needed).
* :func:`~irp_cli.files.write_output` writes documents safely: never over an
  existing file without ``force``, through a temporary file in the same folder.

Every problem becomes an :class:`~irp_cli.errors.IrpError` naming the template and line.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2
from jinja2 import nodes
from jinja2.exceptions import FilterArgumentError, SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from irp_cli import dates
from irp_cli.errors import IrpError

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from irp_cli.documents.charts import BarChart

Format = Literal["md", "html", "docx"]
FORMATS: tuple[Format, ...] = ("md", "html", "docx")
EXTENSIONS: dict[str, Format] = {".md": "md", ".html": "html", ".htm": "html", ".docx": "docx"}

#: The prefix under which a user template can reach the built-in one it overrides.
BUILTIN_PREFIX = "builtin"

#: Document timestamps are fixed so that the same input gives the same bytes.
FIXED_TIMESTAMP = datetime(2000, 1, 1)


# --------------------------------------------------------------------------------------------
# Markdown escaping


class Md(Markup):
    """Markdown that is trusted to pass through a template unescaped.

    A :class:`markupsafe.Markup`, so Jinja's own machinery treats it as safe: macros, ``caller()``
    and ``{% set %}`` blocks (which return Markup) and the ``|safe`` filter all pass through
    without being escaped twice. Plain strings added to it are escaped (as HTML entities,
    which Markdown renders literally).
    """

    __slots__ = ()


# Characters that can start Markdown syntax anywhere in a line.
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<|~]|&(?=#?[0-9A-Za-z]+;)")
# Constructs that only count at the start of a line (a value may be placed there).
_LINE_START = re.compile(r"^(#{1,6}(?=\s|$)|[-+=](?=\s|$|[-+=])|>)")
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
# A closing sequence of an ATX heading: ``# Title #``.
_CLOSING_HASHES = re.compile(r"(\s)(#+\s*)$")
_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x85\u2028\u2029]\s*")


def escape_markdown(value: object) -> Md:
    """``value`` as Markdown text that renders as exactly the same characters.

    The result is always one line without surrounding whitespace: runs of whitespace that
    contain a line break become one space, so a value can never end a table row, a list item
    or a paragraph, start a code block or make a hard line break. Use the ``paragraphs``
    filter where a value may hold several paragraphs.
    """
    if isinstance(value, Md):
        return value
    if hasattr(value, "__html__"):  # trusted by Jinja (``|safe``, a macro's output)
        return Md(value.__html__())
    text = _LINE_BREAKS.sub(" ", str(value)).strip()
    text = _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    text = _LINE_START.sub(lambda m: "\\" + m.group(1), text)
    text = _ORDERED_MARKER.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    text = _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return Md(text)


def _finalize(value: object) -> object:
    """Applied by Jinja to every ``{{ … }}``: Markdown-escape all but trusted values.

    Autoescaping is on, so Jinja then calls ``markupsafe.escape`` on the result; an
    :class:`Md` (a Markup) passes through that unchanged.
    """
    if hasattr(value, "__html__") or isinstance(value, jinja2.Undefined):
        return value
    if value is None:
        raise _MissingValue("None printed", name=None, attribute=False, none=True)
    return escape_markdown(value)


def _paragraphs(value: object) -> Md:
    """Filter: text that may hold blank-line-separated paragraphs, each escaped."""
    _check_defined(value)
    parts = re.split(r"\n\s*\n", str(value).strip())
    return Md("\n\n".join(escape_markdown(p) for p in parts if p.strip()))


# --------------------------------------------------------------------------------------------
# Dates, British government letter style


def _as_date(value: object, filter_name: str) -> date:
    _check_defined(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(value)
    raise FilterArgumentError(f"'{filter_name}' needs a date, not {value!r}")


def long_date(value: date | datetime | str) -> str:
    """Filter: ``2 June 2025`` (see :mod:`irp_cli.dates`)."""
    return dates.long_date(_as_date(value, "long_date"))


def day_date(value: date | datetime | str) -> str:
    """Filter: ``Monday 2 June 2025``."""
    return dates.day_date(_as_date(value, "day_date"))


# --------------------------------------------------------------------------------------------
# The Jinja environment


class _MissingValue(jinja2.UndefinedError):
    """A StrictUndefined failure that remembers what was missing."""

    def __init__(
        self, message: str | None = None, *, name: str | None, attribute: bool, none: bool = False
    ) -> None:
        super().__init__(message)
        self.missing = name
        self.attribute = attribute  # ``x.name`` or ``x['name']`` rather than a plain ``name``
        self.none = none  # the value is there but None: printing it would put "None" in a letter


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined whose error says which name was missing (the sandbox's stay as they are)."""

    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = jinja2.utils.missing,
        name: str | None = None,
        exc: type[jinja2.TemplateRuntimeError] = jinja2.UndefinedError,
    ) -> None:
        if exc is jinja2.UndefinedError:
            attribute = obj is not jinja2.utils.missing
            exc = functools.partial(_MissingValue, name=name, attribute=attribute)  # type: ignore[assignment]
        super().__init__(hint, obj, name, exc)


def _check_defined(value: object) -> None:
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()


def builtin_templates_dir() -> Path:
    """The shipped templates: ``irp_cli/templates`` in a wheel, ``templates/`` in a checkout."""
    package = Path(__file__).resolve().parents[1]  # irp_cli/, on disk (Jinja reads files):
    packaged = package / "templates"  # so no importlib.resources, which loads zipfile & co.
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"


def get_environment(
    user_dir: Path | None = None, *, builtin_dir: Path | None = None
) -> SandboxedEnvironment:
    """The (cached) environment that searches ``user_dir`` first, then the built-in folder."""
    if user_dir is not None and not user_dir.is_dir():
        raise IrpError.at(
            str(user_dir),
            "templates folder not found (from --templates or irp.toml)",
            code="templates",
        )
    return _environment(user_dir, builtin_dir or builtin_templates_dir())


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in irp's cache folder (about 25 ms saved per document). A cache
    that cannot be read or written is simply not used."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)


#: A template is a page or two of text; a bigger file in the folder is not one.
MAX_TEMPLATE_BYTES = 1_000_000


class _FolderLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads only regular files inside its folder *after resolving
    links*: Jinja itself refuses ``include '/etc/passwd'`` and ``..`` but follows a symbolic
    link placed in the folder wherever it points. A link that stays inside is fine."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        import posixpath

        from jinja2.loaders import split_template_path

        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(posixpath.join(folder, *pieces))
            if path.is_file():
                inside = Path(folder).resolve()
                target = path.resolve()
                if not target.is_relative_to(inside):
                    raise SecurityError(
                        f"template '{template}' is a link to '{target}', outside the templates "
                        f"folder '{folder}'; templates are read only from inside it (copy the "
                        "file in instead)"
                    )
                size = target.stat().st_size
                if size > MAX_TEMPLATE_BYTES:
                    raise SecurityError(
                        f"template '{template}' is {size:,} bytes; a template is at most "
                        f"{MAX_TEMPLATE_BYTES:,}"
                    )
                return super().get_source(environment, template)
        return super().get_source(environment, template)  # raises TemplateNotFound


@functools.cache
def _environment(user_dir: Path | None, builtin_dir: Path) -> SandboxedEnvironment:
    builtin = _FolderLoader(builtin_dir, encoding="utf-8")
    loaders: list[jinja2.BaseLoader] = [builtin, jinja2.PrefixLoader({BUILTIN_PREFIX: builtin})]
    if user_dir is not None:
        loaders.insert(0, _FolderLoader(user_dir, encoding="utf-8"))
    from irp_cli.paths import templates_cache_dir

    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_BytecodeCache(str(templates_cache_dir())),
        undefined=_Undefined,
        autoescape=True,  # with _finalize: Markdown escaping, see Md
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        long_date=long_date,
        day_date=day_date,
        escape=escape_markdown,
        e=escape_markdown,
        paragraphs=_paragraphs,
        center=_bounded_filter(env.filters["center"]),
        indent=_bounded_filter(env.filters["indent"]),
        format=_printf_filter(env.filters["format"]),
    )
    env.globals.pop("lipsum", None)  # placeholder text of any size: no use in a letter
    return env


#: Widths, repeats and exponents in a template are small: a letter needs nothing bigger, and a
#: bigger one (``'a' * 10**9``, ``'x'|center(10**9)``) would take the machine's memory.
MAX_TEMPLATE_NUMBER = 10_000
MAX_TEMPLATE_TEXT = 1_000_000  # characters (or list items) one operation may make
_BIG_WIDTH = re.compile(r"\d{5,}")


def _too_big(what: str, limit: int = MAX_TEMPLATE_NUMBER) -> SecurityError:
    return SecurityError(f"{what} is too large for a document (at most {limit:,})")


def _check_number(value: object) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEMPLATE_NUMBER:
        raise _too_big(f"the number {value:,}" if abs(value) < 10**30 else "a number")


def _check_widths(fmt: str) -> None:
    """A format string (``'{:>99999}'``, ``'%099999d'``) asks for no huge width or precision."""
    if _BIG_WIDTH.search(fmt):
        raise _too_big("a width or precision in a format")


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, which bounds attributes and ``range``, also bounding sizes: the
    operators that multiply text or numbers, the numbers passed to a call, the widths in a
    format string."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "**":
            _check_number(right)
            if isinstance(right, int) and abs(right) > 64 and isinstance(left, int | float):
                raise _too_big("a power")
        elif operator == "*":
            sized = [v for v in (left, right) if isinstance(v, str | list | tuple)]
            counts = [v for v in (left, right) if isinstance(v, int) and not isinstance(v, bool)]
            if sized and counts and len(sized[0]) * counts[0] > MAX_TEMPLATE_TEXT:
                raise _too_big("repeated text", MAX_TEMPLATE_TEXT)
        elif operator == "%" and isinstance(left, str):
            _check_widths(left)
        return super().call_binop(context, operator, left, right)

    def call(
        __self,  # Jinja's own signature: the names stay free for keyword arguments
        __context: jinja2.runtime.Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        for value in (*args, *kwargs.values()):
            _check_number(value)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and isinstance(getattr(value, "__self__", None), str):
            _check_widths(value.__self__)
        return wrapped


def _bounded_filter(original: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose number arguments (a width) are bounded."""

    @functools.wraps(original)
    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        for arg in (*args, *kwargs.values()):
            _check_number(arg)
        return original(value, *args, **kwargs)

    return bounded


def _printf_filter(original: Callable[..., Any]) -> Callable[..., Any]:
    """The ``format`` filter (``'%5d'|format(n)``) without a huge width."""

    @functools.wraps(original)
    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        _check_widths(str(value))
        return original(value, *args, **kwargs)

    return bounded


# --------------------------------------------------------------------------------------------
# Rendering and its errors


def render_text(
    template_name: str,
    context: Mapping[str, Any],
    *,
    user_dir: Path | None = None,
    builtin_dir: Path | None = None,
) -> str:
    """Render a template to Markdown. Every failure is an :class:`IrpError`."""
    env = get_environment(user_dir, builtin_dir=builtin_dir)
    places = _Places(user_dir, builtin_dir or builtin_templates_dir())
    try:
        return env.get_template(template_name).render(dict(context))
    except jinja2.TemplateSyntaxError as exc:  # also unknown filters and tests
        file, name = places.describe(exc.filename or exc.name or template_name)
        message = f"template '{name}': {exc.message}"
        raise IrpError.at(file, message, code="template-syntax", line=exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        file, line = places.where(exc, template_name)
        folders = " and ".join(f"'{d}'" for d in places.folders())
        message = f"no template named '{exc.name}' (looked in {folders})"
        if line is None:
            available = ", ".join(list_templates(user_dir, builtin_dir=builtin_dir)) or "none"
            message += f"; available: {available}"
        raise IrpError.at(file, message, code="template-not-found", line=line) from None
    except _MissingValue as exc:
        file, line = places.where(exc, template_name)
        source = places.source(exc)
        name = places.name(exc, template_name)
        if exc.none:
            printed = " or ".join(f"'{p}'" for p in _printed_paths(env, source, line))
            message = f"template '{name}' prints {printed or 'a value'}, which is not set (None)"
        else:
            needed = _missing_path(env, source, line, exc.missing, exc.attribute)
            message = f"template '{name}' needs '{needed}', which is missing"
        raise IrpError.at(file, message, code="template-missing", line=line) from None
    except SecurityError as exc:
        file, line = places.where(exc, template_name)
        message = f"not allowed in a template: {exc}"
        raise IrpError.at(file, message, code="template-security", line=line) from None
    except jinja2.TemplateError as exc:
        file, line = places.where(exc, template_name)
        raise IrpError.at(file, str(exc), code="template-error", line=line) from None
    except UnicodeDecodeError as exc:
        message = f"a template is not UTF-8 text ({exc.reason})"
        raise IrpError.at(template_name, message, code="template-encoding") from None
    except Exception as exc:
        # A user's template calling something badly is theirs to fix (file and line); the
        # same failure in a built-in template is a bug in irp, left to the CLI's boundary.
        frame = _template_frame(exc)
        if frame is None or not places.is_user(frame[0]):
            raise
        file, line = places.where(exc, template_name)
        message = f"template failed: {type(exc).__name__}: {exc}"
        raise IrpError.at(file, message, code="template-error", line=line) from None


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template frame of ``exc``'s traceback: ``(filename, line)``."""
    found: tuple[str, int] | None = None
    tb = exc.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:  # Jinja's rewritten frames
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


class _Places:
    """Turns Jinja's file names into what a coordinator should see."""

    def __init__(self, user_dir: Path | None, builtin_dir: Path) -> None:
        self.user_dir = user_dir.resolve() if user_dir is not None else None
        self.user_given = user_dir
        self.builtin_dir = builtin_dir.resolve()

    def folders(self) -> list[Path]:
        return [d for d in (self.user_given, self.builtin_dir) if d is not None]

    def describe(self, filename: str) -> tuple[str, str]:
        """``(file to show, template name)``: a built-in by name, a user template by path."""
        path = Path(filename).resolve()
        if path.is_relative_to(self.builtin_dir):
            name = path.relative_to(self.builtin_dir).as_posix()
            return name, name
        if self.user_dir is not None and path.is_relative_to(self.user_dir):
            return filename, path.relative_to(self.user_dir).as_posix()
        return filename, Path(filename).name

    def is_user(self, filename: str) -> bool:
        return self.user_dir is not None and Path(filename).resolve().is_relative_to(self.user_dir)

    def where(self, exc: BaseException, default: str) -> tuple[str, int | None]:
        frame = _template_frame(exc)
        if frame is None:
            return default, None
        return self.describe(frame[0])[0], frame[1]

    def name(self, exc: BaseException, default: str) -> str:
        frame = _template_frame(exc)
        return default if frame is None else self.describe(frame[0])[1]

    def source(self, exc: BaseException) -> str | None:
        frame = _template_frame(exc)
        if frame is None:
            return None
        try:
            return Path(frame[0]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None


def _missing_path(
    env: jinja2.Environment,
    source: str | None,
    line: int | None,
    name: str | None,
    attribute: bool,
) -> str:
    """Rebuild the expression that was missing (``visit.prison.name``) from the template."""
    if name is None:
        return "a value"
    if source is None:
        return name
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return name
    kinds = (nodes.Getattr, nodes.Getitem) if attribute else (nodes.Name,)
    found: list[tuple[int, str]] = []
    for node in tree.find_all(kinds):
        if _last_part(node) == name and (path := _dotted(node)) is not None:
            found.append((node.lineno, path))
    on_line = [path for lineno, path in found if lineno == line]
    return (on_line or [path for _, path in found] or [name])[0]


def _printed_paths(env: jinja2.Environment, source: str | None, line: int | None) -> list[str]:
    """The plain values (``visit.governor``) that ``{{ … }}`` prints on ``line``."""
    if source is None:
        return []
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return []
    found = []
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            path = _dotted(node)
            if node.lineno == line and path is not None and path not in found:
                found.append(path)
    return found


def _last_part(node: nodes.Node) -> object:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return node.arg.value
    return None


def _dotted(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        base = _dotted(node.node)
        part = _last_part(node)
        if base is None or part is None:
            return None
        return f"{base}.{part}" if isinstance(part, str) else f"{base}[{part!r}]"
    return None


# --------------------------------------------------------------------------------------------
# Formats


@functools.cache
def _markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # CommonMark plus tables; raw HTML in the Markdown is shown as text, never passed through.
    return MarkdownIt("commonmark", {"html": False, "xhtmlOut": False}).enable("table")


def parse_markdown(markdown: str) -> list[Token]:
    """The markdown-it block tokens of ``markdown`` (also used by the Word writer)."""
    tokens = _markdown_parser().parse(markdown)
    for token in tokens:
        if token.type == "th_open":
            token.attrSet("scope", "col")
    return tokens


_CSS = """\
:root { color: #0b0c0c; background: #fff; }
body { font: 12pt/1.45 Arial, Helvetica, sans-serif; max-width: 46em; margin: 0 auto;
  padding: 1em 1.5em; }
.marking { text-align: center; font-weight: bold; letter-spacing: 0.05em; margin: 0.5em 0; }
h1, h2, h3, h4 { line-height: 1.25; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #0b0c0c; padding: 0.3em 0.5em; text-align: left;
  vertical-align: top; }
th { background: #f3f2f1; }
tr { break-inside: avoid; }
td:empty::after { content: ""; display: inline-block; width: 8em; }
code, pre { font-family: "Courier New", monospace; }
hr { border: 0; border-top: 1px solid #b1b4b6; margin: 2em 0; }
@page { size: A4; margin: 20mm 18mm;
  @top-center { content: "{marking}"; font: bold 10pt Arial, sans-serif; }
  @bottom-center { content: "{marking}"; font: bold 10pt Arial, sans-serif; } }
@page :first { @top-center { content: none; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; }
  hr { break-after: page; visibility: hidden; margin: 0; }
}
"""


def _css_string(text: str) -> str:
    """``text`` safe inside a double-quoted CSS string within a ``<style>`` element."""
    return "".join(c if c.isalnum() or c in " -_.,:;()/'" else f"\\{ord(c):x} " for c in text)


def _label_tables(tokens: list[Token]) -> list[Token]:
    """Each table named, for a screen reader's list of tables, by the heading it comes under
    (``aria-labelledby``; that heading gets an ``id``), as a caption would, without printing
    the heading twice."""
    heading: Token | None = None
    named = 0
    for token in tokens:
        if token.type == "heading_open":
            heading = token
        elif token.type == "table_open" and heading is not None:
            if heading.attrGet("id") is None:
                named += 1
                heading.attrSet("id", f"table-heading-{named}")
            token.attrSet("aria-labelledby", str(heading.attrGet("id")))
    return tokens


def to_html(
    markdown: str, *, title: str, marking: str, charts: Mapping[str, BarChart] | None = None
) -> str:
    """A standalone, printable HTML5 page (A4, the protective marking on every printed page);
    ``![…](chart:key)`` images become inline SVG charts (:mod:`irp_cli.documents.charts`)."""
    import html  # here: with it html.entities, over a millisecond of every Markdown document

    tokens = _label_tables(parse_markdown(markdown))
    body = _markdown_parser().renderer.render(tokens, _markdown_parser().options, {})
    if charts:
        from irp_cli.documents.charts import charts_as_svg

        body = charts_as_svg(body, charts)
    mark = html.escape(marking)
    css = _CSS.replace("{marking}", _css_string(marking))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}</style>\n</head>\n<body>\n"
        f'<header class="marking"><p>{mark}</p></header>\n'
        f"<main>\n{body}</main>\n"
        f'<footer class="marking"><p>{mark}</p></footer>\n'
        "</body>\n</html>\n"
    )


def to_docx(
    markdown: str,
    *,
    title: str,
    marking: str,
    timestamp: datetime | None = None,
    letterhead: Path | None = None,
    charts: Mapping[str, BarChart] | None = None,
    logo_text: str | None = None,
) -> bytes:
    """A Word document built from the same Markdown (see :mod:`irp_cli.documents.word`), on
    the office's ``letterhead`` document when one is given (``logo_text`` the alt text of a
    picture in it that has none), with the ``charts`` it places."""
    from irp_cli.documents.word import LOGO_TEXT, build, read_letterhead

    return build(
        parse_markdown(markdown),
        title=title,
        marking=marking,
        timestamp=timestamp or FIXED_TIMESTAMP,
        letterhead=read_letterhead(letterhead) if letterhead is not None else None,
        charts=charts,
        logo_text=logo_text or LOGO_TEXT,
    )


def render_document(
    template_name: str,
    context: Mapping[str, Any],
    fmt: Format,
    *,
    title: str,
    marking: str,
    user_dir: Path | None = None,
    builtin_dir: Path | None = None,
    timestamp: datetime | None = None,
    letterhead: Path | None = None,
    logo_text: str | None = None,
) -> str | bytes:
    """Render a template in one format: ``str`` for md and html, ``bytes`` for docx (on the
    ``letterhead`` document, if given, ``logo_text`` the alt text of its logo). The context's
    ``charts`` (if any) are drawn where the template places them."""
    markdown = render_text(template_name, context, user_dir=user_dir, builtin_dir=builtin_dir)
    return convert(
        markdown,
        fmt,
        title=title,
        marking=marking,
        timestamp=timestamp,
        letterhead=letterhead,
        charts=context.get("charts") or None,
        logo_text=logo_text,
    )


def convert(
    markdown: str,
    fmt: Format,
    *,
    title: str,
    marking: str,
    timestamp: datetime | None = None,
    letterhead: Path | None = None,
    charts: Mapping[str, BarChart] | None = None,
    logo_text: str | None = None,
) -> str | bytes:
    """Rendered Markdown in one format, with its ``![…](chart:key)`` charts drawn."""
    if fmt == "md":
        if charts:
            from irp_cli.documents.charts import charts_as_text

            return charts_as_text(markdown, charts)
        return markdown
    if fmt == "html":
        return to_html(markdown, title=title, marking=marking, charts=charts)
    return to_docx(
        markdown,
        title=title,
        marking=marking,
        timestamp=timestamp,
        letterhead=letterhead,
        charts=charts,
        logo_text=logo_text,
    )


def list_templates(user_dir: Path | None = None, *, builtin_dir: Path | None = None) -> list[str]:
    """Names of the templates that can be rendered, user ones included (no partials ``_*``)."""
    env = get_environment(user_dir, builtin_dir=builtin_dir)
    names: Iterable[str] = env.list_templates(filter_func=lambda n: n.endswith(".md.j2"))
    return sorted(
        {n for n in names if not n.startswith(f"{BUILTIN_PREFIX}/") and not _is_partial(n)}
    )


def _is_partial(name: str) -> bool:
    return name.rsplit("/", 1)[-1].startswith("_")
