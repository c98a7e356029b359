"""Stores: one port per record type (customers.py, pins.py, ... on `base.Store`), backends under
`sql/` and `dynamodb/`, declared once in `registry`, built lazily by `bundle.Stores` (one per
container, functions/container.py). Nothing is imported here: a function imports only the
stores it uses."""
