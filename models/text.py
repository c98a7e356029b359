"""Text a store can keep: what every id and parameter must be before it becomes a key.

JSON can carry text no store accepts: a lone UTF-16 surrogate ("\\ud800" decodes to a `str`
that can't be encoded as UTF-8, so SQLite, the MySQL and PostgreSQL drivers and DynamoDB all
fail on it) and the NUL character (PostgreSQL refuses it in text: "A string literal cannot
contain NUL (0x00) characters", https://www.postgresql.org/docs/current/datatype-character.html).
Connect never sends either (its ids are UUIDs, parameters are flow text), so such a value is
a hand-made or corrupted event: the function answers `invalid_input` instead of failing in
the store.
"""

from __future__ import annotations

__all__ = ["is_storable"]


def is_storable(text: str) -> bool:
    """True when `text` has no NUL character and no lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
