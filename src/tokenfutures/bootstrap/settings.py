"""One configuration for the house: pydantic-settings from an optional TOML file and the
environment (``TOKENFUTURES_`` prefix, ``__`` between nested names), frozen once loaded.

Precedence, highest first: explicit values (command-line flags, tests), environment
variables, the TOML file (``--config`` or ``TOKENFUTURES_CONFIG``), the defaults below.
Example: ``TOKENFUTURES_STORE__URL=memory://`` or, in the file, ``[store] url = "memory://"``.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from tokenfutures.api.settings import ApiSettings
from tokenfutures.clearing.margin.live import canonical_method
from tokenfutures.core.errors import InvalidParameterError

ENV_PREFIX = "TOKENFUTURES_"
#: Environment variable naming the TOML file (the ``--config`` option wins over it).
CONFIG_ENV = ENV_PREFIX + "CONFIG"
DEFAULT_DATABASE = "sqlite:///tokenfutures.db"

_CONFIG_FILE: ContextVar[Path | None] = ContextVar("tokenfutures_config_file", default=None)


class StoreSettings(BaseModel):
    """Where the venue keeps its journal, snapshots and ledger."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    url: str = Field(
        default=DEFAULT_DATABASE,
        description="sqlite:///path[?synchronous=full|normal], postgresql+psycopg://… or memory://",
    )


#: A live margin method by its name or alias (``clearing.margin.live``, ADR 0431).
MarginMethodName = Annotated[
    Literal["hs-es", "paper-eq7", "span-scan", "fhs-var", "eq7", "span", "fhs"],
    AfterValidator(canonical_method),
]


class VenueSettings(BaseModel):
    """The sequencer's knobs (``Venue.open``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    snapshot_every: int = Field(default=10_000, ge=1, description="commands between snapshots")
    record_events: bool = Field(default=True, description="write the derived event log")
    auction_window_s: int = Field(
        default=3600,
        ge=1,
        le=7 * 86_400,
        description="bid window of a default auction, seconds of the venue's clock (ADR 0420)",
    )
    margin_method: MarginMethodName | None = Field(
        default=None,
        description="live initial-margin method (hs-es, eq7, span, fhs); journalled when it "
        "changes, so a replay margins the same way. Unset: keep the journal's (default hs-es)",
    )


class ServeSettings(BaseModel):
    """``tokenfutures serve``: where to listen and what to run beside the venue."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535, description="TCP port (0 = any free port)")
    market_maker: bool = Field(default=True, description="run the reference market maker")


class Settings(BaseSettings):
    """Everything the composition root needs to build the venue, its store and its API."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        frozen=True,
        extra="forbid",
    )

    store: StoreSettings = StoreSettings()
    venue: VenueSettings = VenueSettings()
    api: ApiSettings = ApiSettings()
    serve: ServeSettings = ServeSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit values, then the environment, then the TOML file (no dotenv, no secrets)."""
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _CONFIG_FILE.get()
        if path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)


def load_settings(config: Path | None = None, **values: Any) -> Settings:
    """The settings from ``config`` (else ``$TOKENFUTURES_CONFIG``), the environment and ``values``.

    ``values`` are explicit top-level sections (``store={"url": ...}``) that beat both.
    A named file that does not exist is an ``InvalidParameterError`` (exit code 2 in the CLI).
    """
    named = config if config is not None else os.environ.get(CONFIG_ENV) or None
    path = Path(named) if named is not None else None
    if path is not None and not path.is_file():
        raise InvalidParameterError("config", str(path), "an existing TOML file")
    token = _CONFIG_FILE.set(path)
    try:
        return Settings(**values)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidParameterError(where, first.get("input"), _requirement(first)) from None
    finally:
        _CONFIG_FILE.reset(token)


def _requirement(error: Any) -> str:
    """What a pydantic error says the value must be, for ``<name> must be <requirement>``."""
    if error["type"] == "extra_forbidden":
        return "a known setting"
    message = str(error["msg"])
    return message.removeprefix("Input should be ").removeprefix("Value error, ")
