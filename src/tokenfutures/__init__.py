"""tokenfutures: a complete market for AI inference-token futures (after Xing 2026)."""

__version__ = "0.1.0"
