"""The consultation core: from a paste to a diagnosis, with no terminal and no command line.

`match` (paste -> ranked trees), `engine` (the pure tree walk), `remedy` (a cause and the
evidence -> a Diagnosis), `consult` (one case: probes, questions, outcome), `probing` and
`workers` (a case's probes on daemon threads), `transcript` (the append-only event log and its
redacted view). May import `kb`, `probes`, `safety`, `aws`, `model`, `context` and `errors`.
"""
