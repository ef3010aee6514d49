import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anlan.accounts.roles import ENTERPRISE_ROLES, ROLE_ACTIONS, Role
from anlan.core.scoping import Scope
from anlan.regions.rules import level_of


class OrganisationKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("party committee")
    GOVERNMENT = "government", _("people's government")
    EMERGENCY_BUREAU = "emergency_bureau", _("emergency management bureau")
    DEPARTMENT = "department", _("industry department")
    TOWN = "town", _("town government / street office")
    VILLAGE = "village", _("village / community committee")


class Organisation(models.Model):
    """A government unit at a region. Industry departments carry the supervision
    categories they supervise (管行业必须管安全); every other kind sees every category."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    supervised_categories = models.ManyToManyField(
        "registry.SupervisionCategory",
        verbose_name=_("supervised categories"),
        blank=True,
        related_name="supervising_organisations",
    )
    phone = models.CharField(_("duty phone"), max_length=30, blank=True)

    history = HistoricalRecords(m2m_fields=[supervised_categories])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(organisation__isnull=False, enterprise__isnull=False),
                name="user_one_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.role in ENTERPRISE_ROLES and not self.enterprise_id:
            raise ValidationError({"enterprise": _("Enterprise accounts belong to an enterprise.")})
        if self.role and self.role not in ENTERPRISE_ROLES and not self.organisation_id:
            if not self.is_superuser:
                raise ValidationError(
                    {"organisation": _("Government accounts belong to a government unit.")}
                )

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # set_password() (the password change page, the admin's set-password form,
        # `anlan changepassword`) or an unusable password ends every API token of the user.
        existing = not self._state.adding
        password_set = self._password is not None
        super().save(*args, **kwargs)
        if existing and (password_set or not self.has_usable_password()):
            from anlan.accounts.actions import revoke_all_tokens

            revoke_all_tokens(self, reason=TokenRevocation.PASSWORD_CHANGED)

    def build_scope(self) -> Scope:
        if self.is_superuser:
            return Scope(everything=True)
        if self.role in ENTERPRISE_ROLES:
            return Scope(enterprise_id=self.enterprise_id) if self.enterprise_id else Scope()
        org = self.organisation
        if org is None or not self.role:
            return Scope()
        categories = None
        if org.kind == OrganisationKind.DEPARTMENT:
            categories = frozenset(org.supervised_categories.values_list("code", flat=True))
        return Scope(region_code=org.region_id, categories=categories)

    def allowed_actions(self) -> frozenset[str]:
        if self.is_superuser:
            return ROLE_ACTIONS[Role.ADMIN]
        return ROLE_ACTIONS.get(self.role, frozenset())

    @property
    def is_enterprise_user(self) -> bool:
        return self.role in ENTERPRISE_ROLES

    def unit_name(self) -> str:
        if self.enterprise_id:
            return self.enterprise.name
        return self.organisation.name if self.organisation_id else ""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def issue(self, user: User) -> tuple["ApiToken", str]:
        """Create a token; the plain key is returned once and only its hash is stored."""
        key = secrets.token_urlsafe(32)
        token = self.create(
            user=user,
            key_hash=_hash(key),
            prefix=key[:8],
            expires_at=timezone.now() + timedelta(days=settings.ANLAN_TOKEN_DAYS),
        )
        return token, key

    def authenticate(self, key: str) -> User | None:
        token = (
            self.select_related("user", "user__organisation")
            .filter(key_hash=_hash(key), user__is_active=True)
            .active()
            .first()
        )
        return token.user if token else None

    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def visible_to(self, user):
        """A user's own tokens; every user's for an administrator (accounts.tokens)."""
        from anlan.core.permissions import can

        if can(user, "accounts.tokens"):
            return self.all()
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class TokenRevocation(models.TextChoices):
    REVOKED = "revoked", _("revoked")
    PASSWORD_CHANGED = "password_changed", _("password changed")


class ApiToken(models.Model):
    """An API token; only its hash is kept. Revoking marks it (when, by whom, why), never
    deletes it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_because = models.CharField(
        _("revoked because"), max_length=20, blank=True, choices=TokenRevocation.choices
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > timezone.now() else "expired"

    def get_status_display(self) -> str:
        return {"revoked": _("revoked"), "active": _("active"), "expired": _("expired")}[
            self.status
        ]


def unit_level(user) -> str | None:
    """The administrative level (a ``regions.rules.Level`` value) of the user's government
    unit: superusers act as the province; enterprise users and users without a unit have
    none."""
    if user.is_superuser:
        return "province"
    organisation = getattr(user, "organisation", None)
    level = level_of(organisation.region_id) if organisation is not None else None
    return level.value if level else None
