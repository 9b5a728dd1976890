"""The HTTP surface: pydantic wire models, request dependencies and routes."""
