"""Where a batch goes: the county's HTTPS endpoint, a drop folder, or both; and retries.

A target's ``deliver`` either returns the county's receipt, raises
:class:`DeliveryError` (worth retrying: a refused connection, HTTP 5xx, 408 or 429),
:class:`DeliveryUnknown` (sent, but no answer: a read timeout, a connection broken
after sending) or :class:`DeliveryRejected` (the county will never take these bytes:
a bad signature, a malformed batch, an idempotency key reused).

An unknown outcome is settled by asking the county with the batch's idempotency key
(:func:`deliver_once`): a slow county that stored the batch must not get it twice,
nor have it marked failed. :func:`delivery_retrying` repeats failed attempts with
exponential backoff and jitter until the batch's deadline (tenacity, on the caller's
clock and sleep, so tests never wait).
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    after_nothing,
    before_nothing,
    retry_if_exception_type,
    wait_exponential,
)

from . import contract
from .csv_export import csv_tables
from .errors import DeliveryError, DeliveryRejected, DeliveryUnknown
from .outbox import StoredBatch
from .signing import Signer

RETRYABLE_STATUS = frozenset({408, 425, 429})
PARTIAL_MARK = ".partial-"
LOOKUP_PATH = "/by-key/"  # appended to the endpoint URL, then the quoted idempotency key
# The request never reached the county: sending again cannot make a second copy.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Target(Protocol):
    name: str

    def deliver(self, batch: StoredBatch) -> dict[str, Any]: ...

    def lookup(self, batch: StoredBatch) -> dict[str, Any] | None:
        """The county's receipt if it stored ``batch``, None if it did not."""
        ...


def deliver_once(target: Target, batch: StoredBatch) -> tuple[dict[str, Any], bool]:
    """One attempt; returns the receipt and whether it came from asking the county.

    After an unanswered send the county is asked by idempotency key: stored means
    delivered; not stored means a plain retry; no answer to the question either
    leaves the outcome unknown (the next attempt sends the same bytes, which the
    county answers with "duplicate" if it had them after all).
    """
    try:
        return target.deliver(batch), False
    except DeliveryUnknown as unknown:
        try:
            found = target.lookup(batch)
        except DeliveryError as exc:
            raise DeliveryUnknown(
                f"{unknown} Asking the county whether it has the batch failed too: {exc}"
            ) from None
        if found is None:
            raise DeliveryError(
                f"{unknown} The county has not stored it; it will be sent again."
            ) from None
        return found, True


def delivery_retrying(
    *,
    deadline: datetime,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None],
    rng: random.Random,
    initial: float,
    maximum: float,
    past_attempts: int = 0,
    before: Callable[[RetryCallState], None] = before_nothing,
    after: Callable[[RetryCallState], None] = after_nothing,
) -> Retrying:
    """Retry :class:`DeliveryError` with backoff until the next wait would pass ``deadline``.

    The wait doubles from ``initial`` up to ``maximum`` seconds, counting the failures
    of earlier runs (``past_attempts``), with equal jitter (between half and all of
    it) from ``rng`` so that a county coming back is not hit by every sender at once.
    The final error is raised as it is (a :class:`DeliveryRejected` at once).
    """
    exponential = wait_exponential(multiplier=initial * 2 ** min(past_attempts, 30), max=maximum)

    def wait(state: RetryCallState) -> float:
        return float(exponential(state)) * (0.5 + rng.random() / 2)

    def past_deadline(state: RetryCallState) -> bool:
        return clock() + timedelta(seconds=state.upcoming_sleep) > deadline

    return Retrying(
        retry=retry_if_exception_type(DeliveryError),
        wait=wait,
        stop=past_deadline,
        sleep=sleep,
        before=before,
        after=after,
        reraise=True,
    )


def request_headers(batch: StoredBatch, signer: Signer) -> dict[str, str]:
    return {
        "Content-Type": contract.CONTENT_TYPE,
        contract.IDEMPOTENCY_HEADER: batch.idempotency_key,
        contract.BATCH_ID_HEADER: batch.batch_id,
        "X-Lasna-Format": contract.FORMAT,
        **signer.headers(batch.body),
    }


