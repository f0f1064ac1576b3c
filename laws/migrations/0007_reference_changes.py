"""Editors' changes to reference data wait in review; reviewers publish them.

The Reviewer group may publish or reject proposed changes. Both groups may
now propose changes to amendments and clause versions too, since those saves
are reviewed like the rest; both may read the list of proposals.
"""

from django.contrib.auth.management import create_permissions
import django.db.models.deletion
import laws.proposal_models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


GRANTS = {
    "Reviewer": [
        "publish_reference_change",
        "view_referencechange",
        "add_amendment",
        "change_amendment",
        "view_amendment",
        "add_clauseversion",
        "change_clauseversion",
        "view_clauseversion",
    ],
    "Editor": [
        "view_referencechange",
        "add_amendment",
        "change_amendment",
        "view_amendment",
        "add_clauseversion",
        "change_clauseversion",
        "view_clauseversion",
    ],
}


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the
    # groups are complete after one migrate. The flag is put back as it was, since
    # tests run this against the real app registry too (tests/support/factories.py).
    app_config = apps.get_app_config("laws")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="laws", codename__in=codenames)
        )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="laws", codename__in=GRANTS[group.name]
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ("testimonies", "0002_vocabulary_and_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ('contenttypes', '0002_remove_content_type_name'),
        ('laws', '0006_clause_versions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalReferenceChange',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('target_id', models.PositiveBigIntegerField(blank=True, help_text='The record the change is to; empty for a proposed new record.', null=True, verbose_name='record')),
                ('target_label', models.CharField(help_text="How the record is cited, e.g. 'ATIPA 2008, s. 29', as the editor saw it.", max_length=300, verbose_name='name')),
                ('proposed', models.JSONField(default=dict, help_text='Every field of the form as the editor saved it: related records by their number, dates as YYYY-MM-DD.', verbose_name='proposed values')),
                ('based_on', models.JSONField(blank=True, default=dict, help_text='The same fields as they were on the public record when the change was proposed; empty for a new record. If the record has changed since, the proposal is refused.', verbose_name='values it was based on')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('published', 'Published'), ('rejected', 'Rejected')], default='review', help_text='Only a reviewer publishes or rejects a change.', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(blank=True, editable=False, help_text='When the editor saved the change.', verbose_name='proposed at')),
                ('decided_at', models.DateTimeField(blank=True, help_text='When the reviewer published or rejected it.', null=True, verbose_name='decided at')),
                ('note', models.TextField(blank=True, help_text="The reviewer's reason for rejecting, for the editor to read.", verbose_name='note')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('author', models.ForeignKey(blank=True, db_constraint=False, help_text='The editor who proposed the change.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewer', models.ForeignKey(blank=True, db_constraint=False, help_text='The reviewer who published or rejected it.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
                ('target_type', models.ForeignKey(blank=True, db_constraint=False, help_text='Law, clause, amendment, clause version or violation type.', limit_choices_to=laws.proposal_models._reviewed_models, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contenttypes.contenttype', verbose_name='kind of record')),
            ],
            options={
                'verbose_name': 'historical proposed change to reference data',
                'verbose_name_plural': 'historical proposed changes to reference data',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ReferenceChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('target_id', models.PositiveBigIntegerField(blank=True, help_text='The record the change is to; empty for a proposed new record.', null=True, verbose_name='record')),
                ('target_label', models.CharField(help_text="How the record is cited, e.g. 'ATIPA 2008, s. 29', as the editor saw it.", max_length=300, verbose_name='name')),
                ('proposed', models.JSONField(default=dict, help_text='Every field of the form as the editor saved it: related records by their number, dates as YYYY-MM-DD.', verbose_name='proposed values')),
                ('based_on', models.JSONField(blank=True, default=dict, help_text='The same fields as they were on the public record when the change was proposed; empty for a new record. If the record has changed since, the proposal is refused.', verbose_name='values it was based on')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('published', 'Published'), ('rejected', 'Rejected')], default='review', help_text='Only a reviewer publishes or rejects a change.', max_length=10, verbose_name='status')),
                ('created_at', models.DateTimeField(auto_now_add=True, help_text='When the editor saved the change.', verbose_name='proposed at')),
                ('decided_at', models.DateTimeField(blank=True, help_text='When the reviewer published or rejected it.', null=True, verbose_name='decided at')),
                ('note', models.TextField(blank=True, help_text="The reviewer's reason for rejecting, for the editor to read.", verbose_name='note')),
                ('author', models.ForeignKey(help_text='The editor who proposed the change.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                ('reviewer', models.ForeignKey(blank=True, help_text='The reviewer who published or rejected it.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
                ('target_type', models.ForeignKey(help_text='Law, clause, amendment, clause version or violation type.', limit_choices_to=laws.proposal_models._reviewed_models, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='kind of record')),
            ],
            options={
                'verbose_name': 'proposed change to reference data',
                'verbose_name_plural': 'proposed changes to reference data',
                'ordering': ['-created_at', '-id'],
                'permissions': [('publish_reference_change', 'Can publish or reject changes to laws, clauses and violation types')],
                'indexes': [models.Index(fields=['status', 'created_at'], name='reference_change_status_idx'), models.Index(fields=['target_type', 'target_id'], name='reference_change_target_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'review', 'published', 'rejected'])), name='reference_change_status_valid'), models.CheckConstraint(condition=models.Q(models.Q(('decided_at__isnull', False), ('reviewer__isnull', False), ('status__in', ['published', 'rejected'])), models.Q(('decided_at__isnull', True), ('reviewer__isnull', True), ('status__in', ['draft', 'review'])), _connector='OR'), name='reference_change_decision_recorded')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
