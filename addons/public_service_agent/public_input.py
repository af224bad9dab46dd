"""Checks shared by every route that takes input from outside (carrier webhooks, the
contact-centre API, public forms).

``str.isdigit`` and ``\\d`` accept '²' and '٣', which ``int`` refuses or reads as digits;
``json.loads`` recurses, so deep nesting raises ``RecursionError``; PostgreSQL stores no NUL
character and UTF-8 has no lone surrogate. Each of these was an HTTP 500 before.
"""

import json
import re

# Largest body (bytes) the webhooks and the API read: over it, 413 before anything is
# parsed. Stated in docs/contact-centre-api.md and the postal_delivery README.
PUBLIC_BODY_LIMIT = 1024 * 1024

_ASCII_DIGITS = re.compile(r"[0-9]+")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def ascii_int(value, max_digits):
    """``value`` (an int or a string of ASCII digits, at most ``max_digits``) as an int,
    else None. Booleans and negative numbers are refused."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or len(value) > max_digits:
        return None
    return int(value) if _ASCII_DIGITS.fullmatch(value) else None


def storable(value):
    """True when a string can be stored as it is: no NUL, no lone surrogate."""
    return isinstance(value, str) and not _UNSTORABLE.search(value)


def parse_json(raw):
    """The JSON document in ``raw``; ValueError when it is malformed, not UTF-8 or nested
    too deeply to parse."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def read_limited_body(httprequest, limit=PUBLIC_BODY_LIMIT):
    """The raw body, or None when it is larger than ``limit``: refused on its declared
    Content-Length, and never more than ``limit + 1`` bytes are read (a chunked body has
    none)."""
    length = httprequest.content_length
    if length is not None and length > limit:
        return None
    stream, chunks, size = httprequest.stream, [], 0
    while size <= limit:
        chunk = stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > limit else b"".join(chunks)
