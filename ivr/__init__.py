"""The admin and test toolkit: flow engine, lint, diff, render, deploy, CLI `ivr`.

Never deployed: `functions/` and `models/` must not import it.
"""
