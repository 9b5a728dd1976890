"""What the store and the sync client can report, as marked texts of the catalogues.

One text per code of :data:`client.sync.SYNC_PROBLEMS` (``sync_error.<code>``) and
:data:`client.store.STORE_PROBLEMS` (``store_error.<code>``), and an ``unknown`` text
for a code this version of the app does not know, which shows the English detail
for whoever supports the site. A refusal the server sends is said with the text of
the code the sync client reports it as (:meth:`client.sync.SyncError.problem`); the
server's English sentence is only the detail. :mod:`client.app.texts.i18n` merges these into
its texts; the translations live in ``shared/locale/*/LC_MESSAGES/lasna.po``.

Each text is one whole message, never sentences glued together at run time: a
translator then sees what the person reads, and a language may order it otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.error_codes import ErrorCode
from shared.i18n import N_, Text

UNKNOWN = "unknown"

SYNC_TEXTS: Mapping[str, Text] = {
    ErrorCode.FAILED: N_("Sync did not succeed. Try again later."),
    ErrorCode.UNREACHABLE: N_(
        "The server could not be reached. Check the address and the network, then try again."
    ),
    ErrorCode.SERVER_BUSY: N_("The server is busy right now. Try again later."),
    ErrorCode.SERVER_ERROR: N_("The server has a fault. Try again later."),
    ErrorCode.BAD_REPLY: N_(
        "The server's answer was not understood. Try again later; if it keeps happening, "
        "contact the administrator."
    ),
    ErrorCode.NOT_ANSWERED: N_(
        "The server did not answer the records sent. They will be sent again later."
    ),
    ErrorCode.NOT_ENROLLED: N_(
        "This device is not connected to a server. Enter the server address and the code "
        "from your administrator."
    ),
    ErrorCode.CREDENTIAL_REVOKED: N_(
        "The server no longer accepts this device (it may have been revoked). The records "
        "are safe on this device. Ask the administrator for a new one-time code."
    ),
    ErrorCode.PROTOCOL_TOO_OLD: N_(
        "The server no longer supports this version of the app. Update the app to sync again."
    ),
    ErrorCode.BATCH_REFUSED: N_(
        "The server did not take a record because it is too large. Contact the administrator."
    ),
    ErrorCode.RECORDS_REFUSED: N_(
        "The server does not know the participant of a record at this site. Contact the "
        "administrator."
    ),
    ErrorCode.ANOTHER_SITE: N_(
        "The server does not let this device handle another site's data. Contact the administrator."
    ),
    ErrorCode.MONTH_NOT_OVER: N_(
        "The server closes a month only after its last day (in Finnish time). Close it "
        "again once the month is over."
    ),
    ErrorCode.REQUEST_REFUSED: N_(
        "The server refused the request as malformed. The records are safe on this device. "
        "Contact the administrator."
    ),
    ErrorCode.REFUSED: N_(
        "The server refused the request (code {server_code}, {status}). The records are safe "
        "on this device. Contact the administrator."
    ),
    ErrorCode.URL_INVALID: N_(
        "The server address must look like https://server.example.fi (check for typos)."
    ),
    ErrorCode.NOT_HTTPS: N_(
        "The server address must start with https:// so that the data travels encrypted."
    ),
    ErrorCode.CODE_MISSING: N_("Enter the code from your administrator."),
    ErrorCode.ENROLLMENT_CODE_INVALID: N_(
        "This code is not valid. Check it, or ask the administrator for a new one."
    ),
    ErrorCode.ENROLLMENT_CODE_USED: N_(
        "This code has already been used. Ask the administrator for a new one."
    ),
    ErrorCode.ENROLLMENT_CODE_EXPIRED: N_(
        "This code has expired. Ask the administrator for a new one."
    ),
    ErrorCode.ENROLLMENT_REFUSED: N_(
        "The server did not accept the device. Check the device name and the code, or "
        "contact the administrator."
    ),
    UNKNOWN: N_("Sync did not succeed. Technical detail for the administrator: {detail}"),
}

STORE_TEXTS: Mapping[str, Text] = {
    ErrorCode.FAILED: N_(
        "This did not succeed on the device. Technical detail for the administrator: {detail}"
    ),
    ErrorCode.LOCKED: N_("The app is locked. Unlock it with your PIN."),
    ErrorCode.LOCKED_IDLE: N_(
        "The app locked itself after a while without use. Unlock it with your PIN."
    ),
    ErrorCode.CLOSED: N_("The device's store is closed. Start the app again."),
    ErrorCode.UNLOCK_FAILED: N_("Unlocking did not succeed."),
    # "Tries left: n" reads right for any n, so the text needs no plural forms.
    ErrorCode.WRONG_PIN: N_("Wrong PIN. Tries left: {remaining}."),
    ErrorCode.TOO_EARLY: N_("Too many wrong PINs in a row: the next try is at {retry_after}."),
    ErrorCode.PIN_LOCKED_OUT: N_(
        "This PIN is locked after too many tries. Another supervisor can unlock the device "
        "and reset it."
    ),
    ErrorCode.CANNOT_OPEN: N_(
        "The stored data cannot be opened: it is protected with another key or was changed. "
        "Contact the administrator."
    ),
    ErrorCode.NOT_THIS_DEVICE: N_(
        "This store cannot be opened on this device: it was created on another one. Contact "
        "the administrator."
    ),
    ErrorCode.SUPERVISOR_REFUSED: N_("The change about the supervisor could not be made."),
    ErrorCode.SUPERVISOR_UNKNOWN: N_("There is no such supervisor on this device."),
    ErrorCode.SUPERVISOR_EXISTS: N_("This supervisor is already on this device."),
    ErrorCode.ALREADY_SET_UP: N_(
        "This device already has supervisors: a signed-in supervisor adds new ones."
    ),
    ErrorCode.OWN_PIN: N_("Change your own PIN with your current PIN instead."),
    ErrorCode.REMOVE_SELF: N_("A signed-in supervisor cannot remove themselves."),
    ErrorCode.NAME_MISSING: N_("A supervisor needs a name."),
    ErrorCode.WEAK_PIN: N_(
        "A PIN must have at least {min_length} digits and must not be easy to guess (such as "
        "123456 or 111111)."
    ),
    ErrorCode.RECORD_NOT_ALLOWED: N_("The record cannot be saved this way."),
    ErrorCode.RECORD_OTHER_AUTHOR: N_(
        "A record must name the signed-in supervisor as the one who recorded it."
    ),
    ErrorCode.RECORD_ID_TAKEN: N_(
        "This version of the record is already saved. Make a new version."
    ),
    ErrorCode.MONTH_INVALID: N_("There is no month {month}: months are 1–12."),
    ErrorCode.DATE_OUT_OF_RANGE: N_(
        "The date must be between {earliest} and {latest}. Check the date and the device's clock."
    ),
    ErrorCode.TEXT_TOO_LONG: N_(
        "The text is too long: at most {limit} characters. Shorten it and save again."
    ),
    UNKNOWN: N_(
        "This did not succeed on the device. Technical detail for the administrator: {detail}"
    ),
}

PROBLEM_TEXTS: Mapping[str, Text] = {
    **{f"sync_error.{code}": text for code, text in SYNC_TEXTS.items()},
    **{f"store_error.{code}": text for code, text in STORE_TEXTS.items()},
}
