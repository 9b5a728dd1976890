"""Reading the county's files: sites, participants, plans (CSV or JSON) and rule sets.

A file is checked whole before anything is written: every problem is reported with
its line and, when it is about one value, the column where that value is (in a CSV
file the column's number, in JSON the character where the field's name starts), and
one bad row refuses the file. CSV files are UTF-8 (a byte order
mark is fine) with a header row, separated by commas or semicolons (as spreadsheet
programs in Finland save them). The formats are in docs/admin.md; examples are in
``sync_server/examples/``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from shared.errors import RejectedInput
from shared.plans import Plan, check_plan, plan_from_dict
from shared.rulesets import RuleSet, RuleSets, rule_set_from_dict
from sync_server.errors import ImportRefused
from sync_server.storage.base import ParticipantRow, SiteRow

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
# A Finnish personal identity code must never reach a device: refuse it at the door.
HETU_PATTERN = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)
SITE_COLUMNS = ("id", "name")
PARTICIPANT_COLUMNS = ("id", "site_id", "display_name", "client_ref")
PLAN_COLUMNS = (
    "plan_id",
    "participant_id",
    "site_id",
    "rule_set",
    "valid_from",
    "start",
    "end",
    "days_min",
    "days_max",
    "hours_min",
    "hours_max",
    "allowance_type",
)
PLAN_OPTIONAL = ("payer", "weekdays")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Item:
    line: int
    data: Any
    # Where each field's value is, as (line, column): a person fixing a file in a
    # spreadsheet or an editor is pointed at the cell, not just the row.
    places: Mapping[str, tuple[int, int]] = _field(default_factory=dict)

    def where(self, name: str | None) -> str:
        if name is not None and name in self.places:
            line, column = self.places[name]
            return f"line {line}, column {column} ({name})"
        return f"line {self.line}"


# A plan's problem names its form field; in JSON that value sits under another name.
PLAN_JSON_FIELDS = {
    "days_min": "days_per_week",
    "days_max": "days_per_week",
    "hours_min": "hours_per_day",
    "hours_max": "hours_per_day",
}


class _Problems:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, at: int | _Item, message: str, name: str | None = None) -> None:
        where = at.where(name) if isinstance(at, _Item) else f"line {at}"
        self.errors.append(f"{where}: {message}")

    def refuse_if_any(self, path: Path) -> None:
        if self.errors:
            raise ImportRefused(str(path), self.errors)


def read_sites(path: Path) -> list[SiteRow]:
    problems = _Problems()
    out: list[SiteRow] = []
    seen: dict[str, int] = {}
    for item in _items(path, "sites", SITE_COLUMNS, (), problems):
        row = _row(item, SITE_COLUMNS, problems)
        if row is None:
            continue
        ok = _check_id(row["id"], "id", item, problems)
        ok &= _check_text(row["name"], "name", item, problems, limit=200)
        ok &= _unique(row["id"], "site", seen, item, problems)
        if ok:
            out.append(SiteRow(row["id"], row["name"].strip()))
    problems.refuse_if_any(path)
    return _nonempty(path, out)


def read_participants(path: Path, known_sites: set[str]) -> list[ParticipantRow]:
    problems = _Problems()
    out: list[ParticipantRow] = []
    seen: dict[str, int] = {}
    for item in _items(path, "participants", PARTICIPANT_COLUMNS, (), problems):
        row = _row(item, PARTICIPANT_COLUMNS, problems)
        if row is None:
            continue
        ok = _check_id(row["id"], "id", item, problems)
        ok &= _check_id(row["site_id"], "site_id", item, problems)
        ok &= _check_text(row["display_name"], "display_name", item, problems, limit=200)
        ok &= _check_text(row["client_ref"], "client_ref", item, problems, limit=64)
        ok &= _unique(row["id"], "participant", seen, item, problems)
        for name in ("display_name", "client_ref"):
            if HETU_PATTERN.search(row[name]):
                problems.add(
                    item,
                    f"'{name}' looks like a personal identity code (henkilötunnus); it must "
                    "never be sent to devices. Use the county's client reference instead.",
                    name,
                )
                ok = False
        if row["site_id"] and row["site_id"] not in known_sites:
            problems.add(
                item, f"site {row['site_id']!r} does not exist; import the sites first.", "site_id"
            )
            ok = False
        if ok:
            out.append(
                ParticipantRow(
                    row["id"],
                    row["site_id"],
                    row["display_name"].strip(),
                    row["client_ref"].strip(),
                )
            )
    problems.refuse_if_any(path)
    return _nonempty(path, out)


def read_plans(path: Path, participant_sites: Mapping[str, str], rule_sets: RuleSets) -> list[Plan]:
    """Plans, each checked against its rule set and its participant's site."""
    problems = _Problems()
    if path.suffix.lower() == ".csv":
        raw_plans = _plans_from_csv(path, problems)
    else:
        raw_plans = list(_items(path, "plans", (), (), problems))
    out: list[Plan] = []
    seen: dict[str, int] = {}
    for item in raw_plans:
        if not isinstance(item.data, Mapping):
            problems.add(item, "each plan must be a JSON object.")
            continue
        shape = _json_version_problems(item.data) if "plan_id" not in item.places else []
        for message in shape:
            problems.add(item, message)
        if shape:
            continue
        try:
            plan = plan_from_dict(item.data)
        except RejectedInput as exc:
            problems.add(item, str(exc))
            continue
        id_name = "plan_id" if "plan_id" in item.places else "id"
        ok = _check_id(plan.id, id_name, item, problems)
        ok &= _unique(plan.id, "plan", seen, item, problems, id_name)
        site = participant_sites.get(plan.participant_id)
        if site is None:
            problems.add(
                item,
                f"participant {plan.participant_id!r} does not exist; import the participants "
                "first.",
                "participant_id",
            )
            ok = False
        elif site != plan.site_id:
            problems.add(
                item,
                f"plan {plan.id!r} names site {plan.site_id!r}, but participant "
                f"{plan.participant_id!r} belongs to site {site!r}.",
                "site_id",
            )
            ok = False
        try:
            check_plan(plan, rule_sets)
        except RejectedInput as exc:
            name = getattr(exc, "field", None)
            if name is not None and name not in item.places:
                name = PLAN_JSON_FIELDS.get(name, name)
            problems.add(item, str(exc), name)
            ok = False
        if ok:
            out.append(plan)
    problems.refuse_if_any(path)
    return _nonempty(path, out)


