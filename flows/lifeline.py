"""Processes a run starts die with it: the kernel signals each when the process that started it
dies, even by SIGKILL or the OOM killer, which run no clean-up of their own (Linux only; a no-op
elsewhere)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, how: int = signal.SIGKILL) -> None:
    """Asks the kernel to send `how` to this process when its parent dies; exits at once if
    the parent `parent_pid` is already gone (it may die before the request is made)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, int(how), 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)


def pool_worker(parent_pid: int) -> None:
    """The initializer of a local worker process: it holds nothing that a SIGKILL could spoil."""
    die_with_parent(parent_pid, signal.SIGKILL)


def main(argv: list[str]) -> None:
    """`python -m flows.lifeline PARENT_PID COMMAND...`: COMMAND, in this process, signalled
    (SIGTERM, so a server can close its database) when PARENT_PID dies. The request outlives
    the exec."""
    parent_pid, command = int(argv[0]), argv[1:]
    die_with_parent(parent_pid, signal.SIGTERM)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
