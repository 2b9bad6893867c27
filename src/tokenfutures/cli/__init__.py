"""The ``tokenfutures`` console script: thin commands (parse -> one service call -> render)."""