def read_rule_sets(path: Path) -> list[RuleSet]:
    problems = _Problems()
    out: list[RuleSet] = []
    seen: dict[str, int] = {}
    for item in _items(path, "rule_sets", (), (), problems):
        if not isinstance(item.data, Mapping):
            problems.add(item, "each rule set must be a JSON object.")
            continue
        try:
            rs = rule_set_from_dict(item.data)
        except RejectedInput as exc:
            problems.add(item, str(exc))
            continue
        if _unique(rs.id, "rule set", seen, item, problems):
            out.append(rs)
    problems.refuse_if_any(path)
    return _nonempty(path, out)


# file reading ---------------------------------------------------------------------------


def _items(
    path: Path,
    key: str,
    columns: tuple[str, ...],
    optional: tuple[str, ...],
    problems: _Problems,
) -> Iterator[_Item]:
    text = _text(path)
    if path.suffix.lower() == ".csv":
        if not columns:
            raise ImportRefused(str(path), [f"line 1: {key.replace('_', ' ')} come as JSON only."])
        yield from _csv_items(path, text, columns, optional)
    elif path.suffix.lower() == ".json":
        yield from _json_items(path, text, key)
    else:
        raise ImportRefused(str(path), ["line 1: the file name must end in .csv or .json."])


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8-sig")
    except OSError as exc:
        raise ImportRefused(
            str(path), [f"line 1: the file cannot be read ({exc.strerror})."]
        ) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            str(path), [f"line {line}: the file is not UTF-8 text; save it as UTF-8."]
        ) from None


def _csv_items(
    path: Path, text: str, columns: tuple[str, ...], optional: tuple[str, ...]
) -> Iterator[_Item]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ImportRefused(str(path), ["line 1: the file is empty."]) from None
    except csv.Error as exc:
        raise ImportRefused(str(path), [f"line 1: {exc}."]) from None
    missing = [c for c in columns if c not in header]
    unknown = [h for h in header if h not in columns and h not in optional]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        raise ImportRefused(
            str(path),
            [f"line 1: the header has {' and '.join(parts)}; expected {', '.join(columns)}."],
        )
    line = 1
    try:
        for values in reader:
            start = line + 1
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank lines are harmless
            if len(values) != len(header):
                yield _Item(start, _Mismatch(len(values), len(header)))
                continue
            places = {h: (start, i) for i, h in enumerate(header, start=1)}
            yield _Item(start, {h: v.strip() for h, v in zip(header, values, strict=True)}, places)
    except csv.Error as exc:
        raise ImportRefused(str(path), [f"line {reader.line_num}: {exc}."]) from None


@dataclass(frozen=True, slots=True)
class _Mismatch:
    got: int
    expected: int


