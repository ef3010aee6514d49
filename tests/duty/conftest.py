import functools

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what the block's actions scheduled for after the commit
    (notifications) when the block ends, as a real commit would."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)
