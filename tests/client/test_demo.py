"""The domain demo that `python -m client.demo` prints: real figures, in three languages."""

from __future__ import annotations

import subprocess
import sys

from client.demo import render


def test_demo_prints_findings_and_allowance_in_finnish() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "client.demo"], capture_output=True, text=True, check=True
    ).stdout
    assert "Viikolla 49/2026 on jo 4 läsnäolopäivää" in out  # Aino's fifth day
    assert "Läsnä yleisenä vapaapäivänä: Itsenäisyyspäivä." in out  # Cecilia on 6.12.
    assert "lääkärintodistus tarvitaan" in out  # Aino's fourth sick day
    assert "Kulukorvaus (Kela) 4 × 9,00 € = 36,00 €" in out
    assert "Päiväkorvaus (Hyvinvointialue) 3 × 6,00 € = 18,00 €" in out
    assert "Työllistymistä tukeva korvaus, taso 2 (Hyvinvointialue) 4 × 9,50 € = 38,00 €" in out


def test_demo_in_swedish_and_english() -> None:
    assert "Ersättning totalt: 38,00 €" in render("sv")
    assert "Allowance total: €36.00" in render("en")
