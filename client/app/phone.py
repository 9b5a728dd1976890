"""The packaged phone and tablet app: ``flet build apk`` / ``flet build ipa`` entry point.

The database goes under FLET_APP_STORAGE_DATA (kept across app updates) and the device
secret into the platform's secure storage. See docs/app.md for the build command.
"""

from __future__ import annotations

import flet as ft

from client.app.main import phone_main

if __name__ == "__main__":
    ft.run(phone_main())
