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


class BodyRefused(Exception):
    """A body refused unread: ``status`` 411 (no length) or 413 (too large), ``error`` a code."""

    def __init__(self, status, error):
        super().__init__(error)
        self.status = status
        self.error = error


def read_limited_body(httprequest, limit=PUBLIC_BODY_LIMIT):
    """The raw body, at most ``limit`` bytes, else ``BodyRefused`` before anything is read.

    The declared Content-Length is checked first, and werkzeug reads no more than it
    declares. A chunked body declares none and could be endless: it is refused (411).
    """
    length = httprequest.content_length
    if length is None and "chunked" in (httprequest.headers.get("Transfer-Encoding") or ""):
        raise BodyRefused(411, "length_required")
    if (length or 0) > limit:
        raise BodyRefused(413, "too_large")
    return httprequest.get_data()[:limit]
