"""The venue's services: small command-side and query-side facades over one sequencer.

Each service decides what to journal (validation, refusals that are never sequenced) and
hands commands to the sequencer; queries read the state under the writer lock. ``Venue``
(``venue.service``) composes them: ``venue.trading``, ``venue.accounts``, ``venue.index``,
``venue.settlement`` and ``venue.market`` (ADR 0613).
"""
