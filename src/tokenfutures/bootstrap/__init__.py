"""The composition root: one settings object (file and environment) and the functions that
build the running house from it, shared by ``serve``, the CLI and the tests (ADR 0005)."""

from tokenfutures.bootstrap.root import build_api, open_venue
from tokenfutures.bootstrap.settings import (
    CONFIG_ENV,
    ENV_PREFIX,
    ServeSettings,
    Settings,
    StoreSettings,
    VenueSettings,
    load_settings,
)

__all__ = [
    "CONFIG_ENV",
    "ENV_PREFIX",
    "ServeSettings",
    "Settings",
    "StoreSettings",
    "VenueSettings",
    "build_api",
    "load_settings",
    "open_venue",
]
