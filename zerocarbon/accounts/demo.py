"""The demo organisations and personas (load_demo). Idempotent: running it twice changes
nothing; passwords are reset to the documented demo value each time."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from zerocarbon.accounts.models import Membership, Organisation

DEMO_PASSWORD = "zerocarbon-demo"  # noqa: S105 - documented demo login, local data only

ORGANISATIONS = [
    ("org-a", "示例咨询 A / Example Consulting A", Organisation.Kind.CONSULTANCY),
    ("org-b", "示例咨询 B / Example Consulting B", Organisation.Kind.CONSULTANCY),
    (
        "cert-body",
        "示例认证中心 / Example Certification Centre",
        Organisation.Kind.CERTIFICATION_BODY,
    ),
]


@dataclass(frozen=True)
class Persona:
    username: str
    organisation: str
    role: str
    description: str


PERSONAS = [
    Persona("alice", "org-a", Membership.Role.CONSULTANT, "consultant, org-a"),
    Persona("bob", "org-a", Membership.Role.VIEWER, "viewer, org-a"),
    Persona("carol", "cert-body", Membership.Role.AUDITOR, "auditor, cert-body"),
    Persona("charlie", "org-b", Membership.Role.CONSULTANT, "consultant, org-b"),
    Persona("dora", "org-a", Membership.Role.ADMIN, "admin, org-a: API keys"),
]


@transaction.atomic
def load_demo_accounts() -> dict[str, Organisation]:
    organisations = {}
    for slug, name, kind in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        organisations[slug] = organisation
    user_model = get_user_model()
    for persona in PERSONAS:
        user, _ = user_model.objects.get_or_create(username=persona.username)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(
            user=user,
            organisation=organisations[persona.organisation],
            defaults={"role": persona.role},
        )
    admin, _ = user_model.objects.get_or_create(username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    return organisations
