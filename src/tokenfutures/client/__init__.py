"""Python client of the tokenfutures API: typed REST (httpx) and sequence-checked WebSockets."""

from tokenfutures.client.book import LocalBook
from tokenfutures.client.errors import (
    ApiError,
    AuthenticationError,
    ClientError,
    NotFoundError,
    RateLimitError,
    SequenceGapError,
    ValidationError,
)
from tokenfutures.client.models import (
    AuctionBid,
    Book,
    Contract,
    Fixing,
    LedgerLine,
    Margin,
    MemberAuction,
    Order,
    OrderAck,
    Position,
    PriceLevel,
    Settlement,
    Trade,
)
from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.client.stream import (
    SequenceChecker,
    auction_notices,
    market_data,
    private_events,
    subscribe,
)

__all__ = [
    "ApiError",
    "AuctionBid",
    "AuthenticationError",
    "Book",
    "ClientError",
    "Contract",
    "Fixing",
    "LedgerLine",
    "LocalBook",
    "Margin",
    "MemberAuction",
    "NotFoundError",
    "Order",
    "OrderAck",
    "Position",
    "PriceLevel",
    "RateLimitError",
    "SequenceChecker",
    "SequenceGapError",
    "Settlement",
    "TokenFuturesClient",
    "Trade",
    "ValidationError",
    "auction_notices",
    "market_data",
    "private_events",
    "subscribe",
]
