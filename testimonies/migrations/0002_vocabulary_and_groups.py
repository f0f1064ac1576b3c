"""Seed the fixed vocabularies and the two editorial groups.

Permissions are normally created after all migrations run; creating them here
lets the groups be complete on a fresh database in one ``migrate``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHORITIES = [
    ("police", "Police"),
    ("immigration", "Immigration police"),
    ("dsi", "Department of Special Investigation (DSI)"),
    ("task-force", "Anti-trafficking task force"),
    ("social-welfare", "Social welfare officials"),
    ("ngo", "NGO or 'rescue' organisation"),
    ("media", "Media"),
    ("military", "Military or border guards"),
]

OUTCOMES = [
    ("police-custody", "Held in police custody"),
    ("shelter", "Sent to a shelter"),
    ("immigration-detention", "Immigration detention"),
    ("deportation", "Deportation"),
    ("medical-examination", "Medical examination"),
    ("age-assessment", "Age assessment"),
    ("fine", "Fined"),
    ("prosecution", "Prosecuted"),
    ("release", "Released"),
    ("witness-hold", "Held as a witness"),
]

CURATED = [
    ("laws", "law"),
    ("laws", "clause"),
    ("testimonies", "testimony"),
    ("testimonies", "testimonyclause"),
    ("testimonies", "raidincident"),
    ("testimonies", "violationtype"),
    ("testimonies", "rightsviolation"),
    ("testimonies", "authority"),
    ("testimonies", "outcome"),
]

EDITOR_EXTRA = ["send_testimony_to_review", "send_raidincident_to_review"]
REVIEWER_EXTRA = [
    "publish_testimony",
    "withdraw_testimony",
    "publish_raidincident",
    "withdraw_raidincident",
]


def seed(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Authority = apps.get_model("testimonies", "Authority")
    Outcome = apps.get_model("testimonies", "Outcome")
    for order, (slug, name) in enumerate(AUTHORITIES):
        Authority.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})
    for order, (slug, name) in enumerate(OUTCOMES):
        Outcome.objects.update_or_create(slug=slug, defaults={"name": name, "order": order})

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editing = Permission.objects.none()
    for app_label, model in CURATED:
        # Editors never delete: a record leaves the public through withdrawal.
        editing |= Permission.objects.filter(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"add_{model}", f"change_{model}", f"view_{model}"],
        )
    editor_perms = list(editing) + list(Permission.objects.filter(codename__in=EDITOR_EXTRA))
    reviewer_perms = editor_perms + list(Permission.objects.filter(codename__in=REVIEWER_EXTRA))

    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(editor_perms)
    reviewer, _ = Group.objects.get_or_create(name="Reviewer")
    reviewer.permissions.set(reviewer_perms)


class Migration(migrations.Migration):
    dependencies = [
        ("testimonies", "0001_initial"),
        ("laws", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
