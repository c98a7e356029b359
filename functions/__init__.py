"""Everything deployed to Lambda: one module per function with a `handler`, the shared
handler runtime, caller-ID and keypad parsing, and the stores. Never imports `ivr`."""

from functions.cold_start import pause_collection

# First thing any handler import runs: see functions/cold_start.py.
pause_collection()
