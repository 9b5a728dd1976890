"""A stand-in for a wellbeing services county's receiving system (demo and tests).

It plays the county's side of ``docs/county-contract.md`` the way a real endpoint
would: it checks each batch's signature and schema, stores batches idempotently by
batch id and idempotency key, applies days and adjustments, recomputes every period's
totals from the day records it holds, and can be told to be down, slow or failing.
It is not part of the product: the county's system is outside Läsnä.
"""

from county_standin.app import create_app
from county_standin.settings import KeySpec, StandinSettings
from county_standin.store import CountyStore

__all__ = ["CountyStore", "KeySpec", "StandinSettings", "create_app"]
