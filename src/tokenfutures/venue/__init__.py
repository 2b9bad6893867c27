"""The running market: sequencer, services, replay; ``ports`` are its storage Protocols."""
