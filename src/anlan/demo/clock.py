"""Replaying the demo's past through the real actions.

The demo's history (hazards found months ago, confirmed, rectified, accepted and closed;
incidents reported and forwarded last year) is made by the people the rules name, through the
same actions and workflow the pages use, so the engine checks every step. Those actions read
the clock (a deadline may not lie before today; confirmed_at is now), so while the builder
replays a past step the clock reads that step's moment. The side effects a step leaves for
after the commit (notifications) are kept for the last three days only: the older ones were
read long ago.

Only the demo builder uses this, in one thread, inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.db import transaction
from django.utils import timezone

RECENT = timedelta(days=3)


class Clock:
    def __init__(self, now: datetime):
        self.real_now = now
        self.moment = now

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        if moment > self.real_now:
            raise ValueError(f"the demo replays the past only, not {moment}")
        self.moment = moment


@contextmanager
def replay(now: datetime | None = None) -> Iterator[Clock]:
    """``with replay() as clock: clock.set(moment); actions.do_…(…)``."""
    clock = Clock(now or timezone.now())
    on_commit = transaction.on_commit

    def recent_only(func: Any, *args: Any, **kwargs: Any) -> None:
        if clock.moment >= clock.real_now - RECENT:
            on_commit(func, *args, **kwargs)

    with (
        mock.patch.object(timezone, "now", clock),
        mock.patch.object(transaction, "on_commit", recent_only),
    ):
        yield clock
