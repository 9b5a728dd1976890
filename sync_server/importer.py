"""Reading the county's files: sites, participants, plans (CSV or JSON) and rule sets.

A file is checked whole before anything is written: every problem is reported with
its line number, and one bad row refuses the file. CSV files are UTF-8 (a byte order
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


class _Problems:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.errors.append(f"line {line}: {message}")

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
        ok = _check_id(row["id"], "id", item.line, problems)
        ok &= _check_text(row["name"], "name", item.line, problems, limit=200)
        ok &= _unique(row["id"], "site", seen, item.line, problems)
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
        line = item.line
        ok = _check_id(row["id"], "id", line, problems)
        ok &= _check_id(row["site_id"], "site_id", line, problems)
        ok &= _check_text(row["display_name"], "display_name", line, problems, limit=200)
        ok &= _check_text(row["client_ref"], "client_ref", line, problems, limit=64)
        ok &= _unique(row["id"], "participant", seen, line, problems)
        for name in ("display_name", "client_ref"):
            if HETU_PATTERN.search(row[name]):
                problems.add(
                    line,
                    f"'{name}' looks like a personal identity code (henkilötunnus); it must "
                    "never be sent to devices. Use the county's client reference instead.",
                )
                ok = False
        if row["site_id"] and row["site_id"] not in known_sites:
            problems.add(line, f"site {row['site_id']!r} does not exist; import the sites first.")
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
        line = item.line
        if not isinstance(item.data, Mapping):
            problems.add(line, "each plan must be a JSON object.")
            continue
        shape = _json_version_problems(item.data)
        for message in shape:
            problems.add(line, message)
        if shape:
            continue
        try:
            plan = plan_from_dict(item.data)
        except RejectedInput as exc:
            problems.add(line, str(exc))
            continue
        ok = _check_id(plan.id, "id", line, problems)
        ok &= _unique(plan.id, "plan", seen, line, problems)
        site = participant_sites.get(plan.participant_id)
        if site is None:
            problems.add(
                line,
                f"participant {plan.participant_id!r} does not exist; import the participants "
                "first.",
            )
            ok = False
        elif site != plan.site_id:
            problems.add(
                line,
                f"plan {plan.id!r} names site {plan.site_id!r}, but participant "
                f"{plan.participant_id!r} belongs to site {site!r}.",
            )
            ok = False
        try:
            check_plan(plan, rule_sets)
        except RejectedInput as exc:
            problems.add(line, str(exc))
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
            problems.add(item.line, "each rule set must be a JSON object.")
            continue
        try:
            rs = rule_set_from_dict(item.data)
        except RejectedInput as exc:
            problems.add(item.line, str(exc))
            continue
        if _unique(rs.id, "rule set", seen, item.line, problems):
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
            yield _Item(start, {h: v.strip() for h, v in zip(header, values, strict=True)})
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
        raise ImportRefused(str(path), [f"line {exc.lineno}: not valid JSON: {exc.msg}."]) from None
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
    lines = _element_lines(text, start, len(items))
    for i, data in enumerate(items):
        yield _Item(lines[i] if i < len(lines) else 1, data)


def _element_lines(text: str, start: int, count: int) -> list[int]:
    """The line on which each element of the array at ``start`` begins."""
    if start < 0:
        return []
    decoder = json.JSONDecoder()
    out: list[int] = []
    pos = start + 1
    ws = re.compile(r"[\s,]*")
    for _ in range(count):
        match = ws.match(text, pos)
        pos = match.end() if match else pos
        out.append(text.count("\n", 0, pos) + 1)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            break
    return out


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
            problems.add(item.line, f"'{c}' must be text.")
            return None
        row[c] = value
    extra = [k for k in data if k not in columns]
    if extra:
        problems.add(item.line, f"unknown field(s) {', '.join(map(str, extra))}.")
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
        for message in bad:
            problems.add(item.line, message)
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


DATE_COLUMNS = ("valid_from", "start", "end")
# d.M.yyyy is how Finnish spreadsheets write dates (1.12.2026); ISO is the wire form.
_FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
DATE_FORMATS = "d.M.yyyy (1.12.2026) or yyyy-mm-dd (2026-12-01)"


def _csv_version(row: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """One CSV row as a plan version in the wire form, or what is wrong with each column."""
    bad: list[str] = []

    def field(column: str, parse: Callable[[str, str], Any]) -> Any:
        try:
            return parse(row.get(column, ""), column)
        except ValueError as exc:
            bad.append(str(exc))
            return None

    version = {
        **{c: field(c, _date) for c in DATE_COLUMNS},
        "days_per_week": {"min": field("days_min", _int), "max": field("days_max", _int)},
        "hours_per_day": {"min": field("hours_min", _num), "max": field("hours_max", _num)},
        "allowance_type": row["allowance_type"],
        "payer": row.get("payer") or None,
        "weekdays": field("weekdays", _weekdays),
    }
    return version, bad


def _date(text: str, column: str) -> str:
    """A CSV date as ISO text, from ISO or from the Finnish d.M.yyyy."""
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
    raise ValueError(f"column '{column}': {text!r} is not a date; write it as {DATE_FORMATS}.")


def _int(text: str, column: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(
            f"column '{column}': {text!r} is not a whole number; write it as digits, like 3."
        ) from None


def _num(text: str, column: str) -> float:
    try:
        return float(text.replace(",", "."))  # 4,5 is how Finns write four and a half
    except ValueError:
        raise ValueError(
            f"column '{column}': {text!r} is not a number of hours; write it like 4 or 4,5."
        ) from None


def _weekdays(text: str, column: str) -> list[int] | None:
    if not text.strip():
        return None
    try:
        return [int(p) for p in re.split(r"[\s,]+", text.strip()) if p]
    except ValueError:
        raise ValueError(
            f"column '{column}': {text!r} must be ISO weekday numbers 1–7 separated by "
            "spaces, like 1 3 5 (1 = Monday)."
        ) from None


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


def _check_id(value: str, name: str, line: int, problems: _Problems) -> bool:
    if not ID_PATTERN.match(value):
        problems.add(
            line,
            f"'{name}' {value!r} must be 1–64 letters, digits or . _ : - (starting with a "
            "letter or digit).",
        )
        return False
    return True


def _check_text(value: str, name: str, line: int, problems: _Problems, *, limit: int) -> bool:
    if not value.strip():
        problems.add(line, f"'{name}' is required.")
        return False
    if len(value) > limit:
        problems.add(line, f"'{name}' is longer than {limit} characters.")
        return False
    return True


def _unique(key: str, what: str, seen: dict[str, int], line: int, problems: _Problems) -> bool:
    if key in seen:
        problems.add(line, f"{what} {key!r} is given twice (first on line {seen[key]}).")
        return False
    seen[key] = line
    return True


def _nonempty(path: Path, rows: list[T]) -> list[T]:
    if not rows:
        raise ImportRefused(str(path), ["line 1: the file has no entries."])
    return rows
