"""X-Ray subsegments for store operations and AWS calls, sent without the X-Ray SDK.

aws_xray_sdk and Powertools' Tracer cost a flow-invoked function's cold start tens to
hundreds of milliseconds of imports (issue 11); the caller waits through it. What they would
send is small: a subsegment document, one UDP datagram to the X-Ray daemon Lambda runs next to
the function (the daemon protocol: a header line, then the document's JSON):

    {"format": "json", "version": 1}\\n{"type": "subsegment", "id", "trace_id", "parent_id",
     "name", "start_time", "end_time", "namespace"?, "aws"?, "error"?, ...}

https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html
https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html

Sent only when Lambda says to: `_X_AMZN_TRACE_ID` (set per invocation: Root, Parent = the
function's segment, Sampled) is sampled, and `AWS_XRAY_DAEMON_ADDRESS` names the daemon.
Otherwise every entry point here is a no-op that reads two variables. Subsegments nest: one
opened inside another (a DynamoDB call inside a store operation) names it as its parent.

What a document holds is chosen here, never taken from the call: names, operation names,
backend names, AWS request ids, status codes, exception type names. Never parameters, items
or messages, which can hold callers' phone numbers and PINs.

Sending never fails a call: a datagram that can't be sent is dropped (tracing is best effort).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

TRACE_HEADER = "_X_AMZN_TRACE_ID"
DAEMON_ADDRESS = "AWS_XRAY_DAEMON_ADDRESS"
PROTOCOL_HEADER = b'{"format": "json", "version": 1}\n'

__all__ = ["Subsegment", "TraceHeader", "close", "instrument", "subsegment"]


class TraceHeader:
    """Lambda's trace header: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;
    Sampled=1" (Lineage and others ignored)."""

    # Plain classes, not dataclasses: building a dataclass runs exec(), ~1 ms each of the
    # module's import on a flow-invoked function's cold start.
    __slots__ = ("parent", "root", "sampled")

    def __init__(self, root: str, parent: str, sampled: bool) -> None:
        self.root, self.parent, self.sampled = root, parent, sampled

    @classmethod
    def parse(cls, text: str) -> TraceHeader | None:
        parts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
        root, parent = parts.get("Root", ""), parts.get("Parent", "")
        if not root or not parent:
            return None
        return cls(root=root, parent=parent, sampled=parts.get("Sampled") == "1")


def daemon_address(text: str) -> tuple[str, int] | None:
    """The daemon's UDP address from AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1:2000", or the form
    with both protocols, "tcp:127.0.0.1:2000 udp:127.0.0.2:2001"."""
    for item in text.split():
        if item.startswith("tcp:"):
            continue
        host, _, port = item.removeprefix("udp:").rpartition(":")
        if host and port.isdigit():
            return host, int(port)
    return None


class _Daemon:
    """One UDP socket per process, opened on the first document sent."""

    def __init__(self) -> None:
        self._socket: Any = None
        self._lock = threading.Lock()

    def send(self, address: tuple[str, int], document: Mapping[str, Any]) -> None:
        payload = PROTOCOL_HEADER + json.dumps(document, separators=(",", ":")).encode()
        try:
            with self._lock:
                if self._socket is None:
                    import socket  # only where a daemon listens

                    self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    self._socket.setblocking(False)  # a full buffer drops, never waits
                self._socket.sendto(payload, address)
        except OSError:
            pass  # best effort: a trace is never worth a failed call

    def close(self) -> None:
        with self._lock:
            if self._socket is not None:
                self._socket.close()
                self._socket = None


_daemon = _Daemon()


def close() -> None:
    """Close the socket to the daemon (tests; a Lambda environment keeps it for its life);
    the next document opens a new one."""
    _daemon.close()


# The innermost open subsegment of this thread (or task): the parent of the next one.
_open: ContextVar[Subsegment | None] = ContextVar("xray_subsegment", default=None)


def _active() -> tuple[TraceHeader, tuple[str, int]] | None:
    """The invocation's trace and the daemon's address when this call is to be traced."""
    header_text, address_text = os.environ.get(TRACE_HEADER), os.environ.get(DAEMON_ADDRESS)
    if not header_text or not address_text:
        return None
    header, address = TraceHeader.parse(header_text), daemon_address(address_text)
    if header is None or not header.sampled or address is None:
        return None
    return header, address


