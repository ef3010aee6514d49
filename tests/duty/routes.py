"""Routes of this app, classified for tests/test_access_matrix.py (every route must be).

WEB: URL names; API: (method, path under /api/v1). Tests of what each persona sees through them
live beside this file."""

WEB: set[str] = set()
API: set[tuple[str, str]] = set()
