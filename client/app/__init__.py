"""The Flet app: a supervisor's day on a tablet or a phone, offline, in three languages.

``client.app.state`` holds the plain-Python state classes whose methods are the
commands (no flet import, unit-tested without a browser); ``client.app.views`` only
binds controls to them; ``python -m client.app`` runs the app in web mode.
"""