class HttpTarget:
    name = "http"

    def __init__(self, client: httpx.Client, url: str, signer: Signer, timeout: float) -> None:
        self.client = client
        self.url = url
        self.signer = signer
        self.timeout = timeout

    def deliver(self, batch: StoredBatch) -> dict[str, Any]:
        try:
            response = self.client.post(
                self.url,
                content=batch.body,
                headers=request_headers(batch, self.signer),
                timeout=self.timeout,
            )
        except NOT_SENT as exc:
            raise DeliveryError(
                f"The county's endpoint could not be reached ({type(exc).__name__})."
            ) from None
        except httpx.TimeoutException:
            raise DeliveryUnknown(
                f"The county did not answer within {self.timeout:g} s after the batch was sent."
            ) from None
        except httpx.TransportError as exc:
            raise DeliveryUnknown(
                f"The connection to the county broke after the batch was sent "
                f"({type(exc).__name__})."
            ) from None
        code = response.status_code
        if code >= 500 or code in RETRYABLE_STATUS:
            raise DeliveryError(f"The county answered HTTP {code}; the batch will be retried.")
        if not 200 <= code < 300:
            raise DeliveryRejected(
                f"The county refused batch {batch.batch_id} with HTTP {code}: {_detail(response)}",
                status_code=code,
            )
        try:
            receipt = response.json()
        except ValueError:
            raise DeliveryError(
                "The county's answer was not JSON; the batch will be sent again."
            ) from None
        if not isinstance(receipt, dict) or receipt.get("batch_id") != batch.batch_id:
            raise DeliveryError(
                "The county's answer does not name this batch; the batch will be sent again."
            )
        receipt["http_status"] = code
        return receipt

    def lookup(self, batch: StoredBatch) -> dict[str, Any] | None:
        """Ask the county for the receipt of ``batch`` by its idempotency key.

        ``GET <endpoint>/by-key/<key>``, signed over the key's UTF-8 bytes: 200 with
        the receipt, 404 when the county has no batch under that key.
        """
        key = batch.idempotency_key
        try:
            response = self.client.get(
                self.url.rstrip("/") + LOOKUP_PATH + quote(key, safe=""),
                headers={"Accept": contract.CONTENT_TYPE, **self.signer.headers(key.encode())},
                timeout=self.timeout,
            )
        except httpx.TransportError as exc:
            raise DeliveryError(
                f"The county's batch lookup did not answer ({type(exc).__name__})."
            ) from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DeliveryError(f"The county's batch lookup answered HTTP {response.status_code}.")
        try:
            receipt = response.json()
        except ValueError:
            receipt = None
        if not isinstance(receipt, dict) or receipt.get("batch_id") != batch.batch_id:
            raise DeliveryError("The county's batch lookup did not name this batch.")
        receipt["http_status"] = response.status_code
        return receipt


class DropFolderTarget:
    """Writes ``<sequence>-<batch id>/`` with the JSON, its signature and the CSV tables.

    Everything is written into a hidden sibling folder first, synced to disk, and
    then renamed into place in one step: a reader sees the whole batch or nothing.
    """

    name = "drop"

    def __init__(self, folder: Path, signer: Signer) -> None:
        self.folder = folder
        self.signer = signer

    def final_path(self, batch: StoredBatch) -> Path:
        return self.folder / f"{batch.sequence:08d}-{batch.batch_id}"

    def deliver(self, batch: StoredBatch) -> dict[str, Any]:
        final = self.final_path(batch)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._sweep()
            if final.exists():
                on_disk = (final / "batch.json").read_bytes()
                if on_disk != batch.body:
                    raise DeliveryRejected(
                        f"The drop folder already holds a different {final.name}; "
                        "an administrator must look at it."
                    )
                return {"batch_id": batch.batch_id, "status": "duplicate", "path": str(final)}
            partial = self.folder / f".{final.name}{PARTIAL_MARK}{secrets.token_hex(4)}"
            partial.mkdir()
            files = {
                "batch.json": batch.body,
                "batch.json.sig": json.dumps(
                    request_headers(batch, self.signer), indent=2, sort_keys=True
                ).encode("utf-8"),
            }
            document = contract.decode(batch.body)
            for name, text in csv_tables(document).items():
                files[name] = text.encode("utf-8")
            for name, data in files.items():
                _write_synced(partial / name, data)
            _sync_dir(partial)
            os.rename(partial, final)
            _sync_dir(self.folder)
        except OSError as exc:
            raise DeliveryError(
                f"The batch could not be written to the drop folder: {exc.strerror}."
            ) from None
        return {"batch_id": batch.batch_id, "status": "accepted", "path": str(final)}

    def lookup(self, batch: StoredBatch) -> dict[str, Any] | None:
        # Never needed: a write either fails or completes, and deliver itself answers
        # "duplicate" for a batch already on disk.
        return None

    def _sweep(self) -> None:
        """Remove folders half-written by a run that died before its rename."""
        for entry in self.folder.iterdir():
            if entry.name.startswith(".") and PARTIAL_MARK in entry.name:
                shutil.rmtree(entry, ignore_errors=True)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or "(no detail)"
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return str(body["detail"])
    return json.dumps(body)[:200]
