"""Python's cycle collector paused around work that makes many short-lived containers.

A push builds tens of thousands of small objects (models, records, findings) that all
live until its reply is sent, the nightly forward hundreds of thousands, and the
county stand-in as many again when it takes a batch in. The
collector would walk them again and again, together with everything the server has
loaded, while they pile up: measured, a fifth of a push and of a county's year. They
hold no reference cycles, so reference counting frees them; whatever else is made
meanwhile waits for the collector's next pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside, back as it was found afterwards (also on errors).

    Nested or overlapping pauses (two requests at once) end with the collector on
    again as soon as the first pause that found it on is over.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
