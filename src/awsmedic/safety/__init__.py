"""What keeps secrets in and hostile input out.

`redact` (the only masking rules), `secretscan` (seeds the scrubber from the environment and the
shared files before anything runs), `guard` (every botocore session: bounded, scrubbed, no
refresh), `safetext` (terminal-safe text), `logs` (records scrubbed before formatting) and
`inputs` (a paste read bounded). May import `model`, `context`, `errors` and `aws`.
"""
