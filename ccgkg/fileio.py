"""Atomic file writing: a file is either left as it was or replaced whole, never half-written, with the mode a
plain write would give it (an existing file keeps its mode, a new one gets 0666 less the umask); and the check,
made before any work, that an output path can be written."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import BinaryIO, TypeVar

from ccgkg.errors import InputError

T = TypeVar("T")


def check_output(path: str | os.PathLike[str], suffixes: Collection[str] = ()) -> Path:
    """Check, before any work is done, that ``path`` can be written: its folder exists, it is not a folder, and
    (when ``suffixes`` are given) its suffix names one of them.

    Returns:
        The path.

    Raises:
        InputError: naming the path and what is wrong.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {target}: folder {folder} does not exist",
                         hint="create the folder first or choose another -o/--output path")
    if target.is_dir():
        raise InputError(f"cannot write {target}: it is a folder", hint="give a file name, e.g. out.ttl")
    if suffixes and target.suffix.lower() not in suffixes:
        raise InputError(f"cannot tell the output format of {target} from its suffix",
                         hint="use one of " + ", ".join(sorted(suffixes)))
    return target


def _mode_for(target: Path) -> int:
    """The permission bits a plain ``open(target, "w")`` would leave: the existing file's, else 0666 less umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it into place.

    The file gets the mode a plain write would give it (an existing file keeps its own), not the temporary file's
    0600.

    Raises:
        InputError: when the folder does not exist or cannot be written.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    atomic_stream(path, lambda handle: handle.write(payload))
    return Path(path)


def atomic_stream(path: str | os.PathLike[str], write: Callable[[BinaryIO], T]) -> T:
    """Call ``write`` with a binary file that becomes ``path`` only when ``write`` returns (a temporary file in the
    same folder, renamed into place, with the mode :func:`atomic_write` gives); on any error ``path`` is left as it
    was. Returns what ``write`` returns.

    Raises:
        InputError: when the folder does not exist or cannot be written.
    """
    target = check_output(path)
    folder = target.parent if str(target.parent) else Path(".")
    mode = _mode_for(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            value = write(handle)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return value


__all__ = ["atomic_stream", "atomic_write", "check_output"]
