"""Reading a flow file, for lint and the commands that import it from here: the functions
live in `ivr.flowfile` (shared with the engine, which must not import lint).

Each failure is a `FlowFileError` whose `code` lint reports as a finding (or, for a file that
can't be read at all, exits 2 on) and whose one-line message the other commands print as is.
"""

from __future__ import annotations

from ivr.flowfile import FlowFileError, is_flow_document, parse_flow, parse_json, read_flow

__all__ = ["FlowFileError", "is_flow_document", "parse_flow", "parse_json", "read_flow"]
