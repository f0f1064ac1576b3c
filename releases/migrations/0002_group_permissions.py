"""Reviewers make releases; editors may see the list in the admin.

Making a release publishes a copy of the archive under a permanent address,
so it is given to those who already decide what the public reads.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Reviewer": ["view_release", "add_release"],
    "Editor": ["view_release"],
}


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the
    # groups are complete after one migrate (as pages/migrations/0002 does).
    app_config = apps.get_app_config("releases")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="releases", codename__in=codenames)
        )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="releases"))


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0001_initial"),
        ("testimonies", "0002_vocabulary_and_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
