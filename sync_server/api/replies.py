"""Replies as JSON bytes; the push reply made cheaper than ``reply.to_dict()`` would.

A batch's answers repeat the same findings (a week's notice on each of its days, a
closed month on each of its records); each finding's texts in fi, sv and en are
made once per reply and shared by the answers that carry it.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from shared.findings import Finding
from shared.protocol import PushReply, RecordAnswer
from sync_server.jsonio import dump_bytes


def reply_json(reply: PushReply) -> bytes:
    body = PushReply((), reply.received_at, reply.clock_skew_seconds, reply.clock_flagged)
    document = body.to_dict()
    made: dict[Any, dict[str, Any]] = {}
    answers = []
    for answer in reply.answers:
        out = RecordAnswer(answer.id, answer.status, (), answer.current).to_dict()
        out["findings"] = [_finding(f, made) for f in answer.findings]
        answers.append(out)
    document["answers"] = answers
    return dump_bytes(document)


def json_reply(document: Any) -> Response:
    """A JSON reply in the server's one JSON style (see sync_server.jsonio)."""
    return Response(dump_bytes(document), media_type="application/json")


def _finding(f: Finding, made: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    """``f.to_dict()``; its texts depend on the code and the parameters only."""
    try:
        key = (f.code, f.severity, tuple(sorted(f.params.items())))
        first = made.get(key)
    except TypeError:  # a parameter that cannot be a key: render it on its own
        return f.to_dict()
    if first is None:
        made[key] = first = f.to_dict()
        return first
    return {**first, "params": dict(f.params), "day": f.day.isoformat() if f.day else None}
