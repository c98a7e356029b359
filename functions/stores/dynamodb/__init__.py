"""The DynamoDB backend: the tables of template.yaml through botocore's low-level client.
Nothing is imported here: a function imports only the stores it uses (stores/registry.py)."""
