"""Whatever is written to the store is read back identical (property-based)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from client.store import Store
from shared import AbsenceReason, DayRecord, Plan, PlanVersion, Status
from shared.protocol import ParticipantInfo, Reference, SiteInfo

from .builders import NOW, SECRET, SUPERVISOR
from .conftest import LIGHT

# Ids and dates live in clear columns and must be valid UTF-8; payload text may hold anything.
clear_text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30)
any_text = st.text(max_size=200)
days = st.dates(date(2000, 1, 1), date(2100, 12, 31))
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
moments = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(datetime(2000, 1, 2), datetime(2100, 12, 30)),
    offsets,
)

records = st.builds(
    DayRecord,
    participant_id=clear_text,
    day=days,
    status=st.sampled_from(Status),
    recorded_by=clear_text,
    device_id=any_text,
    recorded_at=moments,
    start=st.none() | st.times(),
    end=st.none() | st.times(),
    minutes=st.none() | st.integers(-(2**40), 2**40),
    reason=st.none() | st.sampled_from(AbsenceReason),
    supersedes=st.none() | st.uuids().map(str),
    correction_reason=st.none() | any_text,
    note=st.none() | any_text,
)


@st.composite
def plans(draw: st.DrawFn, participant_id: str) -> Plan:
    froms = sorted(draw(st.sets(days, min_size=1, max_size=3)))
    versions = tuple(
        PlanVersion(
            valid_from=f,
            start=draw(days),
            end=draw(days),
            days_min=draw(st.integers(0, 7)),
            days_max=draw(st.integers(0, 7)),
            minutes_min=draw(st.integers(0, 1440)),
            minutes_max=draw(st.integers(0, 1440)),
            allowance_type=draw(clear_text),
            payer=draw(st.none() | clear_text),
            weekdays=draw(st.none() | st.frozensets(st.integers(1, 7), min_size=1)),
        )
        for f in froms
    )
    return Plan(
        id=str(uuid.uuid4()),
        participant_id=participant_id,
        site_id=draw(clear_text),
        rule_set_id=draw(clear_text),
        versions=versions,
    )


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("roundtrip") / "store.db", SECRET, kdf_params=LIGHT)
    store.create_first_supervisor(SUPERVISOR, "Maija", "471129", now=NOW)
    yield store
    store.close()


@given(record=records)
def test_a_record_version_reads_back_identical(shared_store: Store, record: DayRecord) -> None:
    # a fresh id per example: storing is idempotent by id, so a reused one would keep the first
    record = replace(record, id=str(uuid.uuid4()))
    shared_store.apply_remote_records([record])
    [back] = [
        r
        for r in shared_store.versions(record.participant_id, record.day, record.day, now=NOW)
        if r.id == record.id
    ]
    assert back == record
    assert back.recorded_at.utcoffset() == record.recorded_at.utcoffset()
    assert back.to_dict() == record.to_dict()


@given(
    people=st.lists(
        st.tuples(clear_text, any_text, any_text), max_size=5, unique_by=lambda p: p[0]
    ),
    data=st.data(),
)
def test_participants_and_plans_read_back_identical(
    shared_store: Store, people: list[tuple[str, str, str]], data: st.DataObject
) -> None:
    given_plans = {pid: data.draw(plans(pid)) for pid, _, _ in people}
    shared_store.replace_reference_data(
        SiteInfo("site", "Paja"),
        Reference(
            participants=tuple(ParticipantInfo(i, n, r) for i, n, r in people),
            plans=tuple(given_plans.values()),
            rule_sets=(),
        ),
    )
    back = shared_store.participants(now=NOW)
    assert sorted((p.id, p.display_name, p.client_ref) for p in back) == sorted(people)
    assert {p.id: p.plan for p in back} == given_plans


@given(name=clear_text, value=st.binary(max_size=3000))
def test_a_secret_reads_back_identical(shared_store: Store, name: str, value: bytes) -> None:
    shared_store.put_secret(name, value)
    assert shared_store.get_secret(name) == value
