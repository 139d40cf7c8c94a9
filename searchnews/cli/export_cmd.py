"""The ``export`` command: every article with its quotes, as JSON Lines or an OpenSearch bulk body (``export``)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from searchnews.cli.common import IndexOpt, _index_dir, _plural, app, example, fail, reports_errors


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    opensearch = "opensearch"


@app.command(
    "export",
    epilog=example(
        "searchnews export --output news.jsonl                     # JSON Lines: any engine, or `searchnews index`",
        "searchnews export --format opensearch --output bulk.ndjson  # and bulk.template.json beside it",
        "searchnews export --format jsonl | gzip > news.jsonl.gz",
    ),
)
@reports_errors
def export_command(
    index: IndexOpt = None,
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", help="jsonl (one article a line, with its quotes) or opensearch (a _bulk body)."),
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.", show_default=False)
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="opensearch: write the index template here [default: beside --output, NAME.template.json].",
            show_default=False,
        ),
    ] = None,
    name: Annotated[str, typer.Option("--name", help="opensearch: the index the bulk body fills.")] = "searchnews",
) -> None:
    """Every article of the index with its quotes, for other engines: JSON Lines, or an OpenSearch _bulk body and
    index template."""
    from searchnews import export
    from searchnews.engine import open_index

    if template is not None and fmt is not ExportFormat.opensearch:
        fail("--template goes with --format opensearch")
    news = open_index(_index_dir(index))
    if fmt is ExportFormat.opensearch and template is None and output is not None:
        template = output.with_name(output.name.split(".")[0] + ".template.json")
    progress = _Progress() if sys.stderr.isatty() else None
    try:
        if output is None:
            summary = export.export(news, sys.stdout, fmt.value, index_name=name, on_progress=_update(progress))
            sys.stdout.flush()
        else:
            summary = export.export_to_file(news, output, fmt.value, index_name=name, on_progress=_update(progress))
        if template is not None:
            export.write_template(template, name)
    except OSError as exc:
        where = exc.filename or output or "standard output"
        fail(f"cannot write {where}: {exc.strerror or exc}")
    finally:
        if progress is not None:
            progress.stop()
    written = f" to {output}" if output is not None else ""
    counts = f"{_plural(summary.articles, 'article')}, {_plural(summary.quotes, 'quote')}"
    typer.echo(f"exported {counts}{written}", err=True)
    if template is not None:
        typer.echo(f"index template: {template} (PUT _index_template/{name})", err=True)
    elif fmt is ExportFormat.opensearch:
        typer.echo("no index template written: --template FILE writes it", err=True)


def _update(progress: _Progress | None):
    return progress.update if progress is not None else None


class _Progress:
    """A progress bar on stderr for people at a terminal: articles written of the index's."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("exporting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("articles"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            refresh_per_second=4,
        )
        self.task = self.progress.add_task("export", total=None)
        self.progress.start()

    def update(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        self.progress.stop()
