"""The device's sync client: push the outbox in batches, then pull the site's changes.

While the store is locked (no data key in memory) a round still sends: each outbox
entry also holds its version sealed to the server's key, and the credential is kept
under the device secret alone, so the round pushes those boxes to ``/v1/push-sealed``
and marks versions sent from the answers' ids. Pulling, closed months and versions
without a box wait for an unlocked round (docs/app.md, docs/security.md).

A version leaves the outbox only on the server's answer for it (``accepted`` or
``duplicate`` acknowledge it; ``conflict`` and ``rejected`` move it to the store's
attention list for a supervisor). A round that fails half-way leaves the rest
queued; the next round sends it again and the server answers ``duplicate`` for
what it already has, so nothing is lost or doubled.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

import httpx

from client.store import Store, StoreError, StoreLocked
from client.sync.errors import (
    EnrollmentError,
    NotEnrolled,
    ProtocolTooOld,
    ServerRefused,
    SyncError,
    Unreachable,
)
from client.sync.state import Enrollment, SyncReport, SyncState
from client.sync.transport import DEFAULT_TIMEOUT, Backoff, Transport
from shared.error_codes import ErrorCode
from shared.errors import RejectedInput
from shared.findings import Finding
from shared.protocol import (
    AnswerStatus,
    AuditUpload,
    EnrollReply,
    EnrollRequest,
    MonthClose,
    ProtocolError,
    PullReply,
    PushReply,
    PushRequest,
    RecordAnswer,
    SealedPushRequest,
)
from shared.records import DayRecord

CREDENTIAL_SECRET = "device_credential"
META_SERVER_URL = "server_url"
META_DEVICE_ID = "device_id"
META_SITE_ID = "site_id"
META_CURSOR = "sync_cursor"
META_LAST_SUCCESS = "sync_last_success"
META_LAST_ERROR = "sync_last_error"
META_LAST_ERROR_CODE = "sync_last_error_code"  # JSON {"code": ..., "params": {...}}
META_MONTHS_SENT = "sync_months_sent"
# The generation of the server's data last pulled: a restore from a backup starts a new one.
META_GENERATION = "sync_generation"
# Whole-batch refusals that name the records at fault: those go to the attention list.
# A month close the server will not take yet: the close stays on the device, sent again.
_MONTH_REFUSALS = frozenset({ErrorCode.MONTH_NOT_OVER, ErrorCode.CLOSER_UNKNOWN})
_RECORD_REFUSALS = frozenset({ErrorCode.UNKNOWN_PARTICIPANT, ErrorCode.PARTICIPANT_OF_ANOTHER_SITE})


class SyncClient:
    def __init__(
        self,
        store: Store,
        http: httpx.Client,
        *,
        batch_size: int = 200,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] | None = None,
        backoff: Backoff | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1.")
        self.store = store
        self.http = http
        self.batch_size = batch_size
        self.audit_batch_size = 1000
        self.rng = rng or random.Random()
        self.sleep = sleep
        self.backoff = backoff or Backoff()
        self.timeout = timeout
        self._round = threading.Lock()
        self._idle = threading.Condition()  # notified when a round ends
        self._credential: str | None = None
        self._online: bool | None = None
        self._in_progress = False
        self._waiting_for_unlock = False
        self._update_required = False
        self._counts = (0, 0)  # conflicts, rejections: last known (the list is sealed)

    # -- enrollment -----------------------------------------------------------------

    @staticmethod
    def enroll(
        http: httpx.Client,
        server_url: str,
        code: str,
        *,
        device_name: str,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> Enrollment:
        """Exchange a one-time code for this device's credential (not stored yet: see attach)."""
        url = check_server_url(server_url)
        if not code.strip():
            raise EnrollmentError(
                "Enter the enrollment code from the administrator.", code=ErrorCode.CODE_MISSING
            )
        transport = Transport(http, url, timeout=timeout, backoff=Backoff(attempts=2, base=0.5))
        request = EnrollRequest(code.strip(), device_name.strip() or "Läsnä")
        try:
            raw = transport.post("/v1/enroll", request.to_dict(), idempotent=False)
            reply = EnrollReply.from_dict(raw)
        except ProtocolTooOld as exc:
            raise EnrollmentError(str(exc), code=ErrorCode.PROTOCOL_TOO_OLD) from None
        except ServerRefused as exc:
            raise EnrollmentError(str(exc), code=exc.enrollment_problem()) from None
        except Unreachable as exc:
            raise EnrollmentError(
                f"The server {url} cannot be reached. Check the address and the network, "
                "then try again.",
                code=exc.problem()[0],
                params={"server": url},
            ) from None
        except ProtocolError as exc:
            raise EnrollmentError(
                f"The server's answer was not understood: {exc}", code=ErrorCode.BAD_REPLY
            ) from None
        return Enrollment(
            url,
            reply.device_id,
            reply.site.id,
            reply.site.name,
            reply.credential,
            reply.server_key,
        )

    def attach(self, enrollment: Enrollment) -> None:
        """Keep the credential sealed in the store and start syncing from scratch."""
        self.store.put_secret(CREDENTIAL_SECRET, enrollment.credential.encode("utf-8"))
        self.store.put_device_credential(enrollment.credential.encode("utf-8"))
        self.store.set_meta(META_SERVER_URL, enrollment.server_url)
        self.store.set_meta(META_DEVICE_ID, enrollment.device_id)
        self.store.set_meta(META_SITE_ID, enrollment.site_id)
        self.store.set_meta(META_CURSOR, "")
        self.store.set_meta(META_MONTHS_SENT, "[]")
        self.store.set_meta(META_GENERATION, "")
        self.store.set_meta(META_LAST_ERROR, "")
        self.store.set_meta(META_LAST_ERROR_CODE, "")
        if enrollment.server_key is not None:  # re-seals what waits for the new device id
            self.store.set_server_key(enrollment.server_key)
        self._credential = enrollment.credential

    # -- one round ------------------------------------------------------------------

    def sync_once(self, *, now: datetime, full: bool = False) -> SyncReport:
        """Push the outbox, send closed months, pull. Failures go to :meth:`state`.

        ``full`` pulls from the beginning (the nightly round), refreshing everything.
        """
        report = SyncReport(started_at=now)
        with self._idle:
            if not self._round.acquire(blocking=False):
                report.skipped = "in_progress"
                return report
            self._in_progress = True
        try:
            # The app's idle timer forgets the session; the sync does not judge idleness.
            locked = self.store.is_locked()
            transport = self._transport(locked)
            if locked:
                # Only boxes sealed for today's device id and server key are sent (a
                # re-enrollment re-seals at the next unlock); the audit entries, closed
                # months and the pull wait for an unlocked round.
                self._push_sealed(transport, now, report)
                if self.store.unsealed_count():
                    report.skipped = "locked"  # sent what it could; the rest after unlock
            else:
                self._push(transport, now, report)
                self._send_audit(transport, report)
                self._send_months(transport, now, report)
                if self._pull(transport, full, report, now):
                    # The server was restored from a backup: send what it lacks, then
                    # pull everything (see _start_over).
                    self._push(transport, now, report)
                    self._send_audit(transport, report)
                    self._send_months(transport, now, report)
                    self._pull(transport, True, report, now)
            report.ok = True
            self._online = True
            self._waiting_for_unlock = report.skipped == "locked"
            self._update_required = False
            self.store.set_meta(META_LAST_SUCCESS, now.isoformat())
            self.store.set_meta(META_LAST_ERROR, "")
            self.store.set_meta(META_LAST_ERROR_CODE, "")
        except StoreLocked:
            report.skipped = "locked"
            self._waiting_for_unlock = True
        except NotEnrolled as exc:
            report.skipped = "not_enrolled"
            self._fail(report, exc, online=self._online)
        except Unreachable as exc:
            self._fail(report, exc, online=False)
        except ProtocolTooOld as exc:
            self._update_required = True
            self._fail(report, exc, online=True)
        except ServerRefused as exc:
            self._fail(report, exc, online=True, message=_refusal_text(exc))
        except (ProtocolError, RejectedInput, SyncError) as exc:
            not_understood = SyncError(
                f"The server's answer was not understood: {exc}", code=ErrorCode.BAD_REPLY
            )
            self._fail(report, not_understood, online=True)
        finally:
            self._refresh_counts()
            with self._idle:
                self._in_progress = False
                self._round.release()
                self._idle.notify_all()
        return report

    def _fail(
        self, report: SyncReport, exc: SyncError, *, online: bool | None, message: str = ""
    ) -> None:
        code, params = exc.problem()
        report.error = message or str(exc)
        report.error_code, report.error_params = str(code), params
        self._online = online
        with contextlib.suppress(StoreError):
            self.store.set_meta(META_LAST_ERROR, report.error)
            self.store.set_meta(
                META_LAST_ERROR_CODE, json.dumps({"code": str(code), "params": params})
            )

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no round is running (at most ``timeout`` seconds; None: no limit).

        True when idle. A caller that wants its own round after the running one calls
        :meth:`sync_once` again (see :meth:`SyncScheduler.run_now`)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._in_progress, timeout)

    def _transport(self, locked: bool = False) -> Transport:
        url = self.store.get_meta(META_SERVER_URL)
        if not url:
            raise NotEnrolled()
        if self._credential is None:
            # Locked: the copy under the device secret alone (docs/security.md).
            secret = (
                self.store.device_credential()
                if locked
                else self.store.get_secret(CREDENTIAL_SECRET)
            )
            if secret is None:
                raise NotEnrolled() if not locked else StoreLocked()
            self._credential = secret.decode("utf-8")
        if not locked and self.store.device_credential() is None:
            # enrolled by an older version: keep the copy a locked round will need
            self.store.put_device_credential(self._credential.encode("utf-8"))
        return Transport(
            self.http,
            url,
            credential=self._credential,
            timeout=self.timeout,
            backoff=self.backoff,
            rng=self.rng,
            sleep=self.sleep,
        )

    def _push(self, transport: Transport, now: datetime, report: SyncReport) -> None:
        size = self.batch_size
        while True:
            batch = self.store.outbox_pending(size)
            if not batch:
                return
            try:
                request = push_request(self._as_enrolled(batch), now, self._generation())
                raw = transport.post("/v1/push", request.to_dict())
            except ServerRefused as exc:
                if self._restored(exc, now):
                    continue  # what the server lacks is queued first now
                if exc.status == 413 and size > 1:
                    limit = exc.details.get("limit_records")
                    size = max(1, min(size // 2, limit if isinstance(limit, int) else size))
                    continue
                if exc.code in _RECORD_REFUSALS and self._refuse_named(
                    exc, {r.id for r in batch}, report, self.store.outbox_answer
                ):
                    continue
                raise
            reply = PushReply.from_dict(raw)
            sent = {r.id for r in batch}
            answers = [a for a in reply.answers if a.id in sent]
            self.store.outbox_answer(answers)
            head = self.store.outbox_pending(1)
            if head and head[0].id == batch[0].id:
                # Never loop on a batch the server does not answer: report and try later.
                raise Unreachable(
                    "The sync server did not answer the records sent; try later.",
                    code=ErrorCode.NOT_ANSWERED,
                )
            report.pushed += len(batch)
            _count(answers, report)

    def _push_sealed(self, transport: Transport, now: datetime, report: SyncReport) -> None:
        """Send the outbox's boxes (the store is locked); answers are applied by id."""
        size = self.batch_size
        while True:
            batch = self.store.sealed_pending(size)
            if not batch:
                return
            sent = {e.id for e in batch}
            request = SealedPushRequest(
                tuple(batch), device_time=now, generation=self._generation()
            )
            try:
                raw = transport.post("/v1/push-sealed", request.to_dict())
            except ServerRefused as exc:
                if self._restored(exc, now):
                    return  # every box is dropped: all goes, in order, after the next unlock
                if exc.status == 413 and size > 1:
                    limit = exc.details.get("limit_records")
                    size = max(1, min(size // 2, limit if isinstance(limit, int) else size))
                    continue
                if exc.code == ErrorCode.SEALED_UNREADABLE:
                    named = exc.details.get("records")
                    unreadable = [i for i in named if i in sent] if isinstance(named, list) else []
                    if unreadable:  # those go unsealed after the next unlock
                        self.store.drop_sealed(unreadable)
                        continue
                if exc.code in _RECORD_REFUSALS and self._refuse_named(
                    exc, sent, report, self.store.answer_sealed
                ):
                    continue
                raise
            reply = PushReply.from_dict(raw)
            answers = [a for a in reply.answers if a.id in sent]
            self.store.answer_sealed(answers)
            head = self.store.sealed_pending(1)
            if head and head[0].id == batch[0].id:
                raise Unreachable(
                    "The sync server did not answer the records sent; try later.",
                    code=ErrorCode.NOT_ANSWERED,
                )
            report.pushed += len(batch)
            _count(answers, report)

    def _generation(self) -> str | None:
        return self.store.get_meta(META_GENERATION) or None

    def _restored(self, exc: ServerRefused, now: datetime) -> bool:
        """A push refused because the server's data was restored: taken in (True)."""
        generation = exc.details.get("generation")
        if (
            exc.code != ErrorCode.SERVER_RESTORED
            or not isinstance(generation, str)
            or not generation
            or generation == self._generation()  # refused under the new one too: a fault
        ):
            return False
        self._start_over(generation, now)
        return True

    def _start_over(self, generation: str, now: datetime) -> None:
        """The server's data was restored from a backup, which lacks what the server
        acknowledged after the backup was made. Queue every version it acknowledged again
        (it answers ``duplicate`` for those it has), send the audit entries and closed
        months again (kept once each), and pull from the start: this device's cursor may
        point past the restored data's changes."""
        self.store.server_restored(now=now)
        self.store.set_meta(META_MONTHS_SENT, "[]")
        self.store.set_meta(META_CURSOR, "")
        self.store.set_meta(META_GENERATION, generation)

    def _refuse_named(
        self,
        exc: ServerRefused,
        sent: set[str],
        report: SyncReport,
        apply: Callable[[list[RecordAnswer]], None],
    ) -> bool:
        """The server refused a batch for records it names: set those aside, keep going."""
        named = exc.details.get("records")
        if not isinstance(named, list):
            return False
        answers = [
            RecordAnswer(n["id"], AnswerStatus.REJECTED, _findings(n.get("findings")))
            for n in named
            if isinstance(n, dict) and n.get("id") in sent
        ]
        if not answers:
            return False
        apply(answers)
        report.rejected += len(answers)
        return True

    def _as_enrolled(self, batch: Sequence[DayRecord]) -> list[DayRecord]:
        """The batch as this device sends it now: the server takes a version only from
        the device it names, and a device joined again after a revocation has a new id.
        What waited in the outbox never reached the server, so it goes under the current
        id (the stored versions are never changed in place; the ids stay the same)."""
        device_id = self.store.get_meta(META_DEVICE_ID)
        if not device_id:
            return list(batch)
        return [r if r.device_id == device_id else replace(r, device_id=device_id) for r in batch]

    def _send_audit(self, transport: Transport, report: SyncReport) -> None:
        """The audit entries not yet on the server, for its access log (after the push:
        the server logs who processed a participant's data on this device too)."""
        for _batch in range(1000):  # a bound, not a limit anyone reaches
            lines = self.store.audit_unsent(self.audit_batch_size)
            if not lines:
                return
            try:
                transport.post("/v1/audit", AuditUpload(tuple(lines)).to_dict())
            except ServerRefused as exc:
                if exc.status == 404:
                    return  # a server from before the access log: the entries wait here
                raise
            self.store.audit_sent(lines[-1].seq)
            report.audit_sent += len(lines)

    def _send_months(self, transport: Transport, now: datetime, report: SyncReport) -> None:
        site_id = self.store.get_meta(META_SITE_ID)
        if not site_id:
            return
        sent = {tuple(m) for m in json.loads(self.store.get_meta(META_MONTHS_SENT) or "[]")}
        closed_by = self.store.current_supervisor or "device"
        for year, month in sorted(self.store.closed_months() - sent):
            close = MonthClose(site_id, year, month, closed_by, now)
            try:
                transport.post("/v1/months/close", close.to_dict())
            except ServerRefused as exc:
                if exc.code in _MONTH_REFUSALS:
                    continue  # not over yet, or its supervisor's records not on the server yet
                raise
            sent.add((year, month))
            self.store.set_meta(META_MONTHS_SENT, json.dumps(sorted(sent)))
            report.months_sent += 1

    def _pull(self, transport: Transport, full: bool, report: SyncReport, now: datetime) -> bool:
        """Pull every page; True (nothing applied) when the server's data turns out to be
        restored from a backup since the last round: the caller sends again and pulls all."""
        cursor = None if full else (self.store.get_meta(META_CURSOR) or None)
        for _page in range(10_000):  # a bound, not a limit anyone reaches
            reply = PullReply.from_dict(
                transport.get("/v1/pull", {"cursor": cursor} if cursor else None)
            )
            known = self._generation()
            if reply.generation is not None and reply.generation != known:
                if known is not None:
                    self._start_over(reply.generation, now)
                    return True
                self.store.set_meta(META_GENERATION, reply.generation)
            if reply.reference is not None:
                self.store.replace_reference_data(reply.site, reply.reference)
                report.reference_updated = True
            if reply.records:
                self.store.apply_remote_records(list(reply.records))
                report.pulled_records += len(reply.records)
            if reply.server_key is not None:  # learnt here by devices enrolled before it
                self.store.set_server_key(reply.server_key)
            # After applying: a crash in between pulls the same page again (idempotent).
            self.store.set_meta(META_CURSOR, reply.cursor)
            cursor = reply.cursor
            if not reply.more:
                self._follow_months(reply, report)
                self.store.keep_site_requests(reply.requests)
                return False
        return False

    def _follow_months(self, reply: PullReply, report: SyncReport) -> None:
        """The site's month closes as the server has them: another device's close is
        added; a month the server no longer lists (an administrator reopened it) opens
        again here. A close not yet accepted by the server stays until it is."""
        site = {(m.year, m.month): m for m in reply.closed_months}
        sent = {tuple(m) for m in json.loads(self.store.get_meta(META_MONTHS_SENT) or "[]")}
        local = self.store.closed_months()
        reopened = {m for m in local & sent if m not in site}
        added = [m for key, m in site.items() if key not in local]
        if reopened or added:
            self.store.follow_closed_months(
                [(m.year, m.month, m.closed_by, m.closed_at) for m in added], reopened
            )
            report.months_reopened += len(reopened)
        self.store.set_meta(META_MONTHS_SENT, json.dumps(sorted((sent - reopened) | set(site))))

    # -- state for the UI -------------------------------------------------------------

    def _refresh_counts(self) -> None:
        try:
            items = self.store.attention()
        except StoreError:
            return
        conflicts = sum(1 for a in items if a.status == AnswerStatus.CONFLICT.value)
        self._counts = (conflicts, len(items) - conflicts)

    def state(self) -> SyncState:
        """Never raises: what is known now (counts may be from the last unlocked moment)."""
        self._refresh_counts()
        try:
            pending = self.store.outbox_count()
            last_success_raw = self.store.get_meta(META_LAST_SUCCESS)
            last_error = self.store.get_meta(META_LAST_ERROR) or None
            code_raw = self.store.get_meta(META_LAST_ERROR_CODE) or ""
            enrolled = bool(self.store.get_meta(META_SERVER_URL))
        except StoreError:
            pending, last_success_raw, last_error, code_raw, enrolled = 0, None, None, "", False
        code, params = _stored_problem(code_raw) if last_error else (None, {})
        return SyncState(
            online=self._online,
            last_success=datetime.fromisoformat(last_success_raw) if last_success_raw else None,
            pending=pending,
            last_error=last_error,
            conflicts=self._counts[0],
            rejections=self._counts[1],
            in_progress=self._in_progress,
            waiting_for_unlock=self._waiting_for_unlock,
            update_required=self._update_required,
            enrolled=enrolled,
            last_error_code=code,
            last_error_params=params,
        )

    def has_work(self) -> bool:
        """Something waits to be sent (what the scheduler's short interval checks)."""
        try:
            return self.store.outbox_count() > 0
        except StoreError:
            return False


def _count(answers: Sequence[RecordAnswer], report: SyncReport) -> None:
    for a in answers:
        if a.status is AnswerStatus.ACCEPTED:
            report.accepted += 1
        elif a.status is AnswerStatus.DUPLICATE:
            report.duplicates += 1
        elif a.status is AnswerStatus.CONFLICT:
            report.conflicts += 1
        else:
            report.rejected += 1


def push_request(
    batch: Sequence[DayRecord], now: datetime, generation: str | None = None
) -> PushRequest:
    """The push request for the outbox's next versions, sent at ``now``."""
    return PushRequest(tuple(batch), device_time=now, generation=generation)


def _findings(raw: Any) -> tuple[Finding, ...]:
    """The findings a whole-batch refusal names for a record (what this app can read)."""
    if not isinstance(raw, list):
        return ()
    out: list[Finding] = []
    for item in raw:
        try:
            out.append(Finding.from_dict(item))
        except (KeyError, TypeError, ValueError):
            continue  # a code this app does not know: the refusal itself still counts
    return tuple(out)


def check_server_url(server_url: str) -> str:
    """A usable base address; plain http only for a server on this machine."""
    url = server_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EnrollmentError(
            "The server address must look like https://server.example.fi (check for typos).",
            code=ErrorCode.URL_INVALID,
        )
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise EnrollmentError(
            "The server address must start with https:// so that the data travels encrypted.",
            code=ErrorCode.NOT_HTTPS,
        )
    return url


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _refusal_text(exc: ServerRefused) -> str:
    if exc.status == 401:
        return (
            "The server no longer accepts this device (it may have been revoked). Ask the "
            "administrator for a new enrollment code."
        )
    return str(exc)


def _stored_problem(raw: str) -> tuple[str | None, dict[str, Any]]:
    """The code and params kept beside the last error (none from an older app)."""
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        return None, {}
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return None, {}
    params = data.get("params")
    return data["code"], dict(params) if isinstance(params, dict) else {}
