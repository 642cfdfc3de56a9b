"""What a consultation looks like outside: on a terminal, as the contract's JSON, as a file.

`render` (rich output, scrubbed), `report` (the CONTRACT.md JSON and Markdown of `diagnose`),
`exporting` (a redacted transcript written to a file) and `export/` (the Markdown, JSON and
HTML documents, and `show`'s reading them back). May import `core` and everything below it.
"""
