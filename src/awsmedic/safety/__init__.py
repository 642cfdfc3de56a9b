"""What keeps secrets in and hostile input out.

`redact` (the only masking rules; `assignments` and `secretforms` hold two of them), `secretscan`
(seeds the scrubber from the environment and the shared files before anything runs), `guard`
(every botocore session: bounded, scrubbed, no refresh; `filesettings`: the files botocore
reads on its own, checked first), `safetext` (the one terminal filter), `logs` (records
scrubbed before formatting) and `inputs` (a paste read bounded). May import `model`,
`context`, `errors` and `aws`.
"""
