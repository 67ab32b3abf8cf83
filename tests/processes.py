"""What the tests that start a real server (Oxigraph, ``ccgkg serve``, nginx, apache2) share: a free port of
127.0.0.1 and a stop that never leaves the process behind."""

from __future__ import annotations

import socket
import subprocess


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Ask ``process`` to end; kill it if it has not within ``timeout`` seconds; reap it either way."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
