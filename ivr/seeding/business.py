"""Sample business settings: the regular weekly hours, one special closure, no emergency.

`seed_business(store)` writes them idempotently (hours and the closure are replaced, any
emergency is cleared), so a demo line is open on weekday mornings and closed over the
year-end holidays of the seeding year.
"""

from __future__ import annotations

import datetime

from functions.stores.business import BusinessStore
from models.business_status import DEFAULT_HOURS, WEEKDAYS, Announcement, SpecialClosure

__all__ = ["sample_closure", "seed_business"]


def sample_closure(today: datetime.date) -> SpecialClosure:
    """The year-end closure (29 Dec - 3 Jan) that starts in `today`'s year."""
    return SpecialClosure(
        closure_id=f"year-end-{today.year}",
        first_day=datetime.date(today.year, 12, 29),
        last_day=datetime.date(today.year + 1, 1, 3),
        reason="年末年始休業 / year-end holidays",
        announcement=Announcement(
            ja="誠に勝手ながら、12月29日から1月3日まで年末年始休業とさせていただきます。",
            en="We are closed for the year-end holidays from December 29 to January 3.",
        ),
    )


def seed_business(store: BusinessStore, today: datetime.date | None = None) -> str:
    """Write the sample settings; a one-line summary for `ivr seed` to print."""
    closure = sample_closure(today or datetime.date.today())
    for weekday in WEEKDAYS:
        # Written out, not left to the defaults, so an admin finds a row per day to edit.
        store.set_hours(weekday, DEFAULT_HOURS[weekday])
    store.put_closure(closure)
    store.clear_emergency()
    return (
        f"business settings in {store.describe()}: hours for 7 weekdays, closure "
        f"{closure.closure_id} ({closure.first_day} to {closure.last_day}), no emergency"
    )
