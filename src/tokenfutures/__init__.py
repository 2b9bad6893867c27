"""tokenfutures: a complete market for AI inference-token futures (after Xing 2026)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tokenfutures")  # written once, in pyproject.toml
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
