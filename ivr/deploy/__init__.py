"""`ivr deploy` and `ivr export`: flows of contact_flows/ to an Amazon Connect instance and back.

    deploy(env, client_factory, dry_run=False)     lint, resolve `${...}`, create/update in order
    write_import_files(env, out_dir)               `deploy --out`: console-importable JSON, no AWS
    export(env, names, client_factory)             instance -> contact_flows/, placeholders restored
    normalize(document)                            the one JSON layout of flow files

The client factory `(service, region) -> boto3 client` is injected so tests can pass clients
under botocore's Stubber; the CLI builds real ones from --region / --profile.
"""

from __future__ import annotations

from ivr.deploy.deployer import Outcome, deploy, write_import_files
from ivr.deploy.environment import ClientFactory, Environment
from ivr.deploy.exporter import Exported, export
from ivr.deploy.normalize import normalize

__all__ = [
    "ClientFactory",
    "Environment",
    "Exported",
    "Outcome",
    "deploy",
    "export",
    "normalize",
    "write_import_files",
]
