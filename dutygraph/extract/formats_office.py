"""Text of legacy word-processor files (``.doc``, WPS ``.wps``, ``.rtf``, ``.odt``) via LibreOffice.

Many government sites still publish plans as Word 97–2003 ``.doc`` or Kingsoft WPS ``.wps``
files (a WPS file is a Word binary written by WPS). Nothing in Python reads them well, so they
are converted to ``.docx`` by LibreOffice (``soffice --headless --convert-to docx``) in a
private temporary directory, with its own LibreOffice profile so that parallel runs do not
collide, and the ``.docx`` is then read by :func:`~dutygraph.extract.formats_docx.docx_text`
(paragraphs and tables in reading order; a 任务分工 table becomes numbered items).

Word's automatic list numbering (``1、`` ``（一）`` typed by the numbering feature rather than
by hand) is written into the text before reading, since the numbers are what the parser finds
items by; see :mod:`dutygraph.extract.numbering`.

LibreOffice is looked up on the ``PATH`` as ``soffice`` or ``libreoffice``. Without it, reading
such a file is an :class:`~dutygraph.errors.InputError` that says how to get it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from dutygraph.errors import InputError

__all__ = ["CONVERT_TIMEOUT", "OFFICE_SUFFIXES", "convert_to_docx", "find_soffice", "office_text"]

#: The suffixes read through LibreOffice.
OFFICE_SUFFIXES = (".doc", ".wps", ".rtf", ".odt")
#: Seconds a conversion may take before it is stopped.
CONVERT_TIMEOUT = 120.0

_INSTALL = (
    "install LibreOffice (apt-get install libreoffice-writer-nogui), "
    "or open the file in Word or WPS and save it as .docx"
)
_RESAVE = "open it in Word or WPS and save it as .docx"
#: How each kind of file the converter accepts begins: OLE2 compound file (.doc, .wps), RTF,
#: a zip package (.docx or .odt under another name), and HTML or Word 2003 XML saved as .doc.
_MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf", b"PK\x03\x04", b"<")


def find_soffice() -> str | None:
    """The LibreOffice program on the ``PATH`` (``soffice``, else ``libreoffice``), or ``None``.

    >>> find_soffice() is None or os.path.basename(find_soffice()) in ("soffice", "libreoffice")
    True
    """
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_text(data: bytes, *, path: str = "<bytes>", suffix: str = ".doc") -> str:
    """Return the text of a ``.doc``/``.wps``/``.rtf``/``.odt`` file, as
    :func:`~dutygraph.extract.formats_docx.docx_text` gives it for the same document saved as
    ``.docx``.

    ``suffix`` says what the file claims to be (it names the file LibreOffice converts).

    Raises
    ------
    InputError
        If the bytes are not a word-processor file, if LibreOffice is not installed, or if it
        cannot convert the file (corrupt or encrypted) within :data:`CONVERT_TIMEOUT` seconds.

    Examples
    --------
    >>> office_text(b"just some text", path="plan.doc")
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: plan.doc: not a Word or WPS document (it starts like neither a \
.doc nor a .docx, .rtf or .odt file); open it in Word or WPS and save it as .docx
    """
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:13].lower() == b"mime-version:":
        what = "a web archive (MHTML) under a Word name, which LibreOffice reads as plain text"
        raise InputError(what, path=path, hint=_RESAVE)
    if not head.startswith(_MAGIC):
        what = "not a Word or WPS document (it starts like neither a .doc nor a .docx, .rtf or "
        raise InputError(what + ".odt file)", path=path, hint=_RESAVE)
    soffice = find_soffice()
    if soffice is None:
        msg = f"reading {suffix} files needs LibreOffice (soffice), which is not on the PATH"
        raise InputError(msg, path=path, hint=_INSTALL)
    from dutygraph.extract.formats_docx import docx_text  # python-docx: imported on use

    converted = convert_to_docx(data, soffice, path=path, suffix=suffix)
    return docx_text(converted, path=path)  # (which writes Word's list numbers into the text)


def convert_to_docx(
    data: bytes,
    soffice: str,
    *,
    path: str = "<bytes>",
    suffix: str = ".doc",
    timeout: float = CONVERT_TIMEOUT,
) -> bytes:
    """Convert a word-processor file to ``.docx`` bytes with LibreOffice (``soffice``).

    The file is written to a fresh temporary directory, converted there headless with a
    profile of its own (no restore, no first-start wizard), and the directory is removed.
    The conversion is stopped after ``timeout`` seconds.

    Raises
    ------
    InputError
        If LibreOffice cannot load the file or does not finish in time.
    """
    with tempfile.TemporaryDirectory(prefix="dutygraph-office-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        outdir = Path(tmp) / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(source),
        ]
        _run(command, timeout, path)
        result = outdir / "input.docx"
        if not result.is_file():
            msg = f"LibreOffice cannot read it as a {suffix} document (corrupt or encrypted?)"
            raise InputError(msg, path=path, hint=_RESAVE)
        return result.read_bytes()


def _run(command: list[str], timeout: float, path: str) -> None:
    """Run LibreOffice in a session of its own, so that a conversion that hangs is stopped
    with every process it started."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        msg = f"cannot start LibreOffice ({exc.strerror})"
        raise InputError(msg, path=path, hint=_INSTALL) from None
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        msg = f"LibreOffice did not convert it within {timeout:g} s"
        raise InputError(msg, path=path, hint=_RESAVE) from None
