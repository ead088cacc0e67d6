"""Text layer of a ``.pdf`` file, page by page.

A PDF without a text layer (a scan) or whose text has no Unicode mapping cannot be read here:
the error says to run OCR first.
"""

from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError

from dutygraph.errors import InputError

__all__ = ["pdf_text"]

_OCR_HINT = "run OCR first (e.g. ocrmypdf) and read the result"


def pdf_text(data: bytes, *, path: str = "<bytes>") -> str:
    """Return the text of every page of a PDF, pages joined by ``\\n``.

    Raises
    ------
    InputError
        If the PDF is encrypted or corrupt, has no text layer (a scan), or its text is only
        ``(cid:…)`` glyph codes.

    Examples
    --------
    >>> pdf_text(b"%PDF-1.4 truncated", path="plan.pdf")
    Traceback (most recent call last):
    ...
    dutygraph.errors.InputError: plan.pdf: not a valid PDF file; check that the file is \
complete, or export it as PDF again
    """
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        if any(isinstance(arg, PDFEncryptionError) for arg in (exc, *exc.args)):
            hint = "remove the password (e.g. qpdf --decrypt) and read the result"
            raise InputError("is encrypted", path=path, hint=hint) from None
        hint = "check that the file is complete, or export it as PDF again"
        raise InputError("not a valid PDF file", path=path, hint=hint) from None
    text = "\n".join(pages)
    if not text.strip():
        raise InputError("has no text layer (scanned?)", path=path, hint=_OCR_HINT)
    if text.count("(cid:") * 8 > len("".join(text.split())):
        msg = "has text without a Unicode mapping ((cid:…) glyphs)"
        raise InputError(msg, path=path, hint=_OCR_HINT)
    return text
