"""Read a file named by the configuration (``file()``, ``templatefile()``) without leaving the
scanned repository (no Checkov import).

A pull request controls every path its Terraform names; the gate runs on a CI machine that
holds credentials.  :func:`read_inside` reads ``path`` (relative to the module folder
``base``) only when its real path, symlinks resolved, lies inside ``boundary`` (the scanned
folder), it is a regular file (a FIFO would block the gate forever, a device never ends)
and it is at most ``max_bytes``.  Otherwise it raises :class:`Refused` with a reason that
names the path as written, never the content.

Checkov 3.x itself never reads ``file()``: it leaves ``${file("x.json")}`` as an unrendered
string (checkov.common.util.var_utils treats ``file(`` as an operator it does not evaluate),
so a plain Checkov run cannot be made to print a runner's file.  mfaguard's own expansion
reads such files, through this function.
"""
from __future__ import annotations

import os
import stat

MAX_READ_BYTES = 1024 * 1024


class Refused(ValueError):
    """The file is not read; str() is a one-line reason without the file's content."""


def _shown(path: object) -> str:
    """The path as messages show paths: relative to the working directory when it is an
    absolute path inside it (``${path.module}/x.json`` evaluates to one), else as given."""
    if isinstance(path, str) and os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return repr(path)
        if not rel.startswith(".."):
            return repr(rel.replace(os.sep, "/"))
    return repr(path)


def resolve_inside(path: str, base: str, boundary: str) -> str:
    """The real path of `path` (relative to `base`) if it is inside `boundary`, else Refused."""
    if not isinstance(path, str) or not path or "\x00" in path:
        raise Refused(f"file({_shown(path)}): not a usable path")
    real_boundary = os.path.realpath(boundary)
    full = os.path.realpath(os.path.join(base, path))
    if os.path.commonpath([full, real_boundary]) != real_boundary:
        raise Refused(f"file({_shown(path)}) is outside the scanned folder and is not read")
    return full


def read_inside(path: str, base: str, boundary: str, max_bytes: int = MAX_READ_BYTES) -> str:
    full = resolve_inside(path, base, boundary)
    try:
        st = os.stat(full)
    except OSError as exc:
        raise Refused(f"file({_shown(path)}) cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"file({_shown(path)}) is not a regular file and is not read")
    if st.st_size > max_bytes:
        raise Refused(f"file({_shown(path)}) is larger than {max_bytes // 1024} KiB and is not read")
    try:
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise Refused(f"file({_shown(path)}) cannot be read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(f"file({_shown(path)}) is not UTF-8 text") from None
