"""What the registry announces to other apps (they react in their own code)."""

from django.dispatch import Signal

# An enterprise changed its region (moved town or village) or its supervision category. Sent
# inside the transaction that saves the change, so what receivers write commits or rolls back
# with it. Arguments: enterprise, actor, old_region_id, old_category_id (the new ones are the
# enterprise's own).
enterprise_moved = Signal()
