"""A TCP proxy on 127.0.0.1 that injects the faults a database failover shows a client.

    proxy = FaultProxy("127.0.0.1", 5432)   # listens on 127.0.0.1:proxy.port
    proxy.set_mode("silent")                 # accept, hold every byte, never answer
    proxy.set_mode("refuse")                 # reset every connection, new ones at once
    proxy.set_mode("pass")                   # forward again
    proxy.lose_reply_to(b"COMMIT")           # once: forward the request holding these bytes,
                                             # then reset instead of forwarding its answer
    proxy.close()

Modes:
    pass     forward both ways.
    silent   new connections are accepted and never answered; open ones stop forwarding in
             both directions (the bytes wait in the kernel): a failover's black hole, or a
             NAT entry dropped while the connection sat idle.
    refuse   every open connection and every new one is reset (RST): the server is down.
Any change of mode other than pass -> silent resets the open connections, as a server that
comes back after a failover knows none of the old ones.

Threads, one per direction and connection, each polling every 50 ms, so `close()` stops
everything within about that; only 127.0.0.1 is ever bound.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from typing import Literal

Mode = Literal["pass", "silent", "refuse"]
_POLL_S = 0.05


def _reset(sock: socket.socket) -> None:
    """Close with an RST rather than a FIN (SO_LINGER on, time 0), as a crashed server does."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class _Link:
    def __init__(self, client: socket.socket, upstream: socket.socket | None) -> None:
        self.client, self.upstream = client, upstream
        self.closed = threading.Event()
        self.lose_next_reply = False  # the server applied a request whose answer must be lost

    def reset(self) -> None:
        self.closed.set()
        _reset(self.client)
        if self.upstream is not None:
            _reset(self.upstream)


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_POLL_S)
        self.port: int = self._listener.getsockname()[1]
        self._mode: Mode = "pass"
        self._links: set[_Link] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []
        self.accepted = self.resets = 0
        self._lose_reply_to: bytes | None = None
        self.replies_lost = 0
        self._spawn(self._accept_loop)

    @property
    def mode(self) -> Mode:
        return self._mode

    def set_mode(self, mode: Mode, *, keep_silent: bool = False) -> None:
        """Switch to `mode`. `keep_silent` (silent -> pass only): the connections made while
        silent stay unanswered, as those to the failed primary do after a failover to a
        replica at a new address; new ones pass."""
        with self._lock:
            previous, self._mode = self._mode, mode
            if (previous, mode) == ("pass", "silent"):
                doomed = []
            elif keep_silent and (previous, mode) == ("silent", "pass"):
                doomed = [link for link in self._links if link.upstream is not None]
            else:
                doomed = list(self._links)
            self._links.difference_update(doomed)
        for link in doomed:
            link.reset()
            self.resets += 1

    def lose_reply_to(self, marker: bytes) -> None:
        """Once: the next request whose bytes hold `marker` reaches the server, and the
        connection is reset instead of its answer reaching the client (the server did the work,
        the client never hears of it: a lost response)."""
        with self._lock:
            self._lose_reply_to = marker

    def close(self) -> None:
        self._stopped.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self.set_mode("refuse")
        for thread in self._threads:
            thread.join(timeout=2)

    # --- threads --------------------------------------------------------------------------

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads = [t for t in self._threads if t.is_alive()]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            mode = self._mode
            if mode == "refuse":
                _reset(client)
                self.resets += 1
                continue
            upstream = None
            if mode == "pass":
                try:
                    upstream = socket.create_connection(self.upstream, timeout=2)
                except OSError:
                    _reset(client)
                    continue
            link = _Link(client, upstream)
            with self._lock:
                self._links.add(link)
            if upstream is not None:
                self._spawn(self._pump, link, client, upstream)
                self._spawn(self._pump, link, upstream, client)
            # silent: the client's bytes wait unread until the link is reset

    def _marks(self, data: bytes) -> bool:
        with self._lock:
            if self._lose_reply_to is None or self._lose_reply_to not in data:
                return False
            self._lose_reply_to = None
            return True

    def _pump(self, link: _Link, source: socket.socket, target: socket.socket) -> None:
        while not link.closed.is_set() and not self._stopped.is_set():
            if self._mode != "pass":
                link.closed.wait(_POLL_S)  # silent: hold the bytes where they are
                continue
            try:
                ready, _, _ = select.select([source], [], [], _POLL_S)
                if not ready:
                    continue
                data = source.recv(65536)
                if not data:
                    break
                if self._mode != "pass":
                    continue  # went silent while this read waited: swallowed, never answered
                if source is link.upstream and link.lose_next_reply:
                    self.replies_lost += 1
                    break  # the answer is dropped with the connection (reset below)
                if source is link.client and self._marks(data):
                    link.lose_next_reply = True  # before sending: the answer may come at once
                target.sendall(data)
            except OSError:
                break
        with self._lock:
            self._links.discard(link)
        link.reset()
