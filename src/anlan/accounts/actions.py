"""Writes on accounts: revoking API tokens (marked, never deleted)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from anlan.accounts.models import ApiToken, TokenRevocation, User


def current_actor() -> User | None:
    """The user of the request being served (simple_history's middleware keeps it), if any."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@transaction.atomic
def do_revoke_token(token: ApiToken, *, actor: User) -> ApiToken:
    """Revoke one token the actor may see (its owner or an administrator: visible_to)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."), code="already_revoked")
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.revoked_because = TokenRevocation.REVOKED
    token.save(update_fields=["revoked_at", "revoked_by", "revoked_because"])
    return token


def revoke_all_tokens(user: User, *, reason: str, actor: User | None = None) -> int:
    """Revoke every token of the user not revoked yet (a password change); returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(),
        revoked_by=actor or current_actor(),
        revoked_because=reason,
    )
