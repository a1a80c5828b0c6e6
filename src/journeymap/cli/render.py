"""`journey render`: one output per input, written atomically."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import click

from .outcome import Outcome, describe_os_error, read_input

FORMAT_NAMES = ["svg", "png", "pdf", "dot", "mermaid", "mermaid-journey", "json", "html"]


@dataclass(frozen=True)
class RenderJob:
    source: str  # a path or "-"
    output: str | None  # None: standard output


def plan_outputs(files: tuple[str, ...], format_name: str, output: str | None, view: str = "flow") -> list[RenderJob]:
    """Where each input's render goes (spec section 9)."""
    from ..renderers import TEXT_FORMATS, backend_for

    extension = backend_for(format_name, view).EXTENSION
    several = len(files) > 1

    def derived(source: str, folder: str | None) -> str:
        stem = "stdin" if source == "-" else os.path.splitext(os.path.basename(source))[0]
        folder = folder if folder is not None else (os.path.dirname(source) if source != "-" else "")
        return os.path.join(folder, f"{stem}.{extension}")

    jobs = []
    for source in files:
        if output is not None:
            if several or os.path.isdir(output):
                jobs.append(RenderJob(source, derived(source, output)))
            else:
                jobs.append(RenderJob(source, output))
        elif format_name in TEXT_FORMATS or source == "-":
            jobs.append(RenderJob(source, None))
        else:
            jobs.append(RenderJob(source, derived(source, None)))
    return jobs


def render_job(job: RenderJob, format_name: str, options, include_root: str | None, outcome: Outcome) -> bool:
    """Compile and render one input; report problems to the outcome. True on success."""
    from .. import compile_text, render
    from ..renderers import BackendError
    from ..files import OutputRefused, write_atomic

    try:
        data = read_input(job.source)
    except OSError as error:
        outcome.trouble(describe_os_error(job.source, error), job.source)
        return False
    compilation = compile_text(data, job.source, include_root=include_root)
    if not outcome.diagnostics(compilation):
        outcome.input_failed(job.source)
        return False
    try:
        artifact = render(compilation.journey, format_name, options)
    except BackendError as error:
        outcome.trouble(f"{job.source}: {error}", job.source)
        return False
    if job.output is None:
        stream = sys.stdout.buffer
        stream.write(artifact)
        stream.flush()
        return True
    try:
        write_atomic(job.output, artifact)
    except OutputRefused as error:
        outcome.trouble(str(error), job.source)
        return False
    except OSError as error:
        outcome.trouble(f"cannot write '{job.output}': {(error.strerror or str(error)).lower()}", job.source)
        return False
    return True


@click.command("render")
@click.argument("files", nargs=-1, required=True)
@click.option("-f", "--format", "format_name", type=click.Choice(FORMAT_NAMES), default="svg", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="Output file (one input) or folder (several inputs).")
@click.option("--view", type=click.Choice(["flow", "lanes"]), default="flow", show_default=True,
              help="flow: the graph of touchpoints; lanes: the classic journey-map grid.")
@click.option("--persona", default=None, help="Keep only this persona's touchpoints.")
@click.option("--engine", type=click.Choice(["auto", "system", "wasm"]), default="auto", show_default=True,
              help="Graphviz engine: the installed `dot`, the embedded WebAssembly one, or auto.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds a Graphviz layout may take.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Render this many files in parallel.")
@click.option("--include-root", type=click.Path(file_okay=False), default=None,
              help="Folder includes must stay inside (default: each map's own folder).")
def command(files, format_name, output, view, persona, engine, timeout, jobs, include_root) -> None:
    """Render FILES ('-' for standard input).

    Without -o, text formats (dot, mermaid, mermaid-journey, json, html) go to standard
    output and images are written next to each input (x.journey -> x.svg).
    """
    from ..renderers import BackendError, RenderOptions
    from ..files import OutputRefused, check_outputs

    outcome = Outcome()
    try:
        plan = plan_outputs(files, format_name, output, view)
        check_outputs([(job.source, job.output) for job in plan if job.output is not None])
    except (BackendError, OutputRefused) as error:
        outcome.trouble(str(error))
        outcome.exit()
    options = RenderOptions(view=view, persona=persona, engine=engine, timeout=timeout)
    if jobs > 1 and len(plan) > 1 and all(job.output is not None for job in plan):
        _render_in_parallel(plan, format_name, options, include_root, outcome, jobs)
    else:
        for job in plan:
            render_job(job, format_name, options, include_root, outcome)
    if len(plan) > 1 and outcome.failed:
        click.echo(f"journey: {len(outcome.failed)} of {len(plan)} maps failed: {', '.join(outcome.failed)}", err=True)
    outcome.exit()


def _render_worker(job: RenderJob, format_name: str, options, include_root: str | None):
    """One file in a worker process: its exit status, failed inputs, and what it printed."""
    import contextlib
    import io

    outcome = Outcome()
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        render_job(job, format_name, options, include_root, outcome)
    return outcome.status, outcome.failed, errors.getvalue()


def _render_in_parallel(plan, format_name, options, include_root, outcome: Outcome, workers: int) -> None:
    """Render in worker processes; a broken file never stops the others. A progress bar on a
    terminal, plain lines in CI logs; each file's messages are printed whole, in input order."""
    from concurrent.futures import ProcessPoolExecutor

    interactive = sys.stderr.isatty()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_render_worker, job, format_name, options, include_root) for job in plan]
        with click.progressbar(length=len(futures), label="rendering", file=sys.stderr,
                               hidden=not interactive) as bar:
            for job, future in zip(plan, futures):
                status, failed, messages = future.result()
                if messages:
                    click.echo(messages, err=True, nl=False)
                elif not interactive and not failed:
                    click.echo(f"rendered {job.source} -> {job.output}", err=True)
                outcome.status = max(outcome.status, status)
                outcome.failed.extend(failed)
                bar.update(1)
