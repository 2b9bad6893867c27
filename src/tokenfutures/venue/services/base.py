"""What every venue service shares: the sequencer, its state and its writer lock."""

from __future__ import annotations

from datetime import UTC, datetime

from tokenfutures.venue.commands import VenueCommand
from tokenfutures.venue.sequencer import Sequencer
from tokenfutures.venue.state import Applied

#: Placeholder ``ts`` of a command before the sequencer stamps it.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Service:
    """Base of the venue's services: one sequencer, its state and its writer lock."""

    def __init__(self, sequencer: Sequencer) -> None:
        self._seq = sequencer
        self._state = sequencer.state
        self._lock = sequencer.writer

    def _one(self, command: VenueCommand) -> Applied:
        """Journal and apply one command."""
        return self._seq.execute([command])[0]
