"""What is true of AWS and of this machine's AWS set-up, read without botocore sessions.

The shared config and credentials files line by line (`inifile`, `sharedfiles`, `filechecks`,
`configkeys`, `profilenames`, `hygiene`), access key ids and tokens (`keyids`), regions and
partitions (`regions`), services (`services`), access-denied messages (`denial`), clock offsets
(`skew`), the host (`hostenv`), where a request goes and whether it gets there (`route`,
`netcheck`, `x509`), and how this machine's files and helpers are read: with a limit
(`bounded`). Probes read these; they print nothing and import only `model` and `context` from
the rest of awsmedic.
"""
