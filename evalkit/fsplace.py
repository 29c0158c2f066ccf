"""Where evalkit may write: the folders it owns, and opening a path below one safely.

A command declares the folder it owns with :func:`confine` (the results folder, a run
folder, ``publish --out``). That folder is followed as the user named it (it may be a
link to another disk); below it, :func:`open_place` opens every folder with
``O_NOFOLLOW`` relative to its parent's descriptor (``openat``), creating missing ones
the same way, and hands back the last folder's descriptor and the file's name, so the
operations of :mod:`evalkit.fswrite` never resolve a path again. A symbolic link met
below the root is refused with :class:`UnsafePathError`. Paths outside every declared
root are the user's own: their folders are followed.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from evalkit.errors import DataError

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_SAFE_DIR = _DIR_FLAGS | os.O_NOFOLLOW

# A process-wide list, not a context variable: writes made from worker threads must be
# confined too. A root left active can only make writes stricter, never looser.
_ROOTS: list[str] = []
_ROOTS_LOCK = threading.Lock()


class UnsafePathError(DataError):
    """A write would go through a link (or into a special file) placed in a results folder."""


@contextmanager
def confine(root: str | Path) -> Iterator[None]:
    """Confine every write under ``root`` to ``root`` while the block runs.

    Nested roots may be declared; a path is confined to the outermost root holding it.
    """
    absolute = os.path.abspath(os.fspath(root))
    with _ROOTS_LOCK:
        _ROOTS.append(absolute)
    try:
        yield
    finally:
        with _ROOTS_LOCK:
            _ROOTS.remove(absolute)


def root_of(path: str | Path) -> str | None:
    """The outermost active root that lexically holds ``path`` (not ``path`` itself)."""
    absolute = os.path.abspath(os.fspath(path))
    with _ROOTS_LOCK:
        holders = [r for r in _ROOTS if absolute.startswith(r.rstrip(os.sep) + os.sep)]
    return min(holders, key=len) if holders else None


@dataclass
class Place:
    """An open parent folder (``dir_fd``) and the name of the entry in it."""

    dir_fd: int
    name: str
    target: str
    root: str | None

    def close(self) -> None:
        os.close(self.dir_fd)

    def lstat(self) -> os.stat_result | None:
        try:
            return os.stat(self.name, dir_fd=self.dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None


def refuse(target: str, root: str, what: str) -> UnsafePathError:
    return UnsafePathError(
        f"cannot write: {what} inside {root}, and evalkit writes nothing through links"
        " or special files placed in the folders it owns; remove it and run again",
        path=target,
    )


def named_error(exc: OSError, target: str) -> OSError:
    """``exc`` naming ``target`` (the caller's file), never a temporary or relative name.

    An absolute name already set (a file in the way of a folder) is kept.
    """
    if exc.errno is None or (isinstance(exc.filename, str) and os.path.isabs(exc.filename)):
        return exc
    return OSError(exc.errno, exc.strerror or os.strerror(exc.errno), target)


def _not_a_folder(dir_fd: int, part: str, where: str, target: str, root: str) -> Exception:
    """The error for ``part`` that is in the way of a folder: a link is refused as unsafe,
    a file is an ordinary error naming it."""
    st = os.stat(part, dir_fd=dir_fd, follow_symlinks=False)
    if stat.S_ISLNK(st.st_mode):
        return refuse(target, root, f"{where} is a symbolic link")
    return FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), where)


def _step(dir_fd: int, part: str, *, create: bool, where: str, target: str, root: str) -> int:
    """Open folder ``part`` of ``dir_fd`` without following a link (creating it if asked)."""
    if part in ("", ".", ".."):
        raise refuse(target, root, f"path component {part!r}")
    try:
        return os.open(part, _SAFE_DIR, dir_fd=dir_fd)
    except FileNotFoundError:
        if not create:
            raise
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise _not_a_folder(dir_fd, part, where, target, root) from None
        raise
    with suppress(FileExistsError):  # made meanwhile, or a dangling link: the open tells
        os.mkdir(part, 0o777, dir_fd=dir_fd)
    try:
        return os.open(part, _SAFE_DIR, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise _not_a_folder(dir_fd, part, where, target, root) from None
        raise


def open_place(path: str | Path, *, create: bool = True) -> Place:
    """Open the parent folder of ``path`` the safe way (see the module docstring).

    Raises:
        UnsafePathError: for a link or a non-folder below the confining root.
        OSError: naming ``path`` when a folder cannot be opened or created.
    """
    target = os.fspath(path)
    absolute = os.path.abspath(target)
    root = root_of(absolute)
    try:
        if root is None:
            parent, name = os.path.split(absolute)
            if create:
                os.makedirs(parent, exist_ok=True)
            return Place(os.open(parent, _DIR_FLAGS), name, target, None)
        parts = os.path.relpath(absolute, root).split(os.sep)
        if create:
            os.makedirs(root, exist_ok=True)
        fd = os.open(root, _DIR_FLAGS)
        try:
            for i, part in enumerate(parts[:-1]):
                where = os.path.join(root, *parts[: i + 1])
                fd_next = _step(fd, part, create=create, where=where, target=target, root=root)
                os.close(fd)
                fd = fd_next
        except BaseException:
            os.close(fd)
            raise
        return Place(fd, parts[-1], target, root)
    except OSError as exc:
        raise named_error(exc, target) from None


def make_dirs(path: str | Path) -> None:
    """``mkdir -p`` of ``path``, no link followed below a confining root."""
    place = open_place(os.path.join(os.fspath(path), "-"), create=True)  # "-": any name
    place.close()
