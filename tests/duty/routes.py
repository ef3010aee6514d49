"""Routes of this app, classified for tests/test_access_matrix.py (every route must be).

WEB: URL names; API: (method, path under /api/v1). What each persona sees through them is
tested in test_duty_access.py beside this file."""

# Take a record's pk: 404 outside the user's scope. name -> (methods, record kind, extra kwargs)
OBJECT_WEB = {
    "duty:roster": (["GET"], "roster", {}),
    "duty:roster_generate": (["POST"], "roster", {}),
    "duty:roster_publish": (["POST"], "roster", {}),
    "duty:roster_pdf": (["GET"], "roster", {}),
    "duty:roster_export": (["GET"], "roster", {}),
    "duty:shift": (["GET"], "shift", {}),
    "duty:shift_edit": (["GET", "POST"], "shift", {}),
    "duty:check_in": (["POST"], "shift", {}),
    "duty:hand_over": (["GET", "POST"], "shift", {}),
    "duty:swap_request": (["GET", "POST"], "shift", {}),
    "duty:receive_handover": (["POST"], "handover", {}),
    "duty:swap_decide": (["POST"], "swap", {"name": "approve_swap"}),
}
# Lists: exactly the user's scope (the board: the user's whole county, on purpose).
LIST_WEB = {"duty:rosters", "duty:swaps", "duty:log"}
BOARD_WEB = {"duty:board"}
FORM_WEB = {"duty:roster_new"}  # creates for the user's own unit only
OBJECT_API = {  # (method, path) -> record kind of the id in the path
    ("GET", "/duty/rosters/{int:roster_id}"): "roster",
    ("POST", "/duty/rosters/{int:roster_id}/generate"): "roster",
    ("POST", "/duty/rosters/{int:roster_id}/publish"): "roster",
    ("POST", "/duty/rosters/{int:roster_id}/transitions/{name}"): "roster",  # {name}: publish
    ("GET", "/duty/shifts/{int:shift_id}"): "shift",
    ("PATCH", "/duty/shifts/{int:shift_id}"): "shift",
    ("POST", "/duty/shifts/{int:shift_id}/check-in"): "shift",
    ("POST", "/duty/handovers/{int:handover_id}/receive"): "handover",
    ("POST", "/duty/swaps/{int:swap_id}/decide"): "swap",
    ("POST", "/duty/swaps/{int:swap_id}/transitions/{name}"): "swap",  # {name}: approve_swap
}
BODY_API = {  # creation naming a shift in the body: 404 when the shift is out of scope
    ("POST", "/duty/handovers"),
    ("POST", "/duty/swaps"),
}
LIST_API = {
    ("GET", "/duty/rosters"),
    ("GET", "/duty/shifts"),
    ("GET", "/duty/log"),
    ("GET", "/duty/handovers"),
    ("GET", "/duty/swaps"),
}
BOARD_API = {("GET", "/duty/board")}
CREATE_API = {("POST", "/duty/rosters"), ("POST", "/duty/log")}  # for the user's own unit

WEB: set[str] = set(OBJECT_WEB) | LIST_WEB | BOARD_WEB | FORM_WEB
API: set[tuple[str, str]] = set(OBJECT_API) | BODY_API | LIST_API | BOARD_API | CREATE_API
