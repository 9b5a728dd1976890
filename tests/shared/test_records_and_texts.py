"""The wire form of records, and a text in every language for every code and status."""

from __future__ import annotations

import json
import string
from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared import AbsenceReason, DayRecord, RecordError, Status, history, term
from shared.findings import SEVERITY_OF, Finding, finding
from shared.messages import FINDINGS, LANGUAGES, TERMS
from tests.support.factory import NOW, present

texts = st.text(alphabet=string.ascii_letters + "äöåÄÖÅ ’-", max_size=40)
quarter_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@given(
    st.builds(
        DayRecord,
        participant_id=st.uuids().map(str),
        day=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
        status=st.sampled_from(Status),
        recorded_by=texts.filter(str.strip),
        device_id=st.uuids().map(str),
        recorded_at=st.datetimes(
            datetime(2000, 1, 1), datetime(2100, 12, 31), timezones=st.just(UTC)
        ),
        start=st.none() | quarter_times,
        end=st.none() | quarter_times,
        minutes=st.none() | st.integers(0, 1440),
        reason=st.none() | st.sampled_from(AbsenceReason),
        supersedes=st.none() | st.uuids().map(str),
        correction_reason=st.none() | texts,
        note=st.none() | texts,
    )
)
def test_wire_form_round_trips(record: DayRecord) -> None:
    wire = json.loads(json.dumps(record.to_dict()))
    assert DayRecord.from_dict(wire) == record
    assert DayRecord.from_stored(wire) == record


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "here"}, "Field 'status' must be one of present, absent, not_held"),
        ({"reason": "flu"}, "Field 'reason' must be one of sick"),
        ({"day": "14.9.2026"}, "Field 'day' is not a valid ISO 8601 value"),
        ({"recorded_at": "2026-09-14T12:00:00"}, "must carry a time zone offset"),
        ({"id": "not-a-uuid"}, "Field 'id' must be a UUID"),
        ({"minutes": "360"}, "Field 'minutes' must be a whole number"),
        ({"participant_id": ""}, "Field 'participant_id' is required"),
        ({"start": "08:00:30"}, "Field 'start' must be a wall-clock time as HH:MM"),
    ],
)
def test_bad_wire_form_names_the_field(change, message) -> None:
    data = {**present(date(2026, 9, 14)).to_dict(), **change}
    with pytest.raises(RecordError, match=message):
        DayRecord.from_dict(data)


def test_correction_chain_keeps_who_and_why() -> None:
    first = present(date(2026, 9, 14))
    second = first.correct(
        correction_reason="Väärä aika",
        recorded_by="sup-2",
        device_id="d2",
        recorded_at=NOW,
        end=time(15),
    )
    third = second.correct(
        correction_reason="Lähti aiemmin",
        recorded_by="sup-3",
        device_id="d3",
        recorded_at=NOW,
        end=time(13),
    )
    chain = history([third, first, second], third)
    assert [(v.recorded_by, v.correction_reason) for v in chain] == [
        ("sup-1", None),
        ("sup-2", "Väärä aika"),
        ("sup-3", "Lähti aiemmin"),
    ]


def test_every_finding_code_and_term_has_all_three_languages() -> None:
    assert set(SEVERITY_OF) == set(FINDINGS)
    for code, by_lang in FINDINGS.items():
        assert set(by_lang) == set(LANGUAGES), code
        assert all(by_lang[lang].strip() for lang in LANGUAGES), code
    for key, by_lang in TERMS.items():
        assert set(by_lang) == set(LANGUAGES), key
    for value in [
        *(f"status.{s.value}" for s in Status),
        *(f"reason.{r.value}" for r in AbsenceReason),
    ]:
        assert {term(value, lang) for lang in LANGUAGES}, value


SAMPLE_PARAMS = {
    "day": "2026-12-06",
    "start": "2026-08-03",
    "end": "2027-07-31",
    "minutes": 270,
    "min_minutes": 240,
    "max_minutes": 480,
    "max": 4,
    "min": 2,
    "count": 1,
    "week": "49/2026",
    "weekday": 5,
    "holiday": "Itsenäisyyspäivä",
    "days": 5,
    "month": "12/2026",
    "status": "absent",
    "fields": "start",
    "allowance_type": "kulukorvaus",
    "supersedes": "x",
    "week_start": "2026-11-30",
}


@pytest.mark.parametrize("code", sorted(FINDINGS))
def test_every_message_renders_in_every_language(code: str) -> None:
    f = finding(code, date(2026, 12, 6), **SAMPLE_PARAMS)
    rendered = {lang: f.message(lang) for lang in LANGUAGES}
    assert len(set(rendered.values())) == 3, rendered  # really translated, not copied
    assert all("{" not in text for text in rendered.values())
    assert Finding.from_dict(json.loads(json.dumps(f.to_dict()))) == f


def test_unknown_code_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="has no texts"):
        Finding("made_up", SEVERITY_OF["future_date"])
