"""The interactive assistant (prompt_toolkit), imported only when the REPL starts.

`app` (session and loop), `handler` (what a line means), `case` (one case and its commands),
`buffer` and `keys` (paste cleaning, submit), `commands` (the /command registry), `status`
(spinner, Ctrl-C), `view`, `explain` (/why, /probes), `toolbar`, `history`. May import `output`,
`core` and everything below them; never `cli`.
"""
