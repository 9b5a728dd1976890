"""Closing a site's month, and opening it again: who may, and when.

A device closes a month for its site once the month is over (its last day has passed
in Helsinki) and in the name of a supervisor the server knows for the site: one whose
records the server holds from the site's devices. The server knows supervisors only
from what the site's devices sent (a device is the credential; supervisors are
names on its records), so a close cannot be put in the name of someone who never
recorded anything at the site, or of a supervisor of another site.

Nothing a device sends reopens a month; an administrator does, with a reason
(``lasna-server reopen-month``, :meth:`Storage.reopen_month`), and the devices see the
month open again in their next pull's ``closed_months``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.calendar import helsinki_today, month_bounds, month_is_over
from shared.protocol import MonthClose
from sync_server.errors import ForbiddenSite, MonthNotOver, SupervisorUnknown
from sync_server.storage.base import Device, Storage


def close_month(storage: Storage, device: Device, close: MonthClose, *, now: datetime) -> bool:
    """Record the close after checking it; False when the month was closed already."""
    if close.site_id != device.site_id:
        raise ForbiddenSite("A device may only close months of its own site.")
    # "Over" is decided in Finland's time zone, whatever the server's own: at 00.30 on
    # the 1st in Helsinki the month before is over, although UTC still says the 31st.
    if not month_is_over(close.year, close.month, helsinki_today(now)):
        first = month_bounds(close.year, close.month)[1] + timedelta(days=1)
        raise MonthNotOver(
            f"The month {close.year}-{close.month:02d} is not over yet in Finland: a month "
            f"can be closed from the day after its last day on ({first.isoformat()}, "
            "Europe/Helsinki).",
            {"year": close.year, "month": close.month, "from": first.isoformat()},
        )
    if close.closed_by not in storage.supervisors_of(device.site_id):
        raise SupervisorUnknown(
            "The month can only be closed by a supervisor whose records this server "
            "holds from the site's devices. Sync the supervisor's records first, then "
            "close the month again.",
        )
    return storage.close_month(device, close, now=now)
