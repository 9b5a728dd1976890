"""Every stable error code, in one enum: the server's refusals, the sync client's and
the device store's errors.

The server puts one of them in an error reply's ``error`` field; the device keeps one
beside its last sync error, its store puts one on every error it raises, and the app
names its texts with them (``client/app/problem_texts.py``, a test checks that every
code has its text in every language). The values are the wire's and the store's: they
never change meaning, and a new one is only ever added.
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
    MONTH_NOT_OVER = "month_not_over"  # a month is closed only after its last day
    CLOSER_UNKNOWN = "closer_unknown"  # closed_by names no supervisor of the site
    TOO_MANY_FAILURES = "too_many_failures"  # 429: repeated bad codes or credentials
    SERVER_RESTORED = "server_restored"  # 409: the push names an earlier generation

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

    # -- the device store's errors (StoreError.code; never sent over the wire) ----------
    # FAILED above also names a store fault that no code below describes.
    LOCKED = "locked"
    LOCKED_IDLE = "locked_idle"
    CLOSED = "closed"
    UNLOCK_FAILED = "unlock_failed"
    WRONG_PIN = "wrong_pin"  # params: remaining, retry_after (datetime or None)
    TOO_EARLY = "too_early"  # params: retry_after (datetime)
    PIN_LOCKED_OUT = "pin_locked_out"
    CANNOT_OPEN = "cannot_open"
    NOT_THIS_DEVICE = "not_this_device"  # the store was made with another device secret
    SUPERVISOR_REFUSED = "supervisor_refused"
    SUPERVISOR_UNKNOWN = "supervisor_unknown"
    SUPERVISOR_EXISTS = "supervisor_exists"
    ALREADY_SET_UP = "already_set_up"
    OWN_PIN = "own_pin"
    REMOVE_SELF = "remove_self"
    NAME_MISSING = "name_missing"
    WEAK_PIN = "weak_pin"  # params: min_length
    RECORD_NOT_ALLOWED = "record_not_allowed"
    RECORD_OTHER_AUTHOR = "record_other_author"
    RECORD_ID_TAKEN = "record_id_taken"
    MONTH_INVALID = "month_invalid"  # params: month
    DATE_OUT_OF_RANGE = "date_out_of_range"  # params: field, earliest, latest
    TEXT_TOO_LONG = "text_too_long"  # params: field, limit


# What the server may put in an ErrorReply: the device says each in its own words
# (client.sync.errors maps them), and shows the server's English only as the detail.
SERVER_REFUSALS: frozenset[ErrorCode] = frozenset(
    {
        ErrorCode.BAD_REQUEST,
        ErrorCode.PROTOCOL_MISSING,
        ErrorCode.PROTOCOL_UNSUPPORTED,
        ErrorCode.NOT_AUTHENTICATED,
        ErrorCode.ENROLLMENT_REFUSED,
        ErrorCode.PARTICIPANT_OF_ANOTHER_SITE,
        ErrorCode.ANOTHER_SITE,
        ErrorCode.UNKNOWN_PARTICIPANT,
        ErrorCode.NOT_FOUND,
        ErrorCode.METHOD_NOT_ALLOWED,
        ErrorCode.HTTP_ERROR,
        ErrorCode.BATCH_TOO_LARGE,
        ErrorCode.MALFORMED_BODY,
        ErrorCode.MALFORMED_REQUEST,
        ErrorCode.SEALED_UNREADABLE,
        ErrorCode.INTERNAL,
        ErrorCode.MONTH_NOT_OVER,
        ErrorCode.CLOSER_UNKNOWN,
        ErrorCode.TOO_MANY_FAILURES,
        ErrorCode.SERVER_RESTORED,
    }
)
