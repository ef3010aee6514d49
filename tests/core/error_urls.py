"""The site's routes plus one view that fails, for the 500 page (tests/core/test_error_pages.py)."""

from django.urls import path

from anlan.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [path("test-fail/", fail), *site_urlpatterns]
