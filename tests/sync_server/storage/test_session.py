"""A thread's session keeps one connection: a TEMP table made in it lives until the
session ends, and the session's write transactions see it, even while other threads
borrow the pool's connections (the forward stages a run this way on both engines)."""

from __future__ import annotations

import threading

from sync_server.storage import open_database


def test_a_temp_table_lives_through_the_session_while_others_use_the_pool(
    database: str,
) -> None:
    storage = open_database(database)
    held, release = threading.Event(), threading.Event()

    def request_being_served() -> None:
        with storage.snapshot() as db:  # holds a pooled connection on PostgreSQL
            db.execute("SELECT count(*) FROM sites").fetchone()
            held.set()
            release.wait(30)

    other = threading.Thread(target=request_being_served)
    try:
        with storage.session():
            storage.db.execute("CREATE TEMP TABLE staged_here (v INTEGER)")
            other.start()
            assert held.wait(30)
            storage.db.conn.executemany(
                "INSERT INTO staged_here (v) VALUES (?)", [(v,) for v in range(20)]
            )
            with storage.write() as db:
                (total,) = db.execute("SELECT sum(v) FROM staged_here").fetchone()
            assert total == sum(range(20))
            storage.db.execute("DROP TABLE staged_here")
    finally:
        release.set()
        if other.is_alive() or other.ident is not None:
            other.join(30)
        storage.close()
