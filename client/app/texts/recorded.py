"""Who recorded a day and when, and a version's place in sync, in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from client.app.state.history import SyncPlace
from client.app.texts.dates import fmt_moment
from client.app.texts.i18n import t
from shared.records import DayRecord

PLACE_KEYS = {
    SyncPlace.WAITING: "history.waiting",
    SyncPlace.SENT: "history.sent",
    SyncPlace.FROM_SERVER: "history.from_server",
}


def recorded_line(record: DayRecord, names: Mapping[str, str], lang: str, *, today: date) -> str:
    """ "Merkinnyt Maija Mäkinen 1.12. klo 9.14"; a version made on another device, whose
    supervisor this device does not know, "Merkitty toisella laitteella 1.12. klo 9.14"."""
    day, clock = fmt_moment(record.recorded_at, lang, year=record.recorded_at.year != today.year)
    name = names.get(record.recorded_by)
    if name is None:
        return t("recorded.elsewhere", lang, date=day, time=clock)
    return t("recorded.by", lang, name=name, date=day, time=clock)


def place_text(place: SyncPlace, lang: str) -> str:
    return t(PLACE_KEYS[place], lang)
