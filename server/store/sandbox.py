"""Confinement of the store's child processes (query workers, the update writer, the store builder).

`confine()` is the first thing each child runs. It makes the child
- die with the server, so that a kill -9 of the server alone leaves no writer behind to write
  into a data directory a restarted server owns (issue 14). A child's parent is multiprocessing's
  forkserver, not the server, and the forkserver outlives the server for as long as any of its
  children runs (each child holds the forkserver's "alive" pipe): PR_SET_PDEATHSIG (prctl(2))
  alone let an update writer run on to its end after the server died. So a child also watches
  its pipe to the server (the lifeline; only the server holds the other end) and exits as soon
  as that end closes, however the server died; PR_SET_PDEATHSIG covers the forkserver dying;
- unable to open a network socket: the engine runs SERVICE and LOAD itself (pyoxigraph has no
  switch, NOTES.md), so a gap in the request checks (server.sparql.lexer) must not become a
  request to another host. A seccomp filter (seccomp(2), a classic BPF program built here with
  ctypes, no native dependency) makes socket(2) fail with EACCES for every family but AF_UNIX
  (the pipes to the server), and io_uring_setup(2) too (it can create sockets). The filter is
  inherited by every thread and cannot be lifted. Python's own `socket.socket` refuses as well,
  with a readable message, and on a kernel or machine without seccomp it is the only guard
  (`confine()` says which guards hold).
"""
import ctypes
import errno
import os
import platform
import select
import signal
import socket
import struct
import threading

PR_SET_PDEATHSIG = 1
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_SET_MODE_FILTER = 1
SECCOMP_FILTER_FLAG_TSYNC = 1
SECCOMP_RET_ALLOW = 0x7FFF0000
SECCOMP_RET_ERRNO = 0x00050000
X32_SYSCALL_BIT = 0x40000000
# machine -> (AUDIT_ARCH_*, socket, seccomp, io_uring_setup) syscall numbers (linux/audit.h, unistd.h)
_ARCH = {
    "x86_64": (0xC000003E, 41, 317, 425),
    "aarch64": (0xC00000B7, 198, 277, 425),
}
# BPF opcodes (linux/filter.h)
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06


class SocketDenied(PermissionError):
    pass


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def die_with_parent(parent: int | None = None) -> None:
    """SIGKILL when the parent exits; exit at once if it already has (the race before prctl).

    parent: the process id the caller was started by (default: its parent now). The signal is
    sent when the parent's *thread* that forked this process ends, so the caller must be forked
    by a thread that lives as long as its process (a main thread, a forkserver).
    """
    parent = os.getppid() if parent is None else parent
    if _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)


_HANGUP = select.POLLRDHUP | select.POLLHUP | select.POLLERR | select.POLLNVAL


def exit_with_server(lifeline: int) -> None:
    """Exit at once when the peer of the socket `lifeline` (a multiprocessing Pipe) closes.

    A thread blocked in poll(2) for POLLRDHUP only: jobs arriving on the same pipe do not wake it.
    """
    poller = select.poll()
    poller.register(lifeline, select.POLLRDHUP)

    def watch() -> None:
        while not any(events & _HANGUP for _, events in poller.poll()):
            pass
        os._exit(1)
    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def _filter_program(arch: int, nr_socket: int, nr_io_uring: int) -> bytes:
    """socket(!AF_UNIX), io_uring_setup, x32 and foreign-ABI calls -> EACCES; everything else allowed.

    Offsets into struct seccomp_data: nr at 0, arch at 4, args[0] (low half, little-endian) at 16.
    """
    deny = SECCOMP_RET_ERRNO | errno.EACCES
    program = [
        (_LD_W_ABS, 0, 0, 4), (_JEQ_K, 1, 0, arch), (_RET_K, 0, 0, deny),
        (_LD_W_ABS, 0, 0, 0), (_JGE_K, 0, 1, X32_SYSCALL_BIT), (_RET_K, 0, 0, deny),
        (_JEQ_K, 0, 1, nr_io_uring), (_RET_K, 0, 0, deny),
        (_JEQ_K, 0, 3, nr_socket), (_LD_W_ABS, 0, 0, 16), (_JEQ_K, 1, 0, socket.AF_UNIX), (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return b"".join(struct.pack("=HBBI", *insn) for insn in program)


def deny_network_syscalls() -> bool:
    """Install the seccomp filter; False where this machine or kernel offers none."""
    numbers = _ARCH.get(platform.machine())
    if numbers is None:
        return False
    arch, nr_socket, nr_seccomp, nr_io_uring = numbers
    code = _filter_program(arch, nr_socket, nr_io_uring)
    insns = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
    prog = SockFprog(len(code) // 8, ctypes.addressof(insns))
    libc = _libc()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.syscall(nr_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(prog)) == 0


class _UnixOnlySocket(socket.socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family != socket.AF_UNIX:
            raise SocketDenied(errno.EACCES, "this process may not open network sockets (server.store.sandbox)")
        super().__init__(family, type, proto, fileno)


def deny_python_sockets() -> None:
    socket.socket = _UnixOnlySocket  # create_connection and urllib look the class up here at call time


def confine(lifeline) -> dict:
    """Call first in every store child process; returns which guards are in force.

    lifeline: the child's end of its Pipe to the server; the child exits when the server's end closes.
    """
    die_with_parent()
    exit_with_server(lifeline.fileno())
    deny_python_sockets()
    return {"pdeathsig": True, "lifeline": True, "seccomp": deny_network_syscalls(), "python": True}
