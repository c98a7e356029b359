"""The one way flow JSON is written: files (export, `deploy --out`) and the Content sent.

Keys sorted at every level and 2-space indentation with a trailing newline make a file's bytes a
function of its content alone, so `ivr export` after `ivr deploy` gives back the same file and
git diffs show only real changes. The Content sent to Connect is the same document, compact.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def normalize(document: Any) -> str:
    """The flow file text: sorted keys, 2-space indentation, UTF-8 kept, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def content_text(document: Any) -> str:
    """The `Content` string sent to Connect: the normalized document without whitespace
    (the 256,000-character limit counts every character)."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_sha256(content: str) -> str:
    """Hex SHA-256 of the Content sent, what the state file records to skip unchanged flows."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()
