"""The date engine: finds temporal expressions in news text and resolves them
to TIMEX3 values, granularities and UTC intervals against the publication
context. Pure library: no Flask, storage or plugin imports; thread-safe."""

from .engine import RESOLVER_VERSION, find_temporal_expressions
from .infer import infer_publication_date
from .types import Interval, TemporalExpression

__all__ = [
    "RESOLVER_VERSION",
    "Interval",
    "TemporalExpression",
    "find_temporal_expressions",
    "infer_publication_date",
]
