"""The HTTP face of the venue: FastAPI REST under ``/v1``, WebSockets, API keys, problem details."""

from tokenfutures.api.app import create_app
from tokenfutures.api.server import RunningServer, serve_in_thread
from tokenfutures.api.settings import ApiSettings

__all__ = ["ApiSettings", "RunningServer", "create_app", "serve_in_thread"]
