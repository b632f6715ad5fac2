"""The matching engine: pure Python (no Django), plain frozen dataclasses in, explained results out.

Three kinds of opportunity, each in its module with its scoring documented there:

- `substitution`: one member's offer feeds another member's need. Score = 0.3 material fit + 0.3 quantity
  coverage + 0.2 closeness + 0.2 route gain; kept when ≥ min_score and in the top_k of its need or its offer.
- `pooling`: several offers together reach a channel's or an uncovered need's threshold (near misses too).
- `shared`: several members need the same service or supply nearby.

Candidate generation is indexed (material reachability × spatial grid, see `geo` and `substitution`), so the
cost grows with the number of plausible pairs rather than with the square of the streams. `run` is the entry
point (`engine`); it is deterministic, and its incremental mode equals the full run restricted to the streams
touched.
"""

from .engine import run
from .types import (
    ChannelInput,
    Criterion,
    EngineResult,
    EngineSettings,
    MaterialGraph,
    Pooling,
    SharedNeed,
    StreamInput,
    Substitution,
)

__all__ = [
    "ChannelInput",
    "Criterion",
    "EngineResult",
    "EngineSettings",
    "MaterialGraph",
    "Pooling",
    "SharedNeed",
    "StreamInput",
    "Substitution",
    "run",
]
