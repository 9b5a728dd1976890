"""A pushed record read through the server's wire model is the record ``from_dict`` reads,
and what the wire model lets through but a record may not be is refused the same way."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from shared.errors import RecordError
from shared.records import DayRecord, Status
from sync_server.api.models import WireRecord

AT = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _wire(**changes: Any) -> dict[str, Any]:
    record = DayRecord(
        "p-1",
        date(2026, 3, 2),
        Status.PRESENT,
        "ohjaaja-1",
        "dev-1",
        AT,
        id="3f1c2a4b-5d6e-4f70-8192-a3b4c5d6e7f8",
        minutes=300,
    )
    return {**record.to_dict(), **changes}


@pytest.mark.parametrize(
    "wire",
    [
        _wire(),
        _wire(start="08:00", end="13:00", minutes=None, note="Hyvä päivä"),
        _wire(status="absent", minutes=None, reason="child_sick"),
        _wire(supersedes="6a7b", correction_reason="korjaus"),
        _wire(recorded_at="2026-03-02T17:00:00+02:00"),
        _wire(id="3F1C2A4B5D6E4F708192A3B4C5D6E7F8"),  # a UUID spelled another way
    ],
)
def test_the_wire_model_gives_the_record_from_dict_gives(wire: dict[str, Any]) -> None:
    assert WireRecord.model_validate(wire).to_record() == DayRecord.from_dict(wire)


@pytest.mark.parametrize(
    "wire",
    [
        _wire(id="not-a-uuid"),
        _wire(participant_id="   "),
        _wire(recorded_by=" "),
        _wire(device_id="\t"),
        _wire(start="25:00", end="26:00"),
        _wire(end="13:60", start="08:00"),
    ],
)
def test_what_the_schema_lets_through_is_refused_as_from_dict_refuses_it(
    wire: dict[str, Any],
) -> None:
    model = WireRecord.model_validate(wire)
    with pytest.raises(RecordError) as expected:
        DayRecord.from_dict(wire)
    with pytest.raises(RecordError) as refused:
        model.to_record()
    assert str(refused.value) == str(expected.value)
