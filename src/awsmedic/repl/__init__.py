"""The interactive assistant (prompt_toolkit), imported only when the REPL starts."""
