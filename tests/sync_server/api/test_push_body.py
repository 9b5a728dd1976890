"""The push body is validated from its bytes; refusals and the reply stay FastAPI's own."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import httpx

from shared.calendar import helsinki_today
from shared.findings import finding
from shared.protocol import AnswerStatus, PushReply, RecordAnswer
from sync_server.api.models import PushRequestModel
from sync_server.api.replies import reply_json
from tests.support.server import ServerProcess
from tests.support.sites import headers, present, workdays_before
from tests.sync_server.conftest import EnrolledSite


def _post(url: str, body: bytes, head: dict[str, str]) -> httpx.Response:
    return httpx.post(url + "/v1/push", content=body, headers=head, timeout=30)


def test_refusals_come_in_fastapis_order_and_shape(
    live_server: ServerProcess, site: Callable[..., EnrolledSite]
) -> None:
    s = site()
    day = workdays_before(helsinki_today(datetime.now(UTC)), 1)[0]
    good = present(day, participant=s.site.participants[0], device_id=s.device_id).to_dict()
    as_json = {"Content-Type": "application/json"}
    mine = {**headers(s.credential), **as_json}
    url = live_server.url

    # JSON that does not parse is refused before the protocol header or the credential
    broken = _post(url, b'{"records": [', as_json)
    assert broken.status_code == 422
    assert broken.json()["error"] == "malformed_body"
    assert broken.json()["details"]["problems"][0]["loc"][0] == "body"
    # a body of the wrong shape only after them
    wrong_shape = json.dumps({"records": [{**good, "status": "maybe"}]}).encode()
    assert _post(url, wrong_shape, as_json).json()["error"] == "protocol_missing"
    assert _post(url, wrong_shape, {**headers(), **as_json}).status_code == 401
    refused = _post(url, wrong_shape, mine)
    assert refused.status_code == 422
    problem = refused.json()["details"]["problems"][0]
    assert problem["loc"] == ["body", "records", "0", "status"]
    # no body, and a body not declared as JSON, are refused as FastAPI refuses them
    empty = _post(url, b"", mine).json()["details"]["problems"]
    assert empty == [{"loc": ["body"], "msg": "Field required"}]
    as_text = _post(
        url, json.dumps({"records": [good]}).encode(), {**mine, "Content-Type": "text/plain"}
    )
    assert as_text.status_code == 422
    # pydantic's own leniency stays: a whole number given as text is still a number
    lenient = {**good, "minutes": "300"}
    accepted = _post(url, json.dumps({"records": [lenient]}).encode(), mine)
    assert accepted.status_code == 200
    assert accepted.json()["answers"][0]["status"] == "accepted"
    # and a JSON subtype counts as JSON
    again = _post(
        url,
        json.dumps({"records": [lenient]}).encode(),
        {**mine, "Content-Type": "application/vnd.lasna+json"},
    )
    assert again.json()["answers"][0]["status"] == "duplicate"


def test_the_openapi_documents_the_push_body(live_server: ServerProcess) -> None:
    spec = httpx.get(live_server.url + "/openapi.json").json()
    body = spec["paths"]["/v1/push"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert body["required"] is True
    assert schema["required"] == ["records"] and schema["additionalProperties"] is False
    ref = schema["properties"]["records"]["items"]["$ref"]
    name = ref.removeprefix("#/components/schemas/")
    expected = PushRequestModel.model_json_schema()["$defs"][name]
    documented = spec["components"]["schemas"][name]
    assert documented["required"] == expected["required"]
    assert set(documented["properties"]) == set(expected["properties"])
    assert documented["additionalProperties"] is False


def test_the_reply_is_the_bytes_jsonresponse_would_send() -> None:
    day = date(2026, 3, 2)
    record = present(day, participant="p-1")
    week = finding(
        "under_weekly_min", None, count=1, min=2, week="10/2026", week_start="2026-03-02"
    )
    answers = [
        RecordAnswer(
            f"id-{i}", AnswerStatus.ACCEPTED, (finding("public_holiday", day, holiday="x"), week)
        )
        for i in range(3)
    ]
    answers.append(
        RecordAnswer(
            "id-c",
            AnswerStatus.CONFLICT,
            (finding("duplicate_day", day, day="2026-03-02"),),
            record,
        )
    )
    answers.append(
        RecordAnswer(
            "id-l", AnswerStatus.ACCEPTED, (finding("public_holiday", day, holiday="x", extra=[1]),)
        )
    )
    reply = PushReply(tuple(answers), datetime(2026, 3, 3, 8, tzinfo=UTC), 12.5, True)

    expected: Any = reply.to_dict()
    sent = reply_json(reply)

    assert json.loads(sent) == expected
    assert sent == json.dumps(expected, ensure_ascii=False, separators=(",", ":")).encode()
