"""Routes of this app, classified for tests/test_access_matrix.py (every route must be).

WEB: URL names; API: (method, path under /api/v1). What each persona sees through them is
tested in test_incident_access.py beside this file."""

# Take an incident pk: 404 out of scope.
OBJECT_WEB = {
    "incidents:detail": "GET",
    "incidents:follow_up": "POST",
    "incidents:unit_report": "POST",
    "incidents:forward": "POST",
    "incidents:pdf": "GET",
}
LIST_WEB = {"incidents:list", "incidents:stats"}
FORM_WEB = {"incidents:new"}  # choices scoped by the form
OBJECT_API = {
    ("GET", "/incidents/{int:incident_id}"),
    ("POST", "/incidents/{int:incident_id}/follow-up"),
    ("POST", "/incidents/{int:incident_id}/unit-report"),
    ("POST", "/incidents/{int:incident_id}/forward"),
    ("POST", "/incidents/{int:incident_id}/transitions/{name}"),  # {name}: follow_up in tests
}
LIST_API = {("GET", "/incidents/"), ("GET", "/incidents/stats")}
CREATE_API = {("POST", "/incidents/")}

WEB: set[str] = set(OBJECT_WEB) | LIST_WEB | FORM_WEB
API: set[tuple[str, str]] = OBJECT_API | LIST_API | CREATE_API