def _json_items(path: Path, text: str, key: str) -> Iterator[_Item]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(
            str(path), [f"line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}."]
        ) from None
    if isinstance(doc, dict):
        items = doc.get(key)
        if not isinstance(items, list):
            raise ImportRefused(str(path), [f"line 1: the file needs a list {key!r}."])
        match = re.search(rf'"{re.escape(key)}"\s*:\s*\[', text)
        start = match.end() - 1 if match else -1
    elif isinstance(doc, list):
        items, start = doc, text.index("[")
    else:
        raise ImportRefused(str(path), [f"line 1: the file must be a JSON list or hold {key!r}."])
    spans = _element_spans(text, start, len(items))
    for i, data in enumerate(items):
        if i < len(spans):
            begin, end = spans[i]
            yield _Item(_line_column(text, begin)[0], data, _key_places(text, begin, end))
        else:
            yield _Item(1, data)


def _element_spans(text: str, start: int, count: int) -> list[tuple[int, int]]:
    """Where each element of the array at ``start`` begins and ends in ``text``."""
    if start < 0:
        return []
    decoder = json.JSONDecoder()
    out: list[tuple[int, int]] = []
    pos = start + 1
    ws = re.compile(r"[\s,]*")
    for _ in range(count):
        match = ws.match(text, pos)
        pos = match.end() if match else pos
        try:
            _, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            break
        out.append((pos, end))
        pos = end
    return out


_JSON_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')


def _key_places(text: str, begin: int, end: int) -> dict[str, tuple[int, int]]:
    # The first place a key is written in the element: an object's own fields come
    # before the nested versions in every file the counties make.
    places: dict[str, tuple[int, int]] = {}
    for match in _JSON_KEY.finditer(text, begin, end):
        places.setdefault(match.group(1), _line_column(text, match.start()))
    return places


def _line_column(text: str, pos: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, pos) + 1
    return text.count("\n", 0, pos) + 1, pos - line_start + 1


def _row(item: _Item, columns: tuple[str, ...], problems: _Problems) -> dict[str, str] | None:
    data = item.data
    if isinstance(data, _Mismatch):
        problems.add(item.line, f"{data.got} values where the header has {data.expected}.")
        return None
    if not isinstance(data, Mapping):
        problems.add(item.line, "each entry must be an object.")
        return None
    row: dict[str, str] = {}
    for c in columns:
        value = data.get(c)
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems.add(item, f"'{c}' must be text.", c)
            return None
        row[c] = value
    extra = [k for k in data if k not in columns]
    if extra:
        problems.add(item, f"unknown field(s) {', '.join(map(str, extra))}.", str(extra[0]))
        return None
    return row


def _plans_from_csv(path: Path, problems: _Problems) -> list[_Item]:
    """CSV plans: one row per plan version; rows with the same plan_id form one plan."""
    grouped: dict[str, _Item] = {}
    for item in _csv_items(path, _text(path), PLAN_COLUMNS, PLAN_OPTIONAL):
        if isinstance(item.data, _Mismatch):
            problems.add(
                item.line, f"{item.data.got} values where the header has {item.data.expected}."
            )
            continue
        row: dict[str, str] = item.data
        version, bad = _csv_version(row)
        for exc in bad:
            problems.add(item, str(exc), exc.column)
        if bad:
            continue
        head = grouped.get(row["plan_id"])
        if head is None:
            grouped[row["plan_id"]] = _Item(
                item.line,
                {
                    "id": row["plan_id"],
                    "participant_id": row["participant_id"],
                    "site_id": row["site_id"],
                    "rule_set": row["rule_set"],
                    "versions": [version],
                },
                item.places,
            )
        else:
            same = all(
                head.data[k] == row[c]
                for k, c in (
                    ("participant_id", "participant_id"),
                    ("site_id", "site_id"),
                    ("rule_set", "rule_set"),
                )
            )
            if not same:
                problems.add(
                    item.line,
                    f"plan {row['plan_id']!r} changes participant, site or rule set between its "
                    f"versions (first given on line {head.line}).",
                )
                continue
            head.data["versions"].append(version)
    return list(grouped.values())


class _CellError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _csv_version(row: Mapping[str, str]) -> tuple[dict[str, Any], list[_CellError]]:
    """One CSV row as a plan version in the wire form, and every bad value in it."""
    bad: list[_CellError] = []

    def cell(column: str, parse: Callable[[Mapping[str, str], str], Any]) -> Any:
        try:
            return parse(row, column)
        except _CellError as exc:  # every bad value of the row is named, not only the first
            bad.append(exc)
            return None

    version = {
        **{c: cell(c, _date) for c in DATE_COLUMNS},
        "days_per_week": {"min": cell("days_min", _int), "max": cell("days_max", _int)},
        "hours_per_day": {"min": cell("hours_min", _num), "max": cell("hours_max", _num)},
        "allowance_type": row["allowance_type"],
        "payer": row.get("payer") or None,
        "weekdays": cell("weekdays", _weekdays),
    }
    return version, bad


