"""A server's process tree read from /proc: which processes it had, and whether any still runs.

A process is named by (pid, start time), so a pid the kernel hands out again is not mistaken for
the one seen before; a zombie has exited (it only waits to be reaped) and counts as gone.
"""
import time
from pathlib import Path

PROC = Path("/proc")


def _stat(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # after "pid (comm) ": state is field 3 of stat(5)


def identity(pid: int) -> tuple[int, str] | None:
    fields = _stat(pid)
    return None if fields is None else (pid, fields[19])  # starttime, field 22 of stat(5)


def running(process: tuple[int, str]) -> bool:
    fields = _stat(process[0])
    return fields is not None and fields[19] == process[1] and fields[0] not in "ZX"


def children(pid: int) -> list[int]:
    found = []
    for task in (PROC / str(pid) / "task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def tree(pid: int) -> set[tuple[int, str]]:
    """The process and all its descendants now."""
    seen, todo = set(), [pid]
    while todo:
        p = todo.pop()
        me = identity(p)
        if me is not None and me not in seen:
            seen.add(me)
            todo += children(p)
    return seen


def cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def mentioning(text: str) -> set[tuple[int, str]]:
    """Running processes whose command line contains `text` (a data directory, say)."""
    found = set()
    for entry in PROC.iterdir():
        if entry.name.isdigit() and text in cmdline(int(entry.name)):
            me = identity(int(entry.name))
            if me is not None and running(me):
                found.add(me)
    return found


def describe(process: tuple[int, str]) -> str:
    fields = _stat(process[0]) or ["?", "?"]
    return f"pid {process[0]} (state {fields[0]}, parent {fields[1]}): {cmdline(process[0])[:120]}"


# A killed server's processes were all gone 72-188 ms after its kill -9 (tests load this machine);
# an orphaned update writer used to run on to the end of its update, seconds later.
GONE_WITHIN_S = 2.0


def survivors(known: set[tuple[int, str]], text: str | None = None, within: float = GONE_WITHIN_S) -> list[str]:
    """What of `known`, or mentions `text`, still runs after `within` seconds (at once when nothing does)."""
    deadline = time.monotonic() + within
    while True:
        left = {p for p in known if running(p)} | (mentioning(text) if text else set())
        if not left or time.monotonic() > deadline:
            return [describe(p) for p in sorted(left)]
        time.sleep(0.1)
