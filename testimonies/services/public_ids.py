"""Public ids: handed out at first publication, never changed or reused."""

from django.db import transaction

from testimonies.models import (
    PublicIdCounter,
    RaidIncident,
    Testimony,
)

RecordModel = type[Testimony] | type[RaidIncident]

PUBLIC_ID_PREFIX: dict[RecordModel, str] = {Testimony: "T", RaidIncident: "R"}
MODEL_OF_PREFIX: dict[str, RecordModel] = {
    prefix: model for model, prefix in PUBLIC_ID_PREFIX.items()
}


def allocate_public_ids(model: RecordModel, count: int = 1) -> list[str]:
    """Hand out the next ``count`` public ids for a model; must run inside a transaction.

    The counter row is locked, so two reviewers publishing at once get two
    numbers, and a number once handed out is never handed out again.
    """
    prefix = PUBLIC_ID_PREFIX[model]
    counter, _ = PublicIdCounter.objects.select_for_update().get_or_create(prefix=prefix)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return [f"{prefix}-{number:04d}" for number in range(first, counter.last_number + 1)]


def allocate_public_id(model: RecordModel) -> str:
    return allocate_public_ids(model, 1)[0]


def sync_public_id_counters() -> None:
    """Move each counter past the highest id present, after records were loaded raw.

    Fixtures and bulk loads write public ids without the counter; run this after
    them so the next publication cannot collide (the unique constraint would
    refuse it, but the reviewer would see an error).
    """
    with transaction.atomic():
        for model, prefix in PUBLIC_ID_PREFIX.items():
            highest = 0
            public_ids = model.objects.filter(public_id__startswith=f"{prefix}-").values_list(
                "public_id", flat=True
            )
            for public_id in public_ids:
                number = (public_id or "").split("-", 1)[-1]
                if number.isdigit():
                    highest = max(highest, int(number))
            counter, _ = PublicIdCounter.objects.select_for_update().get_or_create(prefix=prefix)
            if highest > counter.last_number:
                counter.last_number = highest
                counter.save(update_fields=["last_number"])
