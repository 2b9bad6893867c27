"""Crash-test driver: run a venue on a SQLite file, print each acknowledged order, forever.

Usage: ``python crash_venue.py URL RUN``. Prints ``ready SEQ`` once recovered, then
``acked CLIENT_ORDER_ID`` after every accepted order; the test SIGKILLs it mid-load.
"""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal

from tokenfutures.core.clock import SystemClock
from tokenfutures.storage import open_store
from tokenfutures.venue.service import Venue
from tokenfutures.venue.views import OrderRequest

FRONT = "SITZ26"


def main(url: str, run: str) -> None:
    venue = Venue.open(open_store(url), SystemClock(), snapshot_every=50)
    if not venue.accounts.ids():
        venue.index.fix_index(date(2026, 11, 23), Decimal("3.50"))
        venue.settlement.list_contracts(date(2026, 11, 24))
        venue.accounts.create_account("alice", deposit=Decimal(1_000_000))
        venue.accounts.create_account("bob", deposit=Decimal(1_000_000))
    print(f"ready {venue.seq}", flush=True)
    i = 0
    while i < 1_000_000:  # bounded: the test kills it long before
        account, side = ("alice", "buy") if i % 2 == 0 else ("bob", "sell")
        price = Decimal(340 + (i * 7) % 21) / 100
        coid = f"{run}-{i}"
        ack = venue.trading.submit_order(account, OrderRequest(FRONT, side, 1 + i % 5, coid, price))
        if ack.status != "accepted":
            raise SystemExit(f"order {coid} was {ack.status}: {ack.reason}")
        print(f"acked {account} {coid}", flush=True)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
