"""Who recorded a day, and every version of it (issue 11: "who recorded it").

A record names its supervisor by id (``DayRecord.recorded_by``); this device knows the
names of its own supervisors only. A version made on another device of the site comes
from the server without a name, so it is said as made on another device, with its time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from client.app.state.device import Device
from client.store import Store
from shared.records import DayRecord, current_versions


class SyncPlace(StrEnum):
    """Where a version stands with the server (the store's ``sync`` column)."""

    WAITING = "pending"  # in this device's outbox
    SENT = "acknowledged"  # the server has it
    FROM_SERVER = "remote"  # made on another device, received from the server


@dataclass(frozen=True)
class VersionLine:
    record: DayRecord
    number: int  # 1 for the first version of the day
    who: str | None  # the supervisor's name when this device knows them
    place: SyncPlace
    current: bool  # the day's record now (no other version replaces it)


@dataclass(frozen=True)
class DayHistory:
    participant_id: str
    name: str
    day: date
    lines: tuple[VersionLine, ...]  # newest first

    @property
    def current(self) -> VersionLine | None:
        return next((line for line in self.lines if line.current), None)


def supervisor_names(store: Store) -> dict[str, str]:
    """The names of this device's supervisors, by the id their records carry."""
    return {s.id: s.display_name for s in store.supervisors()}


def day_history(device: Device, participant_id: str, day: date) -> DayHistory:
    """Every version of one participant's day, newest first (read as a "view")."""
    store = device.store
    now = device.now()
    person = next((p for p in store.participants(now=now) if p.id == participant_id), None)
    versions = store.versions(participant_id, day, day, now=now)
    places = store.sync_states([v.id for v in versions])
    heads = {v.id for v in current_versions(versions).get((participant_id, day), [])}
    names = supervisor_names(store)
    oldest_first = sorted(versions, key=lambda v: (v.recorded_at, v.id))
    lines = [
        VersionLine(
            record=v,
            number=i,
            who=names.get(v.recorded_by),
            place=_place(places.get(v.id)),
            current=v.id in heads,
        )
        for i, v in enumerate(oldest_first, start=1)
    ]
    return DayHistory(
        participant_id,
        person.display_name if person else participant_id,
        day,
        tuple(reversed(lines)),
    )


def _place(sync: str | None) -> SyncPlace:
    try:
        return SyncPlace(sync or SyncPlace.WAITING.value)
    except ValueError:  # not in the store's answer: it was just saved, so it waits
        return SyncPlace.WAITING
