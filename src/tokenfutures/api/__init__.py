"""The HTTP face of the venue: FastAPI REST under ``/v1``, WebSockets, API keys, problem details."""
