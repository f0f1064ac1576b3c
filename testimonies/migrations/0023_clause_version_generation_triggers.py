"""A change to a clause's versions or a law's amendments renews the index generation token.

A testimony page shows which version of each clause its account is read
against, and pages are cached by the generation token (see 0018): an editor
correcting the day an amendment came into force must reach every cached
page, whichever way the rows change. They renew the token and log nothing
in the facet change log (0021): versions change no facet value.
"""

from django.db import migrations

GENERATION_TABLE = "testimonies_indexgeneration"
# testimonies.search.index.GENERATION_NAME, written out: migrations stay fixed.
GENERATION_NAME = "testimonies"
TABLES = ["laws_amendment", "laws_clauseversion"]
OPERATIONS = {"ai": "INSERT", "au": "UPDATE", "ad": "DELETE"}
# 0021 dropped 0018's shared function, so these tables have one of their own.
PG_FUNCTION = "laws_versions_renew_generation"
PG_RENEW = (
    f"INSERT INTO {GENERATION_TABLE}(name, token) "
    f"VALUES ('{GENERATION_NAME}', md5(random()::text || clock_timestamp()::text)) "
    "ON CONFLICT (name) DO UPDATE SET token = excluded.token;"
)

SQLITE_RENEW = (
    f"INSERT INTO {GENERATION_TABLE}(name, token) "
    f"VALUES ('{GENERATION_NAME}', lower(hex(randomblob(16)))) "
    "ON CONFLICT(name) DO UPDATE SET token = excluded.token;"
)

SQLITE_FORWARD = [
    f"CREATE TRIGGER {table}_generation_{suffix} AFTER {operation} ON {table} "
    f"BEGIN {SQLITE_RENEW} END"
    for table in TABLES
    for suffix, operation in OPERATIONS.items()
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {table}_generation_{suffix}"
    for table in TABLES
    for suffix in OPERATIONS
]
POSTGRES_FORWARD = [
    f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$ "
    f"BEGIN {PG_RENEW} RETURN NULL; END $$ LANGUAGE plpgsql",
    *[
        f"CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
        for table in TABLES
    ],
]
POSTGRES_BACKWARD = [
    *[f"DROP TRIGGER IF EXISTS {table}_generation ON {table}" for table in TABLES],
    f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("testimonies", "0022_reindex_thai_compounds"),
        ("laws", "0006_clause_versions"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
