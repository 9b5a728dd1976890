"""The cycle collector pause used by the push and the forward gives the collector back."""

from __future__ import annotations

import gc

import pytest

from sync_server.collector import collector_paused


def test_the_pause_gives_the_collector_back_as_it_found_it() -> None:
    with collector_paused(), collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("a run that failed half way")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
