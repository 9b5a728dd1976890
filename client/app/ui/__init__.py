"""Flet 1.0's declarative pieces the views are built from (see docs/app.md)."""
