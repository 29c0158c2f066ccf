"""The file-system side of :mod:`evalkit.io`: every write evalkit makes, confined.

Two kinds of place are written to:

* **Inside a confined root** (the results folder, a run folder, ``publish --out``: see
  :func:`confine`). The root itself is followed as the user named it (it may be a link
  to another disk); below it, every folder is opened with ``O_NOFOLLOW`` relative to its
  parent's descriptor (``openat``), folders are created the same way, and the file
  itself is never a link. A symbolic link, or anything but a folder or a regular file,
  planted anywhere below the root is refused with :class:`UnsafePathError`: nothing
  written there can land outside the root.
* **A target the user named** outside any root (``baseline save --to``, ``check
  --junit``). Its folders are the user's to choose and are followed. A regular file is
  replaced atomically; a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a
  pipe), or a link to one, is written as a stream, never replaced; anything else (a
  link to a file or to nothing, a folder, a block device, a socket) is refused and left
  as it is. ``GITHUB_STEP_SUMMARY`` (a file the CI runner names) is appended to as named.

Errors name the file the caller asked for, never the temporary file; the temporary
file is removed on any exception, ``KeyboardInterrupt`` and ``SystemExit`` included.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
from contextlib import suppress
from pathlib import Path

from evalkit.errors import DataError
from evalkit.fsplace import named_error, open_place, refuse, root_of

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _stream(target: str, data: bytes) -> None:
    """Write to a character device or FIFO the user named, as a stream."""
    fd = os.open(target, os.O_WRONLY | os.O_CLOEXEC)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, by the rules of the module docstring.

    Raises:
        UnsafePathError: for a link or special file below a confining root.
        DataError: for a user-named target that is neither a regular file, a link to
            one, a character device nor a FIFO.
        OSError: naming ``path`` (never the temporary file) when it cannot be written.
    """
    target = os.fspath(path)
    if root_of(target) is None and os.path.lexists(target):
        try:
            st = os.stat(target)  # follows the user's link, if it is one
        except FileNotFoundError:
            raise DataError("is a link to a missing file; refusing to write", path=target) from None
        except OSError as exc:
            raise named_error(exc, target) from None
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            try:
                _stream(target, data)
            except OSError as exc:
                raise named_error(exc, target) from None
            return
        if stat.S_ISDIR(st.st_mode):
            raise named_error(OSError(errno.EISDIR, os.strerror(errno.EISDIR)), target)
        if not stat.S_ISREG(st.st_mode):
            raise DataError("is not a regular file; refusing to replace it", path=target)
        if os.path.islink(target):
            raise DataError(
                "is a symbolic link to a file; evalkit does not write through links"
                " (name the file itself)",
                path=target,
            )
    _replace(target, data, shown=target)


def _replace(path: str, data: bytes, *, shown: str) -> None:
    place = open_place(path)
    tmp: str | None = None
    try:
        st = place.lstat()
        if st is not None and place.root is not None and not stat.S_ISREG(st.st_mode):
            if stat.S_ISDIR(st.st_mode):
                raise OSError(errno.EISDIR, os.strerror(errno.EISDIR))
            kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a regular file"
            raise refuse(shown, place.root, f"{place.name!r} is {kind}")
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OSError(errno.EISDIR, os.strerror(errno.EISDIR))
        tmp = f".{place.name[:200]}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, _NEW_FILE, 0o666, dir_fd=place.dir_fd)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, place.name, src_dir_fd=place.dir_fd, dst_dir_fd=place.dir_fd)
        tmp = None
    except OSError as exc:
        raise named_error(exc, shown) from None
    finally:
        if tmp is not None:
            with suppress(OSError):
                os.unlink(tmp, dir_fd=place.dir_fd)
        place.close()


def open_append(path: str | Path, *, repair_tail: bool = False) -> int:
    """A descriptor appending to ``path`` (created if missing), by the module's rules.

    Args:
        path: The file.
        repair_tail: Cut an unterminated last line (what a kill during an append leaves)
            before appending; regular files only.

    Raises:
        UnsafePathError: for a link or special file below a confining root.
        OSError: naming ``path`` when it cannot be opened.
    """
    place = open_place(path)
    try:
        if place.root is None:
            fd = os.open(
                place.name,
                os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC,
                0o666,
                dir_fd=place.dir_fd,
            )
        else:
            st = place.lstat()
            if st is not None and not stat.S_ISREG(st.st_mode):
                kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a regular file"
                raise refuse(place.target, place.root, f"{place.name!r} is {kind}")
            fd = os.open(
                place.name,
                os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o666,
                dir_fd=place.dir_fd,
            )
        try:
            st = os.fstat(fd)
            kind_ok = stat.S_ISREG(st.st_mode) or (
                place.root is None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode))
            )
            if not kind_ok:
                raise DataError("is not a regular file; refusing to append", path=place.target)
            if repair_tail and stat.S_ISREG(st.st_mode) and st.st_size:
                _cut_torn_tail(fd, st.st_size)
        except BaseException:
            os.close(fd)
            raise
        return fd
    except OSError as exc:
        raise named_error(exc, place.target) from None
    finally:
        place.close()


def _cut_torn_tail(fd: int, size: int) -> None:
    if os.pread(fd, 1, size - 1) == b"\n":
        return
    end = size
    chunk = 1 << 16
    while end > 0:
        start = max(0, end - chunk)
        block = os.pread(fd, end - start, start)
        at = block.rfind(b"\n")
        if at >= 0:
            os.ftruncate(fd, start + at + 1)
            return
        end = start
    os.ftruncate(fd, 0)


def remove(path: str | Path) -> None:
    """Remove the file ``path`` (a link is removed, never followed); missing is fine."""
    try:
        place = open_place(path, create=False)
    except FileNotFoundError:
        return
    try:
        os.unlink(place.name, dir_fd=place.dir_fd)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise named_error(exc, place.target) from None
    finally:
        place.close()


def remove_tree(path: str | Path) -> None:
    """Remove the folder ``path`` and its content; a link there is removed, not followed."""
    import shutil

    try:
        place = open_place(path, create=False)
    except FileNotFoundError:
        return
    try:
        st = place.lstat()
        if st is None:
            return
        if not stat.S_ISDIR(st.st_mode):
            os.unlink(place.name, dir_fd=place.dir_fd)
            return
        # rmtree works on descriptors and never follows links inside the tree
        if sys.version_info >= (3, 11):
            shutil.rmtree(place.name, dir_fd=place.dir_fd)
        else:
            shutil.rmtree(f"/proc/self/fd/{place.dir_fd}/{place.name}")
    except OSError as exc:
        raise named_error(exc, place.target) from None
    finally:
        place.close()
