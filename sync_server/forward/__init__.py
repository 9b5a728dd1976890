"""The nightly forward to the county: eligible days, allowance totals, absences.

Import from here; the modules behind it are internal. ``docs/county-contract.md``
describes what the county receives.
"""

from sync_server.forward.config import ForwardConfig, config_from_env, config_from_mapping
from sync_server.forward.contract import FORMAT, decode, encode, schema
from sync_server.forward.csv_export import csv_tables
from sync_server.forward.errors import (
    BatchNotFound,
    DeliveryError,
    DeliveryRejected,
    ForwardBusy,
    ForwardConfigError,
    ForwardError,
)
from sync_server.forward.outbox import Outbox, StoredBatch
from sync_server.forward.periods import PeriodKind, PeriodScheme
from sync_server.forward.reconcile import month_period, reconcile
from sync_server.forward.runner import Forwarder, RunResult
from sync_server.forward.settings import forward_config
from sync_server.forward.signing import (
    Signer,
    ed25519_signer,
    hmac_signer,
    new_ed25519_private_key_pem,
    verify,
)
from sync_server.forward.source import ForwardDatabase, ForwardSource

__all__ = [
    "FORMAT",
    "BatchNotFound",
    "DeliveryError",
    "DeliveryRejected",
    "ForwardBusy",
    "ForwardConfig",
    "ForwardConfigError",
    "ForwardDatabase",
    "ForwardError",
    "ForwardSource",
    "Forwarder",
    "Outbox",
    "PeriodKind",
    "PeriodScheme",
    "RunResult",
    "Signer",
    "StoredBatch",
    "config_from_env",
    "config_from_mapping",
    "csv_tables",
    "decode",
    "ed25519_signer",
    "encode",
    "forward_config",
    "hmac_signer",
    "month_period",
    "new_ed25519_private_key_pem",
    "reconcile",
    "schema",
    "verify",
]
