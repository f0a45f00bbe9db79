"""First come, first served for the warehouse's one writer.

DuckDB lets one process write a database file at a time and gives no order to the ones that retry, so of
three loads started together a later one could take the lock first and the earliest time out. A writer
that finds the warehouse busy takes a ticket instead: a file in `<warehouse>.queue/` named by the time it
asked, and only the oldest ticket of a live process tries again. A writer that finds tickets already
waiting queues behind them even when the lock looks free. The one holding the warehouse says what it is in
`<warehouse>.writer` (`load 3`, its start time and process), which the others show while they wait.
Tickets and the holder note of processes that died are ignored and removed.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import time
from datetime import datetime
from pathlib import Path

_counter = itertools.count()


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WriteQueue:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.with_name(path.name + ".queue")
        self.note = path.with_name(path.name + ".writer")
        self.asked = time.time_ns()
        self.ticket: Path | None = None
        self.announced: str | None = None
        if self._waiting():
            self.join()  # others were here first: wait behind them

    def _waiting(self) -> list[Path]:
        """Live tickets, oldest first (a dead process's ticket is removed)."""
        try:
            tickets = sorted(self.folder.iterdir())
        except FileNotFoundError:
            return []
        alive = []
        for ticket in tickets:
            try:
                pid = int(ticket.name.split("-")[1])
            except (IndexError, ValueError):
                continue
            if _is_alive(pid):
                alive.append(ticket)
            else:
                ticket.unlink(missing_ok=True)
        return alive

    def join(self) -> None:
        if self.ticket is not None:
            return
        self.folder.mkdir(exist_ok=True)
        self.ticket = self.folder / f"{self.asked:020d}-{os.getpid()}-{next(_counter)}"
        self.ticket.touch()

    def is_my_turn(self) -> bool:
        waiting = self._waiting()
        if self.ticket is None:
            return not waiting
        return bool(waiting) and waiting[0] == self.ticket

    def leave(self) -> None:
        if self.ticket is None:
            return
        self.ticket.unlink(missing_ok=True)
        self.ticket = None
        try:
            self.folder.rmdir()  # only when no one else waits
        except OSError:
            pass

    def hold(self, description: str) -> None:
        """Say who holds the warehouse now; removed when this process ends."""
        note = {"what": description, "started": datetime.now().strftime("%H:%M"), "pid": os.getpid()}
        temporary = self.note.with_name(self.note.name + f".{os.getpid()}")
        temporary.write_text(json.dumps(note))
        os.replace(temporary, self.note)
        atexit.register(_forget, self.note, os.getpid())

    def holder(self) -> str | None:
        return current_holder(self.path)

    def announce(self, echo) -> None:
        """One line when this writer starts waiting, and again if what it waits for changes."""
        holder = self.holder() or f"another process using {self.path.name} (a load, or the app reading)"
        if holder != self.announced:
            echo(f"waiting for {holder}")
            self.announced = holder


def current_holder(path: Path) -> str | None:
    """`load 3 (started 14:02)` when a live process (not this one) says it holds the warehouse."""
    try:
        note = json.loads(path.with_name(path.name + ".writer").read_text())
        pid = int(note.get("pid", 0) or 0)
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    if not pid or pid == os.getpid() or not _is_alive(pid):
        return None
    return f"{note.get('what')} (started {note.get('started')})"


def _forget(note: Path, pid: int) -> None:
    try:
        if json.loads(note.read_text()).get("pid") == pid:
            note.unlink()
    except (OSError, ValueError, AttributeError):
        pass
