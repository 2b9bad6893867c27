"""Run the API under uvicorn on 127.0.0.1 in a background thread (tests, benchmarks, serve)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from tokenfutures.core.errors import TokenFuturesError

_START_TIMEOUT_S = 20.0
#: Largest WebSocket message a client may send (clients send one: the key).
WS_MAX_MESSAGE_BYTES = 64 * 1024


@dataclass
class RunningServer:
    """A uvicorn server started by ``serve_in_thread``; ``stop()`` shuts it down and joins."""

    server: uvicorn.Server
    thread: threading.Thread
    port: int
    host: str = "127.0.0.1"

    @property
    def base_url(self) -> str:
        """``http://host:port`` of the server."""
        return f"http://{self.host}:{self.port}"

    def stop(self, timeout_s: float = 10.0) -> None:
        """Ask uvicorn to exit and wait for its thread (bounded)."""
        self.server.should_exit = True
        self.thread.join(timeout_s)


class ListenError(TokenFuturesError):
    """The server cannot listen where it was asked to (bad host, port in use, no permission)."""


def listen(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A TCP socket bound to ``host:port`` (0 = an ephemeral port), ready for ``serve_in_thread``.

    ``serve`` binds first, before it opens the database, so a port in use or a bad host is
    refused before anything is written.

    Raises
    ------
    ListenError
        If ``host`` does not resolve to an IPv4 address or the port cannot be bound.
    """
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted sockets only when the
    # listening socket says it is TCP; without it every response waits ~40 ms (Nagle +
    # delayed ACK) on keep-alive connections.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except (OSError, UnicodeError) as error:
        sock.close()
        reason = getattr(error, "strerror", None) or str(error)
        raise ListenError(f"cannot listen on {host}:{port}: {reason}") from None
    return sock


def serve_in_thread(
    app: FastAPI, *, host: str = "127.0.0.1", port: int = 0, sock: socket.socket | None = None
) -> RunningServer:
    """Start ``app`` on ``host:port`` (or on ``sock``, bound by ``listen``); return once it accepts.

    Raises
    ------
    ListenError
        If ``host:port`` cannot be bound.
    RuntimeError
        If the server is not up within 20 seconds.
    """
    if sock is None:
        sock = listen(host, port)
    host = str(sock.getsockname()[0])
    bound_port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        ws="websockets-sansio",
        ws_max_size=WS_MAX_MESSAGE_BYTES,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"uvicorn did not start on {host}:{bound_port}")
        time.sleep(0.01)
    return RunningServer(server=server, thread=thread, port=bound_port, host=host)
