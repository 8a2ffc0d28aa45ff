"""Seeds the registries the platform knows (emissions/data/registries.json) and re-keys every
existing serial claim on its canonical identity (registry key, canonical prefix), the rule the
exclusion constraint now applies. If two claims turn out to be the same certificates in
canonical form, the constraint refuses the re-keying and the migration stops, naming them:
such a double claim must be resolved by hand, never silently."""

from django.db import IntegrityError, migrations, transaction


def forward(apps, schema_editor):
    from emissions.registry_library import directory_of, seed_registries

    seed_registries(lambda name: apps.get_model("emissions", name))
    directory = directory_of(apps.get_model("emissions", "Registry").objects.all())
    rekey_claims(apps, directory)


def rekey_claims(apps, directory):
    from emissions.identifiers import split_serial

    claim_model = apps.get_model("emissions", "SerialClaim")
    for claim in claim_model.objects.select_related("green", "credit").order_by("pk"):
        owner = claim.green or claim.credit
        registry, (prefix, _) = directory.key(owner.registry), split_serial(owner.serial_from)
        if (claim.registry, claim.prefix) == (registry, prefix):
            continue
        claim.registry, claim.prefix = registry, prefix
        try:
            with transaction.atomic():
                claim.save(update_fields=["registry", "prefix"])
        except IntegrityError as error:
            raise RuntimeError(
                f"serial claim {claim.pk} ({owner.instrument} {owner.serial_from} … "
                f"{owner.serial_to}, registry {owner.registry!r}) overlaps another claim once "
                "compared in canonical form: the same certificates are claimed twice; resolve "
                f"it before migrating ({error})"
            ) from None


class Migration(migrations.Migration):
    dependencies = [("emissions", "0004_canonical_claims_exact_storage")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
