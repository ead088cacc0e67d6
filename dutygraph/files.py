"""Writing output files safely: a reader never sees a half-written file.

:func:`write_atomic` writes to a temporary file in the target's directory and then renames it over
the target with :func:`os.replace`, which is atomic on POSIX and Windows when both paths are on
one file system (the same directory guarantees that).

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = write_atomic(pathlib.Path(tmp) / "map.html", "<p>团市委</p>")
...     path.read_text(encoding="utf-8"), sorted(p.name for p in path.parent.iterdir())
('<p>团市委</p>', ['map.html'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from dutygraph.errors import InputError

__all__ = ["write_atomic"]


def write_atomic(
    path: str | os.PathLike[str], data: bytes | str, *, encoding: str = "utf-8"
) -> Path:
    """Write ``data`` to ``path`` atomically and return the path written.

    Text is encoded with ``encoding`` (pass ``"utf-8-sig"`` for a CSV that Excel should read as
    UTF-8). The new file gets the usual permissions (``0o666`` less the umask), an existing
    file's content is replaced only once the new content is complete, and on any failure the
    temporary file is removed and the target is left as it was.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_atomic(pathlib.Path(tmp) / "a.csv", "单位\\n", encoding="utf-8-sig")
    ...     p.read_bytes()[:3]
    b'\\xef\\xbb\\xbf'
    >>> write_atomic("/nonexistent-dir/x.html", "x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: /nonexistent-dir/x.html: cannot write the file (...); check ...
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or Path(".")
        )
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise InputError(
            f"cannot write the file ({exc.__class__.__name__})",
            path=str(path),
            hint="check that its folder exists and is writable",
        ) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return target
