"""Sample records `ivr seed` writes, one module per record family."""
