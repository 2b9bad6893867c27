"""Allow ``python -m tokenfutures``."""

from tokenfutures.cli.app import main

main()
