"""Copy each testimony's text into the new source fields; give reviewers the consent records.

Existing text has no redaction markers, so it renders to itself: the public
fields (and the published versions) stay exactly as they were. History rows
get their sources too, so the admin's history shows the same text as before.

Only the Reviewer group may see and record consent; the Editor group gets no
permission on it at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import F

REVIEWER_CONSENT = ["view_consent", "add_consent", "change_consent"]


def forwards(apps, schema_editor):
    copies = {"title_source": F("title"), "summary_source": F("summary"), "body_source": F("body")}
    apps.get_model("testimonies", "Testimony").objects.update(**copies)
    apps.get_model("testimonies", "HistoricalTestimony").objects.update(**copies)

    app_config = apps.get_app_config("testimonies")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reviewer, _ = Group.objects.get_or_create(name="Reviewer")
    reviewer.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="testimonies", codename__in=REVIEWER_CONSENT
        )
    )


def backwards(apps, schema_editor):
    # The public fields still hold the text; nothing to undo but the permissions.
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Reviewer"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="testimonies", codename__in=REVIEWER_CONSENT
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("testimonies", "0007_consent_and_redaction_sources"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
