"""`journey render`: one output per input, written atomically."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace

import click

from .. import DEFAULT_THEME, THEMES, display_name
from . import interrupts
from .choices import Registered
from .inputs import complete_maps, inputs_of
from .outcome import Outcome, argument_text, describe_os_error, read_input, reason
from .streams import emit, say


@dataclass(frozen=True)
class RenderJob:
    source: str  # a path or "-"
    output: str | None  # None: standard output
    folder: str | None = None  # the output folder, to be made (with its parents) if missing


def plan_outputs(files: tuple[str, ...] | list[str], format_name: str, output: str | None, view: str | None = None,
                 below: dict[str, str] | None = None) -> list[RenderJob]:
    """Where each input's render goes (spec section 9).

    `-o -` is standard output. `-o` names a folder when it ends in `/`, is a folder, or is
    given several inputs (a folder given as input counts as several): each input goes in it
    as `<stem>.<extension>`, a map found in a sub-folder of an input folder in the same
    sub-folder there, and a missing folder is made when the first render is written. A folder
    name that is a file is refused (OutputRefused), never replaced. Without -o, text formats
    go to standard output and documents (images, the HTML report) next to their input.
    """
    from .. import find_output, names_a_folder

    below = below or {}
    chosen = find_output(format_name, view)
    extension = chosen.extension
    several = len(files) > 1 or bool(below)
    if output == "":
        raise click.UsageError("-o needs a file or folder name, or - for standard output")
    if output == "-":
        if several and chosen.binary:
            raise click.UsageError(f"{len(files)} {format_name.upper()} images cannot share standard "
                                   "output; give -o a folder")
        return [RenderJob(source, None) for source in files]

    def derived(source: str, folder: str | None) -> str:
        stem = "stdin" if source == "-" else os.path.splitext(os.path.basename(source))[0]
        folder = folder if folder is not None else (os.path.dirname(source) if source != "-" else "")
        return os.path.join(folder, f"{stem}.{extension}")

    if output is not None and (several or names_a_folder(output) or os.path.isdir(output)):
        missing = _folder_to_make(output)
        jobs = []
        for source in files:
            sub = below.get(source, "")
            folder = os.path.join(output, sub) if sub else output
            jobs.append(RenderJob(source, derived(source, folder), folder if sub else missing))
        return jobs
    jobs = []
    for source in files:
        if output is not None:
            jobs.append(RenderJob(source, output))
        elif chosen.to_terminal or source == "-":
            jobs.append(RenderJob(source, None))
        else:
            jobs.append(RenderJob(source, derived(source, None)))
    return jobs


def _folder_to_make(folder: str) -> str | None:
    """`folder` when it is missing, None when it is there; OutputRefused when a file is in
    the way (`afile/` or `afile/sub/` with `afile` a file)."""
    from .. import OutputRefused

    try:
        if os.path.isdir(folder):
            return None
        os.stat(folder)
    except NotADirectoryError:
        pass
    except OSError:  # missing; or unreachable, which making it will report
        return folder
    blocking = os.path.normpath(folder)
    while blocking and not os.path.lexists(blocking):
        blocking = os.path.dirname(blocking)
    raise OutputRefused(f"-o '{display_name(folder)}' needs a folder, and '{display_name(blocking or folder)}' "
                        "is a file; it is left as it is")


def render_job(job: RenderJob, format_name: str, options, include_root: str | None, outcome: Outcome) -> bool:
    """Compile and render one input; report problems to the outcome. True on success."""
    from .. import OutputRefused, RenderError, compile_text, render, write_atomic

    try:
        data = read_input(job.source)
    except OSError as error:
        outcome.trouble(describe_os_error(job.source, error), job.source)
        return False
    compilation = compile_text(data, job.source, include_root=include_root)
    if not outcome.diagnostics(compilation):
        outcome.input_failed(job.source)
        return False
    if compilation.base is not None:  # a future-state map: the views that compare read its base
        options = replace(options, base=compilation.base.journey)
    try:
        artifact = render(compilation.model(), format_name, options)
    except RenderError as error:
        outcome.trouble(f"{display_name(job.source)}: {error}", job.source)
        return False
    if job.output is None:
        emit(artifact)
        return True
    try:
        if job.folder is not None:
            os.makedirs(job.folder, exist_ok=True)
        with interrupts.held():  # a signal waits until the file is in place (or not)
            write_atomic(job.output, artifact)
    except OutputRefused as error:
        outcome.trouble(str(error), job.source)
        return False
    except OSError as error:
        outcome.trouble(f"cannot write '{display_name(job.output)}': {reason(error)}", job.source)
        return False
    return True


def _list_outputs(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`journey render --list`: every format and view, and what each cannot show."""
    if not value or ctx.resilient_parsing:
        return
    from .. import outputs

    rows = []
    for output in outputs():
        cannot = f" (cannot show: {', '.join(output.cannot)})" if output.cannot else ""
        needs = f" [needs {output.needs}]" if output.needs and output.needs != "graphviz" else ""
        rows.append((f"-f {output.format}" + (f" --view {output.view}" if output.view else ""),
                     f"{output.summary}{cannot}{needs}"))
    width = max(len(left) for left, _ in rows)
    say("\n".join(f"{left:<{width}}  {right}" for left, right in rows))
    ctx.exit(0)


