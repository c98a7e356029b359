"""Errors of the admin and test toolkit.

    ToolkitError            base: the CLI catches it, prints its one-line message, exits 2
    ├── FlowError           a flow can't be loaded or run (bad JSON, unknown action type, ...)
    └── DeployError         an AWS call during deploy or export failed (message says which)

A message says what happened and what to do.
"""

from __future__ import annotations


class ToolkitError(Exception):
    """Base of the toolkit's errors; the CLI prints the message and exits non-zero."""


class FlowError(ToolkitError):
    """A flow could not be loaded or simulated."""


class DeployError(ToolkitError):
    """Deploying or exporting flows failed."""
