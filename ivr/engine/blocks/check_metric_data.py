"""CheckMetricData (Check queue status / staffing): the metric from the run options, with
defaults of one agent available, staffed and online and an empty queue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ivr.engine.blocks.base import Block, text
from ivr.engine.steps import Result, Step
from models.event import as_text

if TYPE_CHECKING:
    from ivr.engine.compiler import CompiledAction
    from ivr.engine.run import Run

DEFAULT_METRICS: dict[str, float] = {
    "NumberOfAgentsAvailable": 1,
    "NumberOfAgentsStaffed": 1,
    "NumberOfAgentsOnline": 1,
    "OldestContactInQueueAgeSeconds": 0,
    "NumberOfContactsInQueue": 0,
}


def run(action: CompiledAction, call: Run) -> Step:
    metric = text(action.params, "MetricType", call)
    value = call.options.metrics.get(metric, DEFAULT_METRICS.get(metric, 0))
    return Result(as_text(value))


BLOCK = Block("CheckMetricData", run)