@click.command("render")
@click.argument("files", nargs=-1, required=True, shell_complete=complete_maps)
@click.option("--list", "list_outputs", is_flag=True, expose_value=False, is_eager=True, callback=_list_outputs,
              help="List every format and view, what each shows, and exit.")
@click.option("-f", "--format", "format_name", type=Registered("formats"), default="svg", show_default=True,
              help="Output format (`journey render --list` tells what each can show).")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="Output file (one input), or folder (several inputs, or a name ending in /; "
                   "made if missing); - for standard output.")
@click.option("--view", type=Registered("views"), default=None,
              help="flow: the graph of touchpoints (the default); lanes: the classic journey-map grid; "
                   "blueprint: the service blueprint.")
@click.option("--persona", default=None, help="Keep only this persona's touchpoints.")
@click.option("--engine", type=click.Choice(["auto", "system", "wasm"]), default="auto", show_default=True,
              help="Graphviz engine: the installed `dot`, the embedded WebAssembly one, or auto.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds a Graphviz layout may take.")
@click.option("--theme", type=click.Choice(THEMES), default=DEFAULT_THEME, show_default=True,
              help="Colours: auto follows the reader's dark mode and the docs theme's switch "
                   "(PNG and PDF: light); light or dark fixes them.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Render this many files in parallel.")
@click.option("--include-root", type=click.Path(file_okay=False), default=None,
              help="Folder includes must stay inside (default: each map's own folder).")
@click.option("--compare", is_flag=True,
              help="A future-state map (extends ...): draw its base's emotion curve dashed under its own, and "
                   "each stage's change (lanes view, the default with --compare; html).")
def command(files, format_name, output, view, persona, engine, timeout, theme, jobs, include_root, compare) -> None:
    """Render FILES ('-' for standard input).

    FILES may be folders: every .journey file under one is rendered (recursively, in name
    order). Without -o, text formats (dot, mermaid, mermaid-journey, json, text) go to
    standard output, and images and the HTML report are written next to each input
    (x.journey -> x.svg, x.html).
    """
    from .. import OutputRefused, RenderError, RenderOptions, check_outputs

    outcome = Outcome()
    if compare:
        view = _compare_view(view)
    found, below, empty = inputs_of(files)
    for folder in empty:
        outcome.trouble(f"no .journey files in '{display_name(folder)}'", folder)
    if not found:
        outcome.exit()
    try:
        plan = plan_outputs(found, format_name, output, view, below)
        check_outputs([(job.source, job.output) for job in plan if job.output is not None])
    except (RenderError, OutputRefused) as error:
        outcome.trouble(str(error))
        outcome.exit()
    options = RenderOptions(view=view, persona=argument_text(persona), engine=engine, timeout=timeout, theme=theme,
                            compare=compare)
    if jobs > 1 and len(plan) > 1 and all(job.output is not None for job in plan):
        _render_in_parallel(plan, format_name, options, include_root, outcome, jobs)
    else:
        for job in plan:
            render_job(job, format_name, options, include_root, outcome)
    if len(plan) > 1 and outcome.failed:
        names = ", ".join(display_name(name) for name in outcome.failed)
        say(f"journey: {len(outcome.failed)} of {len(plan)} maps failed: {names}", err=True)
    outcome.exit()