class Subsegment:
    """One open subsegment; `finish` sends it. Fields set between the two go in the document
    (callers set only what is safe to send: see the module's docstring)."""

    __slots__ = (
        "address",
        "annotations",
        "aws",
        "http_status",
        "id",
        "name",
        "namespace",
        "parent_id",
        "start_time",
        "trace",
    )

    def __init__(
        self,
        name: str,
        trace: TraceHeader,
        address: tuple[str, int],
        parent_id: str,
        *,
        namespace: str = "",
        aws: dict[str, str] | None = None,
        annotations: dict[str, str] | None = None,
    ) -> None:
        self.name, self.trace, self.address, self.parent_id = name[:200], trace, address, parent_id
        self.namespace = namespace
        self.aws: dict[str, str] = aws or {}
        self.annotations: dict[str, str] = annotations or {}
        self.http_status = 0
        self.id = os.urandom(8).hex()  # 64 bits, 16 hex digits, as X-Ray's ids are
        self.start_time = time.time()

    @classmethod
    def start(
        cls,
        name: str,
        *,
        namespace: str = "",
        aws: dict[str, str] | None = None,
        annotations: dict[str, str] | None = None,
    ) -> Subsegment | None:
        """A subsegment begun now, under the open one or the function's segment; None when
        this invocation is not traced."""
        active = _active()
        if active is None:
            return None
        trace, address = active
        parent = _open.get()
        parent_id = parent.id if parent is not None else trace.parent
        return cls(
            name, trace, address, parent_id, namespace=namespace, aws=aws, annotations=annotations
        )

    def finish(self, error: BaseException | None = None) -> None:
        document: dict[str, Any] = {
            "type": "subsegment",
            "id": self.id,
            "trace_id": self.trace.root,
            "parent_id": self.parent_id,
            "name": self.name,
            "start_time": self.start_time,
            "end_time": time.time(),
        }
        if self.namespace:
            document["namespace"] = self.namespace
        if self.aws:
            document["aws"] = self.aws
        if self.annotations:
            document["annotations"] = self.annotations
        if self.http_status:
            document["http"] = {"response": {"status": self.http_status}}
        if error is not None or self.http_status >= 400:
            _flag(document, self.http_status, error)
        _daemon.send(self.address, document)


def _flag(document: dict[str, Any], status: int, error: BaseException | None) -> None:
    """X-Ray's flags: `throttle` (429), `error` (other 4xx, or any exception), `fault` (5xx);
    the exception by its type name only (its message may hold a caller's number)."""
    if status == 429:
        document["throttle"] = True
    if status >= 500:
        document["fault"] = True
    else:
        document["error"] = True
    if error is not None:
        kind = type(error).__name__
        document["cause"] = {"exceptions": [{"id": os.urandom(8).hex(), "type": kind}]}


@contextmanager
def subsegment(name: str, **annotations: str) -> Iterator[Subsegment | None]:
    """Time the block as a subsegment named `name`; a no-op outside a traced invocation.
    `annotations` are indexed by X-Ray: names of things, never a caller's data."""
    opened = Subsegment.start(name, annotations=dict(annotations))
    if opened is None:
        yield None
        return
    token = _open.set(opened)
    try:
        yield opened
    except BaseException as exc:
        opened.finish(exc)
        raise
    else:
        opened.finish()
    finally:
        _open.reset(token)


# --- AWS clients -----------------------------------------------------------------------------


def instrument(client: Any) -> Any:
    """`client` with a subsegment for each of its calls (namespace "aws": the service, the
    operation, the region, the request id, the HTTP status; never the parameters). Hooks are
    added only where a daemon is configured (AWS_XRAY_DAEMON_ADDRESS, set at Lambda's init);
    whether a call is sampled is read at the call. Returns the client."""
    if not os.environ.get(DAEMON_ADDRESS):
        return client
    events = client.meta.events
    # First among handlers as specific as botocore's Stubber's (which answers the call itself
    # and ends the event: botocore runs more specific names first).
    events.register_first("before-call.*.*", _before_call)
    events.register("after-call.*.*", _after_call)
    events.register("after-call-error.*.*", _after_call_error)
    return client


_CONTEXT_KEY = "ivr_xray_subsegment"


def _before_call(model: Any, context: dict[str, Any], **_: Any) -> None:
    service = model.service_model
    opened = Subsegment.start(
        service.service_id or service.service_name,
        namespace="aws",
        aws={"operation": model.name},
    )
    if opened is not None:
        region = context.get("client_region")
        if region:
            opened.aws["region"] = str(region)
        context[_CONTEXT_KEY] = opened


def _after_call(http_response: Any, parsed: Any, context: dict[str, Any], **_: Any) -> None:
    opened: Subsegment | None = context.pop(_CONTEXT_KEY, None)
    if opened is None:
        return
    metadata = parsed.get("ResponseMetadata", {}) if isinstance(parsed, dict) else {}
    if metadata.get("RequestId"):
        opened.aws["request_id"] = str(metadata["RequestId"])
    opened.http_status = int(getattr(http_response, "status_code", 0) or 0)
    opened.finish()


def _after_call_error(exception: BaseException, context: dict[str, Any], **_: Any) -> None:
    opened: Subsegment | None = context.pop(_CONTEXT_KEY, None)
    if opened is not None:
        opened.finish(exception)
