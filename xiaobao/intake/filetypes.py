"""What a file is, judged from its bytes alone (never from its name). Only the allow list passes."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG 图片")
PNG = FileType("image/png", (".png",), "PNG 图片")
GIF = FileType("image/gif", (".gif",), "GIF 图片")
WEBP = FileType("image/webp", (".webp",), "WebP 图片")
PDF = FileType("application/pdf", (".pdf",), "PDF 文档")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "Word 文档")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel 表格")
MP3 = FileType("audio/mpeg", (".mp3",), "MP3 录音")
M4A = FileType("audio/mp4", (".m4a",), "M4A 录音")
WAV = FileType("audio/wav", (".wav",), "WAV 录音")
AMR = FileType("audio/amr", (".amr",), "AMR 录音")
TEXT = FileType("text/plain; charset=utf-8", (".txt",), "文本")
TEXT_GB = FileType("text/plain; charset=gb18030", (".txt",), "文本")

ALL = (JPEG, PNG, GIF, WEBP, PDF, DOCX, XLSX, MP3, M4A, WAV, AMR, TEXT, TEXT_GB)
ALLOWED_LABELS = "图片（JPEG、PNG、GIF、WebP）、PDF、Word/Excel（docx、xlsx）、录音（MP3、M4A、WAV、AMR）、纯文本"

_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"#!")
_M4A_BRANDS = {b"M4A ", b"M4B "}
_MP3_FRAME_SECOND_BYTES = {0xFB, 0xFA, 0xF3, 0xF2, 0xE3, 0xE2}
# Markup a browser might render or run if it ever ignored nosniff: never accepted as "text".
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<script", b"<?xml", b"<iframe", b"<body", b"<head")


def by_content_type(content_type: str) -> FileType | None:
    return next((t for t in ALL if t.content_type == content_type), None)


class Refusal(Exception):
    """The bytes are not on the allow list; the message says why, in Chinese."""


def looks_executable(head: bytes) -> bool:
    return head.startswith(_EXECUTABLE_MAGIC)


def detect(data: bytes) -> FileType:
    """The allowed type of these bytes, or Refusal."""
    head = data[:64]
    # AMR's signature starts like a script's "#!", so it is recognised first.
    if head.startswith((b"#!AMR\n", b"#!AMR-WB\n")):
        return AMR
    if looks_executable(head):
        raise Refusal("不允许上传可执行文件或脚本。")
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office(data)
    if head[4:8] == b"ftyp" and head[8:12] in _M4A_BRANDS:
        return M4A
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] in _MP3_FRAME_SECOND_BYTES):
        return MP3
    if text := _plain_text(data):
        return text
    raise Refusal(f"不支持的文件类型。可以上传：{ALLOWED_LABELS}。")


def _office(data: bytes) -> FileType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Refusal("压缩文件已损坏，无法识别。") from None
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    raise Refusal("不接受压缩包；Word、Excel 文件请使用 docx、xlsx 格式。")


def _plain_text(data: bytes) -> FileType | None:
    """UTF-8, or GB18030 as Windows Notepad in China writes it; never markup."""
    if b"\x00" in data[:8192]:
        return None
    for kind, encoding in ((TEXT, "utf-8"), (TEXT_GB, "gb18030")):
        try:
            text = data.removeprefix(b"\xef\xbb\xbf").decode(encoding)
        except UnicodeDecodeError:
            continue
        start = text[:2048].lstrip().lower().encode()
        if start.startswith(b"<") or any(m in start for m in _MARKUP):
            return None
        # Binary formats that happen to decode still carry control characters; text does not.
        if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text[:8192]):
            return None
        return kind
    return None