def _compare_view(view: str | None) -> str:
    """--compare draws on the lanes view: the view it implies, or a usage error for another."""
    if view not in (None, "lanes"):
        raise click.UsageError(f"--compare draws on the lanes view, not the {view} view")
    return "lanes"


def _worker_started(journey: int, start_method: str) -> None:
    """In each -j worker: die with `journey` (SIGTERM, so the worker still stops its `dot`
    and removes its temporary file), stop on SIGTERM, and leave Ctrl-C to `journey`, which
    stops the workers itself (a terminal sends SIGINT to every process in the group)."""
    import signal

    from .. import death_signal

    interrupts.install((signal.SIGTERM,))
    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    # A forkserver, not `journey`, is the parent of its workers; it ends when `journey` does.
    arm = death_signal(signal.SIGTERM, os.getppid() if start_method == "forkserver" else journey)
    if arm is not None:
        arm()


def _render_worker(job: RenderJob, format_name: str, options, include_root: str | None):
    """One file in a worker process: its exit status, failed inputs, and what it printed."""
    import contextlib
    import io

    outcome = Outcome()
    errors = io.StringIO()
    try:
        with contextlib.redirect_stderr(errors):
            render_job(job, format_name, options, include_root, outcome)
    except interrupts.Stopped as stop:
        os._exit(stop.status)  # `dot` is stopped and the temporary file removed by now
    return outcome.status, outcome.failed, errors.getvalue()


def _render_in_parallel(plan, format_name, options, include_root, outcome: Outcome, workers: int) -> None:
    """Render in worker processes; a broken file never stops the others. A progress bar on a
    terminal, plain lines in CI logs; each file's messages are printed whole, in input order.
    Stopped by a signal, `journey` stops its workers (and so their `dot`s) before it exits."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context()
    interactive = sys.stderr is not None and sys.stderr.isatty()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_started,
                               initargs=(os.getpid(), context.get_start_method()))
    try:
        futures = [pool.submit(_render_worker, job, format_name, options, include_root) for job in plan]
        with click.progressbar(length=len(futures), label="rendering", file=sys.stderr,
                               hidden=not interactive) as bar:
            for job, future in zip(plan, futures):
                try:
                    status, failed, messages = future.result()
                except BrokenProcessPool:  # a worker was killed (out of memory, or by someone)
                    outcome.trouble(f"{display_name(job.source)}: the render worker stopped before it "
                                    "finished", job.source)
                    bar.update(1)
                    continue
                if messages:
                    if interactive:  # the bar's line is cleared first, and drawn again below them
                        say("\r\x1b[2K", err=True, nl=False)
                    say(messages, err=True, nl=False)
                elif not interactive and not failed:
                    say(f"rendered {display_name(job.source)} -> {display_name(job.output)}", err=True)
                outcome.status = max(outcome.status, status)
                outcome.failed.extend(failed)
                bar.update(1)
    except BaseException:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _stop_workers(pool, grace: float = 5.0) -> None:
    """SIGTERM to every worker, then SIGKILL to any still running after `grace` seconds."""
    import time

    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
