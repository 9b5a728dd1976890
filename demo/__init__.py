"""The whole product on one machine with demo data: ``python -m demo`` (``make run``)."""
