"""``python -m sync_server``: the same as the ``lasna-server`` command."""

import sys

from sync_server.cli import main

sys.exit(main())
