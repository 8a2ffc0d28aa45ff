"""Who a request acts for when it comes with an API key instead of a login.

DRF puts the actor where a user would be (`request.user`), so it answers the questions
permission classes, throttles and templates ask of a user; the tenancy helper reads the
organisation, the factories and the read-only flag from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from zerocarbon.accounts.models import ApiKey


@dataclass(frozen=True)
class KeyActor:
    key: ApiKey
    organisation_id: int
    # None: every factory of the organisation; otherwise only these.
    factory_ids: frozenset[int] | None
    read_only: bool

    # Not dataclass fields (no annotation): what Django and DRF ask of any user.
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None  # no user row: nothing may mistake a key for user number n
    id = None

    @property
    def username(self) -> str:
        return f"key:{self.key.prefix}"

    def get_username(self) -> str:
        return self.username

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False  # Django permissions are for people, in the admin

    def __str__(self) -> str:
        return self.username
