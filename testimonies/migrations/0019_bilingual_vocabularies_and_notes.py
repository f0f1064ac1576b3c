"""Thai names for the vocabularies and violation types, and a Thai note on clause links.

The authorities and outcomes were seeded by 0002, so their Thai names are
filled here (only where an editor has not written one). Violation types,
laws and clauses get theirs from the fixtures that ``load_archive`` loads.

On SQLite, adding a column with a default rebuilds the table, and a rebuilt
table loses its triggers: the index generation triggers of 0018 are created
again at the end, from that migration's own statements.
"""

import importlib

from django.db import migrations, models

AUTHORITIES_TH = {
    "police": "ตำรวจ",
    "immigration": "ตำรวจตรวจคนเข้าเมือง (ตม.)",
    "dsi": "กรมสอบสวนคดีพิเศษ (ดีเอสไอ)",
    "task-force": "หน่วยเฉพาะกิจต่อต้านการค้ามนุษย์",
    "social-welfare": "เจ้าหน้าที่พัฒนาสังคม (พม.)",
    "ngo": "เอ็นจีโอ หรือองค์กรที่อ้างว่ามา 'ช่วยเหลือ'",
    "media": "สื่อมวลชน",
    "military": "ทหาร หรือเจ้าหน้าที่ดูแลชายแดน",
}
OUTCOMES_TH = {
    "police-custody": "ถูกควบคุมตัวที่โรงพัก",
    "shelter": "ถูกส่งเข้าสถานคุ้มครอง",
    "immigration-detention": "ถูกขังในห้องกัก ตม.",
    "deportation": "ถูกส่งกลับประเทศ",
    "medical-examination": "ถูกตรวจร่างกาย",
    "age-assessment": "ถูกตรวจพิสูจน์อายุ",
    "fine": "ถูกปรับ",
    "prosecution": "ถูกดำเนินคดี",
    "release": "ถูกปล่อยตัว",
    "witness-hold": "ถูกกักตัวไว้เป็นพยาน",
}

_triggers = importlib.import_module("testimonies.migrations.0018_generation_triggers")


def fill_thai_names(apps, schema_editor):
    for model, names in (("Authority", AUTHORITIES_TH), ("Outcome", OUTCOMES_TH)):
        Model = apps.get_model("testimonies", model)
        for slug, name_th in names.items():
            Model.objects.filter(slug=slug, name_th="").update(name_th=name_th)


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in _triggers._sqlite_backward() + _triggers._sqlite_forward():
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('testimonies', '0018_generation_triggers'),
        ('laws', '0005_bilingual_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='authority',
            name='name_th',
            field=models.CharField(blank=True, help_text='Label shown to Thai readers, in words an outreach worker would use.', max_length=100, verbose_name='Thai name'),
        ),
        migrations.AddField(
            model_name='historicaltestimonyclause',
            name='note_th',
            field=models.TextField(blank=True, editable=False, help_text="Rendered from the editors' text on every save: redactions applied.", verbose_name='public Thai note'),
        ),
        migrations.AddField(
            model_name='historicaltestimonyclause',
            name='note_th_source',
            field=models.TextField(blank=True, help_text="The note in Thai, shown to Thai readers; the same markers apply. Mark what could identify someone: [[name:Somchai]], [[venue:Golden Dragon karaoke]], [[date:12 March 2010]]. The public sees only '[name withheld]', '[venue withheld]', '[date withheld]'. A marker stays on one line; text with a broken marker is not saved.", verbose_name='Thai note'),
        ),
        migrations.AddField(
            model_name='historicalviolationtype',
            name='label_th',
            field=models.CharField(blank=True, help_text='Name shown to Thai readers, in words an outreach worker would use.', max_length=120, verbose_name='Thai label'),
        ),
        migrations.AddField(
            model_name='historicalviolationtype',
            name='scope_note_th',
            field=models.TextField(blank=True, help_text='The scope note in Thai; where blank, Thai readers see the English, marked.', verbose_name='Thai scope note'),
        ),
        migrations.AddField(
            model_name='outcome',
            name='name_th',
            field=models.CharField(blank=True, help_text='Label shown to Thai readers, in words an outreach worker would use.', max_length=100, verbose_name='Thai name'),
        ),
        migrations.AddField(
            model_name='testimonyclause',
            name='note_th',
            field=models.TextField(blank=True, editable=False, help_text="Rendered from the editors' text on every save: redactions applied.", verbose_name='public Thai note'),
        ),
        migrations.AddField(
            model_name='testimonyclause',
            name='note_th_source',
            field=models.TextField(blank=True, help_text="The note in Thai, shown to Thai readers; the same markers apply. Mark what could identify someone: [[name:Somchai]], [[venue:Golden Dragon karaoke]], [[date:12 March 2010]]. The public sees only '[name withheld]', '[venue withheld]', '[date withheld]'. A marker stays on one line; text with a broken marker is not saved.", verbose_name='Thai note'),
        ),
        migrations.AddField(
            model_name='violationtype',
            name='label_th',
            field=models.CharField(blank=True, help_text='Name shown to Thai readers, in words an outreach worker would use.', max_length=120, verbose_name='Thai label'),
        ),
        migrations.AddField(
            model_name='violationtype',
            name='scope_note_th',
            field=models.TextField(blank=True, help_text='The scope note in Thai; where blank, Thai readers see the English, marked.', verbose_name='Thai scope note'),
        ),
        migrations.AlterField(
            model_name='authority',
            name='name',
            field=models.CharField(help_text='Label shown to readers, in English.', max_length=100, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='historicalviolationtype',
            name='label',
            field=models.CharField(help_text='Name shown to readers, in English.', max_length=120, verbose_name='label'),
        ),
        migrations.AlterField(
            model_name='outcome',
            name='name',
            field=models.CharField(help_text='Label shown to readers, in English.', max_length=100, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='violationtype',
            name='label',
            field=models.CharField(help_text='Name shown to readers, in English.', max_length=120, verbose_name='label'),
        ),
        migrations.RunPython(fill_thai_names, migrations.RunPython.noop),
        migrations.RunPython(recreate_sqlite_triggers, recreate_sqlite_triggers),
    ]
