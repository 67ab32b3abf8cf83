"""Atomic file writing: a file is either left as it was or replaced whole, never half-written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from ccgkg.errors import InputError

T = TypeVar("T")


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it into place.

    Raises:
        InputError: when the folder does not exist or cannot be written.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    atomic_stream(path, lambda handle: handle.write(payload))
    return Path(path)


def atomic_stream(path: str | os.PathLike[str], write: Callable[[BinaryIO], T]) -> T:
    """Call ``write`` with a binary file that becomes ``path`` only when ``write`` returns (a temporary file in the
    same folder, renamed into place); on any error ``path`` is left as it was. Returns what ``write`` returns.

    Raises:
        InputError: when the folder does not exist or cannot be written.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {target}: folder {folder} does not exist",
                         hint="create the folder first or choose another --out/--output path")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            value = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return value


__all__ = ["atomic_stream", "atomic_write"]
