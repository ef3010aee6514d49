"""Routes of this app, classified for tests/test_access_matrix.py (every route must be).

WEB: URL names; API: (method, path under /api/v1). What each persona sees through them is
tested in test_tokens.py beside this file: a user's own tokens only, an administrator's all."""

OBJECT_WEB = {"accounts:token_revoke": "POST"}  # another user's token: 404
LIST_WEB = {"accounts:tokens"}  # the user's own tokens (an administrator: everyone's)
FORM_WEB = {"accounts:password_change"}  # the user's own password
OBJECT_API = {("POST", "/auth/tokens/{int:token_id}/revoke")}
LIST_API = {("GET", "/auth/tokens")}

WEB: set[str] = set(OBJECT_WEB) | LIST_WEB | FORM_WEB
API: set[tuple[str, str]] = OBJECT_API | LIST_API
