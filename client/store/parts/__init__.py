"""The parts :class:`client.store.Store` is made of, one per thing it owns.

- :mod:`.base` – the SQLite file, the lock, the unlocked session, meta and identity;
- :mod:`.keys` – supervisors, PINs, the session's lifetime, data-key rotation, secrets;
- :mod:`.reference` – the site, its participants, their plans, the rule sets;
- :mod:`.months` – closed months;
- :mod:`.records` – day records (their versions) and the audit log of who saw them;
- :mod:`.outbox` – versions waiting for the server and the answers to them;
- :mod:`.sealed` – what a locked device sends, and its credential without the data key.

Each part is a class over :class:`.base.StoreBase`; ``Store`` inherits them all, so a
method lives where the data it owns lives and the public API stays one object.
"""
