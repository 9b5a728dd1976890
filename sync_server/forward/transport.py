"""Where a batch goes: the county's HTTPS endpoint, a drop folder, or both.

A target's ``deliver`` either returns the county's receipt, raises
:class:`DeliveryError` (worth retrying: a timeout, a refused connection, HTTP 5xx,
408 or 429) or raises :class:`DeliveryRejected` (the county will never take these
bytes: a bad signature, a malformed batch, an idempotency key reused).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Any, Protocol

import httpx

from . import contract
from .csv_export import csv_tables
from .errors import DeliveryError, DeliveryRejected
from .outbox import StoredBatch
from .signing import Signer

RETRYABLE_STATUS = frozenset({408, 425, 429})
PARTIAL_MARK = ".partial-"


class Target(Protocol):
    name: str

    def deliver(self, batch: StoredBatch) -> dict[str, Any]: ...


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
        except httpx.TimeoutException:
            raise DeliveryError(f"The county did not answer within {self.timeout:g} s.") from None
        except httpx.TransportError as exc:
            raise DeliveryError(
                f"The county's endpoint could not be reached ({type(exc).__name__})."
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
