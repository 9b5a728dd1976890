"""Every stable error code of the sync, in one enum.

The server puts one of them in an error reply's ``error`` field; the device keeps one
beside its last sync error and names its texts with them. The values are the wire's
and the store's: they never change meaning, and a new one is only ever added.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # -- refusals the server sends (ErrorReply.error) ---------------------------------
    BAD_REQUEST = "bad_request"  # a cursor the server did not hand out, and the like
    PROTOCOL_MISSING = "protocol_missing"  # no (or no numeric) protocol header
    PROTOCOL_UNSUPPORTED = "protocol_unsupported"  # 426: the app is too old
    NOT_AUTHENTICATED = "not_authenticated"  # 401: unknown, revoked or missing credential
    ENROLLMENT_REFUSED = "enrollment_refused"  # also the device's word for it
    PARTICIPANT_OF_ANOTHER_SITE = "participant_of_another_site"
    ANOTHER_SITE = "another_site"  # also the device's word for it
    UNKNOWN_PARTICIPANT = "unknown_participant"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    HTTP_ERROR = "http_error"  # any other HTTP refusal of the framework
    BATCH_TOO_LARGE = "batch_too_large"
    MALFORMED_BODY = "malformed_body"
    MALFORMED_REQUEST = "malformed_request"  # a malformed header, path or query
    SEALED_UNREADABLE = "sealed_unreadable"  # a sealed entry did not open: nothing stored
    INTERNAL = "internal"  # 500: the server failed

    # -- what went wrong, in the device's words (kept in its store, shown translated) --
    FAILED = "failed"  # anything not named below
    UNREACHABLE = "unreachable"  # no connection, or no answer in time
    SERVER_BUSY = "server_busy"  # 408 or 429 on every try
    SERVER_ERROR = "server_error"  # 5xx on every try
    BAD_REPLY = "bad_reply"  # an answer this app does not understand
    NOT_ANSWERED = "not_answered"  # the server left the records sent unanswered
    NOT_ENROLLED = "not_enrolled"
    CREDENTIAL_REVOKED = "credential_revoked"  # 401: unknown or revoked device
    PROTOCOL_TOO_OLD = "protocol_too_old"  # update the app
    BATCH_REFUSED = "batch_refused"  # too large even as a single record
    RECORDS_REFUSED = "records_refused"  # participants the server does not know here
    REQUEST_REFUSED = "request_refused"  # malformed: a fault in the app or the server
    REFUSED = "refused"  # any other 4xx (params: status, server_code)
    URL_INVALID = "url_invalid"
    NOT_HTTPS = "not_https"
    CODE_MISSING = "code_missing"
    ENROLLMENT_CODE_INVALID = "enrollment_code_invalid"
    ENROLLMENT_CODE_USED = "enrollment_code_used"
    ENROLLMENT_CODE_EXPIRED = "enrollment_code_expired"
