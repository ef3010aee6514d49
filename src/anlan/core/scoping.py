"""Jurisdiction scoping: the one place that decides which records a user may see.

Every list, detail, export, API route and job fetches business records through
``Model.objects.visible_to(user)`` or :func:`access_or_404`. A model joins by
using :class:`ScopedQuerySet` and declaring ``scope_fields``: the lookups that
lead from the model to its region code, its supervision category and its
enterprise.

- Government users see records whose region lies in their organisation's region
  subtree. Region codes are hierarchical, so a subtree is a code prefix.
- Department users additionally see only the supervision categories their
  department supervises (管行业必须管安全). The emergency bureau sees all (综合监管).
- Enterprise users see their own enterprise only.
- Anyone else sees nothing (deny by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, cast

from django.db import models
from django.db.models import Q
from django.http import Http404

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# ScopeFields.category for records that belong to no industry (duty rosters): every government
# user whose region covers them sees them, department users included.
ANY_CATEGORY = "*"


@dataclass(frozen=True)
class ScopeFields:
    """Lookups from a model to what scoping filters on; None means the model has no such link."""

    region: str | None = "region__code"
    category: str | None = "category__code"
    enterprise: str | None = "enterprise"
    # Columns that hold the first n characters of the region code, as (n, lookup): a subtree
    # code at least n long is compared on such a column, an equality that an index can serve
    # in another column's order and that the planner estimates well (see region_q).
    region_prefixes: tuple[tuple[int, str], ...] = ()


def region_q(fields: ScopeFields, code: str) -> Q:
    """Records whose region lies in the subtree of ``code`` (a code prefix)."""
    assert fields.region is not None
    for length, lookup in sorted(fields.region_prefixes, reverse=True):
        if len(code) >= length:
            condition = Q(**{lookup: code[:length]})
            if len(code) > length:
                condition &= Q(**{f"{fields.region}__startswith": code})
            return condition
    return Q(**{f"{fields.region}__startswith": code})


@dataclass(frozen=True)
class Scope:
    """What one user may see. Built once per request (see middleware) and cached on the user."""

    everything: bool = False
    region_code: str | None = None
    categories: frozenset[str] | None = None  # None: every category
    enterprise_id: int | None = None

    @classmethod
    def nothing(cls) -> Scope:
        return cls()

    @property
    def is_empty(self) -> bool:
        return not self.everything and self.region_code is None and self.enterprise_id is None

    @property
    def is_enterprise(self) -> bool:
        return self.enterprise_id is not None

    def q(self, fields: ScopeFields) -> Q | None:
        """The filter for a model with these scope fields; None means "no rows"."""
        if self.everything:
            return Q()
        if self.enterprise_id is not None:
            if fields.enterprise is None:
                return None
            return Q(**{fields.enterprise: self.enterprise_id})
        if self.region_code is None or fields.region is None:
            return None
        condition = region_q(fields, self.region_code)
        if self.categories is not None and fields.category != ANY_CATEGORY:
            if fields.category is None:
                return None
            condition &= Q(**{f"{fields.category}__in": sorted(self.categories)})
        return condition

    def covers(self, *, region: str | None, category: str | None, enterprise: int | None) -> bool:
        """The same rule as :meth:`q`, for one record already in memory (jobs choosing
        recipients use it so a notification never tells a user about a record they cannot see)."""
        if self.everything:
            return True
        if self.enterprise_id is not None:
            return enterprise == self.enterprise_id
        if self.region_code is None or region is None or not region.startswith(self.region_code):
            return False
        return self.categories is None or category == ANY_CATEGORY or category in self.categories

    def county_wide(self) -> Scope:
        """The same user's scope widened to their whole county, every category: for what all
        government users of a county must share (who is on duty now). Enterprise and empty
        scopes stay as they are; city and province scopes are already wider."""
        if self.everything or self.region_code is None:
            return self
        return Scope(region_code=self.region_code[:6])


class ScopedUser(Protocol):
    is_authenticated: bool
    is_active: bool
    _anlan_scope: Scope  # the cache scope_of keeps

    def build_scope(self) -> Scope: ...


def scope_of(user: ScopedUser | AnonymousUser | Scope | Any) -> Scope:
    """The user's scope, computed once and cached on the user object. A scope stands for
    itself: code given a scope instead of a user queries as that scope."""
    if isinstance(user, Scope):
        return user
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.nothing()
    scoped = cast(ScopedUser, user)  # authenticated and active: an accounts user
    cached: Scope | None = getattr(scoped, "_anlan_scope", None)
    if cached is None:
        cached = scoped.build_scope()
        scoped._anlan_scope = cached
    return cached


class ScopedQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> Self:
        condition = scope_of(user).q(self.model.scope_fields)
        if condition is None:
            return self.none()
        return self.filter(condition)


class Scoped(models.Model):
    """Marker base: a business model whose rows are scoped by jurisdiction."""

    scope_fields: ClassVar[ScopeFields] = ScopeFields()

    class Meta:
        abstract = True


def access_or_404(queryset: ScopedQuerySet, user: Any, pk: Any, *, for_update: bool = False) -> Any:
    """One object the user may see, else 404: "missing" and "not yours" look the same."""
    qs = queryset.visible_to(user)
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
