"""The app's state classes: plain Python whose methods are the commands (no flet here)."""

from client.app.state.app import AppState, Screen
from client.app.state.auth import AuthMode, AuthState, PinProblem
from client.app.state.clock import Clock, system_clock
from client.app.state.day_rows import SaveOutcome, TodayRow
from client.app.state.device import Device, default_store_path, open_device
from client.app.state.errors import AppError, InputProblem, NeedsCorrectionReason, NotReady
from client.app.state.month import MonthState
from client.app.state.overview import OverviewState, Span
from client.app.state.participant import ParticipantState
from client.app.state.sync_status import SyncStatusState
from client.app.state.today import TodayState

__all__ = [
    "AppError",
    "AppState",
    "AuthMode",
    "AuthState",
    "Clock",
    "Device",
    "InputProblem",
    "MonthState",
    "NeedsCorrectionReason",
    "NotReady",
    "OverviewState",
    "ParticipantState",
    "PinProblem",
    "SaveOutcome",
    "Screen",
    "Span",
    "SyncStatusState",
    "TodayRow",
    "TodayState",
    "default_store_path",
    "open_device",
    "system_clock",
]
