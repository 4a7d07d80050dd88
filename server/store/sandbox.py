"""Confinement of the store's child processes (query workers, the update writer, the store builder).

`confine()` is the first thing each child runs. It makes the child
- die with the server, so that a kill -9 of the server alone leaves no writer behind to write
  into a data directory a restarted server owns. A child's parent is multiprocessing's
  forkserver, not the server, and the forkserver outlives the server for as long as any of its
  children runs (each child holds the forkserver's "alive" pipe): PR_SET_PDEATHSIG (prctl(2))
  alone let an update writer run on to its end after the server died. So a child also watches
  its pipe to the server (the lifeline; only the server holds the other end) and exits as soon
  as that end closes, however the server died; PR_SET_PDEATHSIG covers the forkserver dying;
- unable to reach any host the operator did not allow: the engine runs SERVICE and LOAD itself
  (pyoxigraph has no switch), so a gap in the request checks (server.sparql.lexer) must
  not become a request to another host.
  - With no allow list (the default), a seccomp filter (seccomp(2), a classic BPF program built
    here with ctypes, no native dependency) makes socket(2) fail with EACCES for every family but
    AF_UNIX (the pipes to the server), and io_uring_setup(2) too (it can create sockets).
  - With `--allow-service` targets, the filter lets AF_INET and AF_INET6 sockets through as well,
    and Landlock (landlock(7), Linux 6.7+, ABI 4) lets TCP connect only to the allowed targets'
    ports and bind to none. seccomp cannot read connect(2)'s address (a pointer into user memory),
    and Landlock's network rules name ports, not addresses: the allowed *hosts* are enforced by the
    request checks alone; the kernel bounds a gap in them to the allowed ports. UDP (the resolver's
    DNS lookups for SERVICE host names) is not restricted.
  Both are inherited by every thread and cannot be lifted. Python's own `socket.socket` refuses the
  same families, with a readable message, and on a kernel or machine without seccomp it is the only
  guard (`confine()` says which guards hold).
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
import urllib.parse

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
# Landlock (linux/landlock.h): the same syscall numbers on every architecture
_LANDLOCK_CREATE_RULESET, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT_SELF = 444, 445, 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_NET_PORT = 2
_LANDLOCK_ACCESS_NET_BIND_TCP, _LANDLOCK_ACCESS_NET_CONNECT_TCP = 1, 2
_LANDLOCK_NET_ABI = 4  # the first ABI with network rules
NETWORK_FAMILIES = (socket.AF_INET, socket.AF_INET6)
DEFAULT_PORTS = {"http": 80, "https": 443}


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


def _no_new_privs() -> bool:
    """Needed by both seccomp and Landlock without CAP_SYS_ADMIN."""
    return _libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0


def _filter_program(arch: int, nr_socket: int, nr_io_uring: int, families: tuple[int, ...]) -> bytes:
    """socket() of a family but AF_UNIX and `families`, io_uring_setup, x32 and foreign-ABI calls -> EACCES.

    Offsets into struct seccomp_data: nr at 0, arch at 4, args[0] (low half, little-endian) at 16.
    """
    deny = SECCOMP_RET_ERRNO | errno.EACCES
    allowed = (socket.AF_UNIX, *families)
    n = len(allowed)
    program = [
        (_LD_W_ABS, 0, 0, 4), (_JEQ_K, 1, 0, arch), (_RET_K, 0, 0, deny),
        (_LD_W_ABS, 0, 0, 0), (_JGE_K, 0, 1, X32_SYSCALL_BIT), (_RET_K, 0, 0, deny),
        (_JEQ_K, 0, 1, nr_io_uring), (_RET_K, 0, 0, deny),
        # not socket(): jump over the family checks to ALLOW; a listed family jumps over the DENY
        (_JEQ_K, 0, n + 2, nr_socket), (_LD_W_ABS, 0, 0, 16),
        *[(_JEQ_K, n - i, 0, family) for i, family in enumerate(allowed)],
        (_RET_K, 0, 0, deny),
        (_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    return b"".join(struct.pack("=HBBI", *insn) for insn in program)


def deny_network_syscalls(families: tuple[int, ...] = ()) -> bool:
    """Install the seccomp filter (sockets of AF_UNIX and `families` only); False where there is none."""
    numbers = _ARCH.get(platform.machine())
    if numbers is None:
        return False
    arch, nr_socket, nr_seccomp, nr_io_uring = numbers
    code = _filter_program(arch, nr_socket, nr_io_uring, families)
    insns = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
    prog = SockFprog(len(code) // 8, ctypes.addressof(insns))
    if not _no_new_privs():
        return False
    return _libc().syscall(nr_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, ctypes.byref(prog)) == 0


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64)]


class _NetPortAttr(ctypes.Structure):
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


def connect_only_to_ports(ports: set[int], bind: set[int] = frozenset()) -> bool:
    """Landlock: TCP connect to `ports` only, bind to `bind` only (default none); False where the
    kernel has no network rules."""
    libc = _libc()
    if libc.syscall(_LANDLOCK_CREATE_RULESET, None, 0, _LANDLOCK_CREATE_RULESET_VERSION) < _LANDLOCK_NET_ABI:
        return False
    attr = _RulesetAttr(0, _LANDLOCK_ACCESS_NET_BIND_TCP | _LANDLOCK_ACCESS_NET_CONNECT_TCP)
    fd = libc.syscall(_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.sizeof(attr), 0)
    if fd < 0:
        return False
    try:
        for port in sorted(ports):
            rule = _NetPortAttr(_LANDLOCK_ACCESS_NET_CONNECT_TCP, port)
            if libc.syscall(_LANDLOCK_ADD_RULE, fd, _LANDLOCK_RULE_NET_PORT, ctypes.byref(rule), 0) != 0:
                return False
        for port in sorted(bind):
            rule = _NetPortAttr(_LANDLOCK_ACCESS_NET_BIND_TCP, port)
            if libc.syscall(_LANDLOCK_ADD_RULE, fd, _LANDLOCK_RULE_NET_PORT, ctypes.byref(rule), 0) != 0:
                return False
        return _no_new_privs() and libc.syscall(_LANDLOCK_RESTRICT_SELF, fd, 0) == 0
    finally:
        os.close(fd)


def service_ports(targets: list[str]) -> set[int]:
    """The TCP ports of the allowed SERVICE/LOAD IRIs (the engine speaks HTTP(S) only)."""
    ports = set()
    for iri in targets:
        parts = urllib.parse.urlsplit(iri)
        try:
            port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
        except ValueError:  # not a port number: the engine cannot call it either
            continue
        if port:
            ports.add(port)
    return ports


class _ConfinedSocket(socket.socket):
    families: tuple[int, ...] = ()

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family != socket.AF_UNIX and family not in self.families:
            raise SocketDenied(errno.EACCES, "this process may not open network sockets (server.store.sandbox)")
        super().__init__(family, type, proto, fileno)


def deny_python_sockets(families: tuple[int, ...] = ()) -> None:
    _ConfinedSocket.families = families
    socket.socket = _ConfinedSocket  # create_connection and urllib look the class up here at call time


def confine(lifeline, services: list[str] | tuple[str, ...] = ()) -> dict:
    """Call first in every store child process; returns which guards are in force.

    lifeline: the child's end of its Pipe to the server; the child exits when the server's end closes.
    services: the operator's allowed SERVICE/LOAD IRIs (SERVICE_ALLOW_LIST); none: no network at all.
    """
    die_with_parent()
    exit_with_server(lifeline.fileno())
    ports = service_ports(list(services))
    families = NETWORK_FAMILIES if ports else ()
    deny_python_sockets(families)
    guards = {"pdeathsig": True, "lifeline": True, "seccomp": deny_network_syscalls(families), "python": True}
    if ports:
        guards["landlock"] = connect_only_to_ports(ports)
    return guards
