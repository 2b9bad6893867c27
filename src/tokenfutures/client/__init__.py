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
    DefaultAuction,
    Fixing,
    LedgerLine,
    Margin,
    Order,
    OrderAck,
    Position,
    PriceLevel,
    Settlement,
    Trade,
)
from tokenfutures.client.rest import TokenFuturesClient
from tokenfutures.client.stream import SequenceChecker, market_data, private_events, subscribe

__all__ = [
    "ApiError",
    "AuctionBid",
    "AuthenticationError",
    "Book",
    "ClientError",
    "Contract",
    "DefaultAuction",
    "Fixing",
    "LedgerLine",
    "LocalBook",
    "Margin",
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
    "market_data",
    "private_events",
    "subscribe",
]
