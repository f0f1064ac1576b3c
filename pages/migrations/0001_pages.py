import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalPage',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, help_text="Goes up by one at every save; an edit form saved from an older version is refused instead of overwriting someone else's changes.")),
                ('slug', models.CharField(choices=[('about', 'About the archive'), ('methodology', 'Methodology'), ('consent', 'Consent and withdrawal'), ('cite', 'How to cite and reuse'), ('contact', 'Contact'), ('open-data', 'Open data')], db_index=True, help_text="Which of the archive's pages this is. Each has a fixed address and a link in the footer of every page, so it is chosen once and never changed.", max_length=20, verbose_name='page')),
                ('title_en', models.CharField(help_text="The page's heading in English.", max_length=200, verbose_name='English title')),
                ('body_en', models.TextField(help_text="Plain text. Leave a blank line between paragraphs. A line starting with '## ' is a heading; lines starting with '- ' make a list. Links: [words](https://...) or [words](/open-data/) for a page of this site. HTML is shown as typed, never run.", verbose_name='English text')),
                ('title_th', models.CharField(blank=True, help_text="The page's heading in Thai. Leave it and the Thai text empty until a translation exists: Thai readers then see the English, with a note that says so.", max_length=200, verbose_name='Thai title')),
                ('body_th', models.TextField(blank=True, help_text='The page in Thai, written with the same markup as the English text.', verbose_name='Thai text')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical page',
                'verbose_name_plural': 'historical pages',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Page',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('edit_version', models.PositiveIntegerField(default=1, editable=False, help_text="Goes up by one at every save; an edit form saved from an older version is refused instead of overwriting someone else's changes.")),
                ('slug', models.CharField(choices=[('about', 'About the archive'), ('methodology', 'Methodology'), ('consent', 'Consent and withdrawal'), ('cite', 'How to cite and reuse'), ('contact', 'Contact'), ('open-data', 'Open data')], help_text="Which of the archive's pages this is. Each has a fixed address and a link in the footer of every page, so it is chosen once and never changed.", max_length=20, unique=True, verbose_name='page')),
                ('title_en', models.CharField(help_text="The page's heading in English.", max_length=200, verbose_name='English title')),
                ('body_en', models.TextField(help_text="Plain text. Leave a blank line between paragraphs. A line starting with '## ' is a heading; lines starting with '- ' make a list. Links: [words](https://...) or [words](/open-data/) for a page of this site. HTML is shown as typed, never run.", verbose_name='English text')),
                ('title_th', models.CharField(blank=True, help_text="The page's heading in Thai. Leave it and the Thai text empty until a translation exists: Thai readers then see the English, with a note that says so.", max_length=200, verbose_name='Thai title')),
                ('body_th', models.TextField(blank=True, help_text='The page in Thai, written with the same markup as the English text.', verbose_name='Thai text')),
                ('updated_at', models.DateTimeField(auto_now=True, help_text='When the page was last saved.', verbose_name='last changed')),
            ],
            options={
                'verbose_name': 'page',
                'verbose_name_plural': 'pages',
                'ordering': ['slug'],
                'constraints': [models.CheckConstraint(condition=models.Q(('slug__in', ['about', 'methodology', 'consent', 'cite', 'contact', 'open-data'])), name='page_slug_valid'), models.CheckConstraint(condition=models.Q(models.Q(('body_th', ''), ('title_th', '')), models.Q(models.Q(('title_th', ''), _negated=True), models.Q(('body_th', ''), _negated=True)), _connector='OR'), name='page_thai_title_and_text_together', violation_error_message='Give the Thai title and the Thai text together, or leave both empty.')],
            },
        ),
    ]