DATE_COLUMNS = ("valid_from", "start", "end")
# d.M.yyyy is how Finnish spreadsheets write dates (1.12.2026); ISO is the wire form.
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
DATE_FORMATS = "d.M.yyyy (1.12.2026) or yyyy-mm-dd (2026-12-01)"


def _date(row: Mapping[str, str], column: str) -> str:
    """A CSV date as ISO text, from ISO or from the Finnish d.M.yyyy."""
    text = row.get(column, "")
    value = text.strip()
    finnish = _FINNISH_DATE.match(value)
    try:
        if finnish:
            day, month, year = (int(g) for g in finnish.groups())
            return date(year, month, day).isoformat()
        if _is_iso_date(value):
            return value
    except ValueError:  # 31.2.2026: the right shape, no such day
        pass
    raise _CellError(column, f"{text!r} is not a date; write it as {DATE_FORMATS}.")


def _int(row: Mapping[str, str], column: str) -> int:
    text = row[column]
    try:
        return int(text)
    except ValueError:
        raise _CellError(
            column, f"{text!r} is not a whole number; write it as digits, like 3."
        ) from None


def _num(row: Mapping[str, str], column: str) -> float:
    text = row[column]
    try:
        return float(text.replace(",", "."))  # 4,5 is how Finns write four and a half
    except ValueError:
        raise _CellError(
            column, f"{text!r} is not a number of hours; write it like 4 or 4,5."
        ) from None


def _weekdays(row: Mapping[str, str], column: str = "weekdays") -> list[int] | None:
    text = row.get(column, "")
    if not text.strip():
        return None
    try:
        return [int(p) for p in re.split(r"[\s,]+", text.strip()) if p]
    except ValueError:
        raise _CellError(
            column,
            f"weekdays {text!r} must be ISO weekday numbers 1–7 separated by spaces, like "
            "1 3 5 (1 = Monday).",
        ) from None


def _check_id(value: str, name: str, at: _Item, problems: _Problems) -> bool:
    if not ID_PATTERN.match(value):
        problems.add(
            at,
            f"'{name}' {value!r} must be 1–64 letters, digits or . _ : - (starting with a "
            "letter or digit).",
            name,
        )
        return False
    return True


def _check_text(value: str, name: str, at: _Item, problems: _Problems, *, limit: int) -> bool:
    if not value.strip():
        problems.add(at, f"'{name}' is required.", name)
        return False
    if len(value) > limit:
        problems.add(at, f"'{name}' is longer than {limit} characters.", name)
        return False
    return True


def _unique(
    key: str, what: str, seen: dict[str, int], at: _Item, problems: _Problems, name: str = "id"
) -> bool:
    if key in seen:
        problems.add(at, f"{what} {key!r} is given twice (first on line {seen[key]}).", name)
        return False
    seen[key] = at.line
    return True


def _nonempty(path: Path, rows: list[T]) -> list[T]:
    if not rows:
        raise ImportRefused(str(path), ["line 1: the file has no entries."])
    return rows


def _json_version_problems(plan: Mapping[str, Any]) -> list[str]:
    """Dates and numbers of a JSON plan, checked where the shared parser only says 'malformed'."""
    versions = plan.get("versions")
    if not isinstance(versions, list):
        return ["field 'versions': must be a list of plan versions."]
    bad: list[str] = []
    for i, version in enumerate(versions):
        if not isinstance(version, Mapping):
            bad.append(f"field 'versions[{i}]': must be an object.")
            continue
        for name in DATE_COLUMNS:
            value = version.get(name)
            if not isinstance(value, str) or not _is_iso_date(value):
                bad.append(
                    f"field 'versions[{i}].{name}': {value!r} is not a date; JSON plans write "
                    "dates as yyyy-mm-dd (2026-12-01)."
                )
        for group, unit in (("days_per_week", "days"), ("hours_per_day", "hours")):
            limits = version.get(group)
            for end in ("min", "max"):
                value = limits.get(end) if isinstance(limits, Mapping) else None
                if isinstance(value, bool) or not isinstance(value, int | float):
                    bad.append(
                        f"field 'versions[{i}].{group}.{end}': {value!r} is not a number of "
                        f"{unit}; write a JSON number, like 3."
                    )
    return bad


def _is_iso_date(text: str) -> bool:
    # Python 3.11 also reads 20261201 and week dates; a county's file means neither.
    if len(text) != 10:
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
