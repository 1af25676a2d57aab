"""Storage of uploaded documents: allowed types, content sniffing, generated names.

A file is accepted when its extension is allowed AND its first bytes (or, for office files, the
zip entries) match that extension. It is checked in a temporary file, then kept under a random
name in the application's storage (`accompagnement.storage`: a directory every host shares, or
object storage; never static/, never served by the web server directly), and served back only
as an attachment.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from accompagnement.errors import InvalidInput
from accompagnement.storage import storage
from accompagnement.textsafe import strip_invisible

ALLOWED_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "csv": "text/csv",
    "txt": "text/plain",
}
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_TYPES)
CHUNK = 64 * 1024
STORAGE_NAME = re.compile(r"[0-9a-f]{32}")
MARKUP = re.compile(rb"^\s*<(!doctype|html|head|body|script|svg|\?xml|iframe)", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass(frozen=True)
class StoredFile:
    """A file kept in the application's storage."""

    storage_name: str
    original_name: str
    content_type: str
    size: int


def max_bytes() -> int:
    """Return the largest accepted file size in bytes."""
    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 10 * 1024 * 1024)


def checked_name(storage_name: str) -> str:
    """Return a storage name, refusing any name we did not generate (ValueError)."""
    if not STORAGE_NAME.fullmatch(storage_name):
        raise ValueError("not a storage name")
    return storage_name


def read(storage_name: str) -> bytes:
    """Return a stored file's content (ValueError for a strange name, OSError when missing)."""
    return storage().read(checked_name(storage_name))


def extension_of(filename: str) -> str:
    """Return the lower-case extension of a file name ("" when none)."""
    _, dot, extension = filename.rpartition(".")
    return extension.lower() if dot else ""


def clean_name(filename: str) -> str:
    """Keep the base name of an uploaded file, without control characters, at most 255 long.

    Control and format characters (bidirectional overrides, zero-width...) are removed: they
    would make a name display as another one ("évil\u202egnp.txt" as "éviltxt.png").
    """
    base = re.split(r"[/\\]", strip_invisible(filename or ""))[-1]
    base = UNSAFE_NAME.sub("", base).strip() or "document"
    if len(base) > 255:
        extension = extension_of(base)
        base = base[: 254 - len(extension)] + "." + extension if extension else base[:255]
    return base


def refused(message: str) -> InvalidInput:
    """Return the error of a refused file."""
    return InvalidInput(message, {"file": message})


def store(stream: BinaryIO, filename: str) -> StoredFile:
    """Check and write an uploaded file; raise InvalidInput when it is refused."""
    name = clean_name(filename)
    extension = extension_of(name)
    if extension not in ALLOWED_TYPES:
        raise refused("This type of file is not accepted.")
    storage_name = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="upload-") as work:
        partial = Path(work) / storage_name
        size = _copy(stream, partial)
        if size == 0:
            raise refused("The file is empty.")
        if not content_matches(extension, partial):
            raise refused("The content of the file does not match its type.")
        storage().put(storage_name, partial)
    return StoredFile(storage_name, name, ALLOWED_TYPES[extension], size)


def _copy(stream: BinaryIO, target: Path) -> int:
    limit = max_bytes()
    size = 0
    with target.open("xb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise refused("The file is too large.")
            out.write(chunk)
    return size


def discard(storage_name: str) -> None:
    """Delete a stored file (after a failed transaction, or when a document is removed)."""
    storage().delete(checked_name(storage_name))


def content_matches(extension: str, path: Path) -> bool:
    """Say whether a file's content is of the type its extension claims."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in ("odt", "ods", "docx", "xlsx"):
        return head.startswith(b"PK\x03\x04") and _office_matches(extension, path)
    return _is_plain_text(path.read_bytes())


def _office_matches(extension: str, path: Path) -> bool:
    """Look inside the zip container for the entries of the claimed office format."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if extension in ("odt", "ods"):
                if "mimetype" not in names or archive.getinfo("mimetype").file_size > 100:
                    return False
                return archive.read("mimetype").strip() == ALLOWED_TYPES[extension].encode()
            part = "word/document.xml" if extension == "docx" else "xl/workbook.xml"
            return "[Content_Types].xml" in names and part in names
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, EOFError):
        return False
    except (NotImplementedError, RuntimeError):  # unsupported compression, encrypted entry
        return False


def _is_plain_text(content: bytes) -> bool:
    """Accept UTF-8 or Windows-1252 text without control characters and without markup."""
    if b"\x00" in content or MARKUP.match(content.removeprefix(b"\xef\xbb\xbf")):
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not CONTROL.search(text)
    return False
