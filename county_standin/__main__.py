"""Run the county stand-in: ``python -m county_standin --port 8766``.

Keys and the database come from ``COUNTY_STANDIN_*`` variables (see settings.py);
flags override them.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

import uvicorn

from county_standin.app import create_app
from county_standin.settings import StandinSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="county_standin", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--db", type=Path, help="the stand-in's SQLite file")
    parser.add_argument("--mode", help="ok | down | slow:S | error:N[:STATUS]")
    args = parser.parse_args(argv)
    settings = StandinSettings.from_env(os.environ)
    if args.db is not None:
        settings = replace(settings, db_path=args.db)
    if args.mode is not None:
        settings = replace(settings, mode=args.mode)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
