"""The REST API (/api/v1/).

- :mod:`anlan.api.base`: what routers share (authentication, the one error shape, InSchema,
  PatchSchema, Id/Day/Moment, error_response). Apps import from here.
- :mod:`anlan.api.site`: the API object with every app's router mounted (urls.py serves it).

This package imports nothing itself, so ``import anlan.hazards.api`` works first.
"""
