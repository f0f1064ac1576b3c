"""Thai laws point readers to the official publishers, not to copies on a code-hosting site.

The sample laws first linked their Thai text to copies in public repositories
(PyThaiNLP's thai-law dataset, a code-reading app) and the 2007 Constitution to
a wiki. The official sources are the Office of the Council of State
(krisdika.go.th), which publishes the consolidated texts, and the Royal Gazette
(ratchakitcha.soc.go.th), where every act was promulgated. Their pages for one
act could not be checked when this was written, so the links go to each
publisher's own site, where its search finds the act. Only a link still as the
fixtures first wrote it is changed: an editor's own choice stays.
"""

from django.db import migrations

OCS = "https://www.krisdika.go.th/"
GAZETTE = "https://ratchakitcha.soc.go.th/"
THAI_LAW = "https://github.com/PyThaiNLP/thai-law/blob/917f291f0d35490ab2fb8c01d0e4715dcf93449c/data/last/law/"

REPLACED = {
    **{
        f"{THAI_LAW}{file}": OCS
        for file in (
            "32/571127.txt",
            "32/394519.txt",
            "33/310707.txt",
            "42/572291.txt",
            "22/604985.txt",
            "24/425395.txt",
            "22/642571.txt",
            "42/443287.txt",
        )
    },
    "https://github.com/thailawcodeapp/lawcodev2": OCS,
    "https://en.wikisource.org/wiki/Constitution_of_Thailand_2007/Chapter_3": GAZETTE,
}


def to_official_sources(apps, schema_editor):
    Law = apps.get_model("laws", "Law")
    for old, new in REPLACED.items():
        Law.objects.filter(source_url=old).update(source_url=new)


class Migration(migrations.Migration):
    dependencies = [("laws", "0003_translatable_field_labels")]

    operations = [migrations.RunPython(to_official_sources, migrations.RunPython.noop)]
