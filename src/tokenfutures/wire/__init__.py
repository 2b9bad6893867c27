"""The public shapes of the house and the one codec that writes and reads them (msgspec).

``tokenfutures.wire`` is shared by the API (serialises with it), the Python client (decodes
with it), the WebSocket feeds, the journal and ``--json``. It imports only ``core`` and
msgspec, so a client can depend on it without the venue (ADR 0003).
"""

from tokenfutures.wire.codec import (
    Envelope,
    WireError,
    convert,
    decode,
    decode_envelope,
    encode,
    encode_envelope,
    encode_line,
    encode_pretty,
    jsonable,
    schema_components,
    schema_ref,
)
from tokenfutures.wire.shapes import (
    AccountDay,
    Book,
    Contract,
    EndOfDay,
    EndOfDayReport,
    FinalSettlementAudit,
    Fixing,
    LedgerLine,
    Margin,
    MassCancel,
    Order,
    OrderAck,
    Position,
    PriceLevel,
    Settlement,
    Shape,
    StreamMessage,
    Trade,
)

#: Shapes that leave the house over HTTP (the OpenAPI document's components).
PUBLIC_SHAPES: tuple[type[Shape], ...] = (
    OrderAck,
    Order,
    MassCancel,
    PriceLevel,
    Book,
    Trade,
    Settlement,
    Contract,
    Position,
    Margin,
    LedgerLine,
    Fixing,
    EndOfDay,
    AccountDay,
    FinalSettlementAudit,
)

__all__ = [
    "PUBLIC_SHAPES",
    "AccountDay",
    "Book",
    "Contract",
    "EndOfDay",
    "EndOfDayReport",
    "Envelope",
    "FinalSettlementAudit",
    "Fixing",
    "LedgerLine",
    "Margin",
    "MassCancel",
    "Order",
    "OrderAck",
    "Position",
    "PriceLevel",
    "Settlement",
    "Shape",
    "StreamMessage",
    "Trade",
    "WireError",
    "convert",
    "decode",
    "decode_envelope",
    "encode",
    "encode_envelope",
    "encode_line",
    "encode_pretty",
    "jsonable",
    "schema_components",
    "schema_ref",
]
