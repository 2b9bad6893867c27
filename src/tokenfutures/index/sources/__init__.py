"""Readers that turn real price and capability data into index inputs (the only I/O of ``index``)."""

from tokenfutures.index.sources.capability_csv import read_capability_book
from tokenfutures.index.sources.genai_prices_pkg import read_genai_prices
from tokenfutures.index.sources.llm_prices_json import read_llm_prices_json
from tokenfutures.index.sources.presence_csv import read_delistings
from tokenfutures.index.sources.price_csv import read_price_csv

__all__ = [
    "read_capability_book",
    "read_delistings",
    "read_genai_prices",
    "read_llm_prices_json",
    "read_price_csv",
]
