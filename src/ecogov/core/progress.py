"""Progress bars on the command line (docs/jobs.md): the long commands (`ecogov import_ledger`,
`airquality import`, `draw verify`, `summary`) run their work inside `bar(self.stderr)`; the
work says where it is with `jobs.report(stage, done, total)` — the same calls that move a
background job's bar on its page — and on a terminal that draws a bar (rich). When the stream
is no terminal (a pipe, a file, cron's mail) nothing of the bar is written.
"""

from __future__ import annotations

import contextlib
import sys

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ecogov.core import jobs


@contextlib.contextmanager
def bar(stream=None, *, console: Console | None = None):
    """`jobs.report` draws a bar on `stream` (default stderr) while the block runs, if it is a
    terminal; `console` is a rich Console to draw on instead (tests: force_terminal=True)."""
    if console is None:
        out = stream if stream is not None else sys.stderr
        console = Console(file=getattr(out, "_out", out))  # a command's OutputWrapper: its stream
    if not console.is_terminal:
        yield
        return
    shown = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    )
    current: dict = {}

    def sink(stage: str, done: int | None, total: int | None) -> None:
        task = current.get("task")
        if task is None or current.get("stage") != stage:
            if task is not None:  # the stage before ended
                finished = shown.tasks[-1]
                if finished.total:
                    shown.update(task, completed=finished.total)
            task = current["task"] = shown.add_task(stage, total=total or None)
            current["stage"] = stage
        shown.update(task, completed=done or 0, total=total or None)

    token = jobs._sink.set(sink)
    try:
        with shown:
            yield
            task = current.get("task")
            if task is not None and shown.tasks[-1].total:  # the last stage ended too
                shown.update(task, completed=shown.tasks[-1].total)
    finally:
        jobs._sink.reset(token)
