"""Everything deployed to Lambda: one module per function with a `handler`, the shared
handler runtime, caller-ID and keypad parsing, and the stores. Never imports `ivr`."""
