"""Subprocess of the crash test: appends journal batches forever, acknowledging each commit.

Usage: ``python crash_writer.py SQLITE_URL BATCH_SIZE``. After each committed batch it prints
``acked <last seq>`` and flushes, exactly as a venue acknowledges orders after journaling.
"""

from __future__ import annotations

import sys

from storage_helpers import records

from tokenfutures.storage import open_store


def main(url: str, batch: int) -> None:
    store = open_store(url)
    last = store.journal.last_seq()
    print(f"resumed {last}", flush=True)
    while True:
        store.journal.append(records(last + 1, last + batch))
        last += batch
        print(f"acked {last}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
