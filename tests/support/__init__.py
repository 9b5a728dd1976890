"""Test support shared by the sync, app and end-to-end tests (no tests in here)."""
