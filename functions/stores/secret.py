"""The SQL store's URL built from a Secrets Manager secret (RDS), read through Powertools.

The secret is the JSON RDS writes for a database user:

    {"engine": "postgres", "username": "ivr", "password": "...", "host": "db.xyz.rds...",
     "port": 5432, "dbname": "ivr"}

A deployed function connects to the RDS Proxy (IVR_DATABASE_PROXY_HOST) rather than the
`host` in the secret, which names the instance behind the proxy. Powertools keeps the secret
for `max_age` seconds in the provider, which a container's `Stores` builds once and keeps
(functions/stores/bundle.py), so a rotated password is picked up within 5 minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from functions.config import DATABASE_SECRET_ARN
from functions.errors import ConfigurationError, StoreUnavailable

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

__all__ = ["SECRET_MAX_AGE_SECONDS", "database_url_from_secret", "new_secrets_provider"]

SECRET_MAX_AGE_SECONDS = 300
_SCHEMES = {
    "mysql": "mysql",
    "mariadb": "mysql",
    "aurora-mysql": "mysql",
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "aurora-postgresql": "postgresql",
}
_FIELDS = "engine, username, password, port, dbname (and host unless a proxy host is set)"
# Secrets Manager answers that mean the ARN or the role is wrong, not that the service is down.
_CONFIGURATION_CODES = {
    "ResourceNotFoundException",
    "AccessDeniedException",
    "InvalidRequestException",
    "InvalidParameterException",
    "DecryptionFailure",
}


def database_url_from_secret(
    secret_arn: str, *, proxy_host: str | None = None, provider: SecretsProvider | None = None
) -> str:
    """mysql:// or postgresql:// URL from the secret; host = `proxy_host` or the secret's.
    Read through `provider` (the container's, which caches it), else a new one."""
    secret = _read_secret(secret_arn, provider or new_secrets_provider())
    try:
        scheme = _SCHEMES[str(secret["engine"]).strip().lower()]
        user = quote(str(secret["username"]), safe="")
        password = quote(str(secret.get("password") or ""), safe="")
        host = proxy_host or str(secret["host"])
        port = int(secret["port"])
        database = quote(str(secret["dbname"]), safe="")
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigurationError(
            f"secret {secret_arn} ({DATABASE_SECRET_ARN}) must be JSON with {_FIELDS}; "
            f"engine one of {', '.join(sorted(_SCHEMES))}; problem with {exc}"
        ) from exc
    credentials = f"{user}:{password}" if password else user
    return f"{scheme}://{credentials}@{host}:{port}/{database}"


def _read_secret(secret_arn: str, provider: SecretsProvider) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.parameters.exceptions import (
        GetParameterError,
        TransformParameterError,
    )
    from botocore.exceptions import ClientError

    try:
        value = provider.get(secret_arn, transform="json", max_age=SECRET_MAX_AGE_SECONDS)
    except TransformParameterError as exc:
        raise ConfigurationError(
            f"secret {secret_arn} ({DATABASE_SECRET_ARN}) is not JSON: store {_FIELDS}"
        ) from exc
    except GetParameterError as exc:
        # Powertools re-raises the boto3 error as text; the original is its context.
        cause = exc.__cause__ or exc.__context__
        code = cause.response.get("Error", {}).get("Code") if isinstance(cause, ClientError) else ""
        if code in _CONFIGURATION_CODES:
            raise ConfigurationError(
                f"cannot read secret {secret_arn} ({DATABASE_SECRET_ARN}): {code}; check the "
                "ARN and that the function's role may secretsmanager:GetSecretValue it"
            ) from exc
        raise StoreUnavailable(f"Secrets Manager unreachable for {secret_arn}: {exc}") from exc
    if not isinstance(value, dict):
        raise ConfigurationError(
            f"secret {secret_arn} ({DATABASE_SECRET_ARN}) must be a JSON object with {_FIELDS}"
        )
    return value


def new_secrets_provider() -> SecretsProvider:
    """A provider with the DynamoDB client's short time-outs: Powertools' module-level
    `get_secret` would use boto3's defaults (60 s connect, retries), far beyond the seconds
    Connect waits."""
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    from functions.stores.dynamodb.client import client_config

    return SecretsProvider(boto_config=client_config())
