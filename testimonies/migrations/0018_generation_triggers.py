"""The database renews the index generation token whenever what search shows changes.

Every worker keeps facet columns in memory and rebuilds them when this token
changes. Renewing it in each code path (services, admin mixins, commands)
left gaps: the admin's bulk delete, ``QuerySet.update()`` and renamed
vocabulary. Triggers on every table the facets and the index read close them
for any writer, in the writer's own transaction, as the search tables'
triggers already keep the full-text index in step.

The token stays random (never a counter), so a rolled-back change or a
restored backup cannot bring back a value some worker holds. A testimony or
raid row renews it only when a published record is involved: saving a draft
changes nothing the public sees. The link and vocabulary tables renew it on
every change, as the admin did before; on PostgreSQL once per statement.

Measured cost of the SQLite row triggers: ``seed_synthetic --testimonies
20000`` on one file with them and one without, run alternately twice on a
machine busy with other work: 110.9 and 104.5 s with, 108.6 and 130.8 s
without. The difference is inside the noise, so seeding keeps no special path.
"""

from django.db import migrations

GENERATION_TABLE = "testimonies_indexgeneration"
# testimonies.search.index.GENERATION_NAME, written out: migrations stay fixed.
GENERATION_NAME = "testimonies"

# Tables whose every change may change facets, labels or the index.
ALWAYS = [
    "testimonies_searchdocument",
    "testimonies_testimonyclause",
    "testimonies_rightsviolation",
    "testimonies_violationtype",
    "testimonies_authority",
    "testimonies_raidincident_authorities",
    "testimonies_raidincident_testimonies",
    "laws_law",
    "laws_clause",
]
# Records whose rows matter to the public only while, or once, published.
PUBLISHABLE = ["testimonies_testimony", "testimonies_raidincident"]
OPERATIONS = {"ai": "INSERT", "au": "UPDATE", "ad": "DELETE"}

SQLITE_RENEW = (
    f"INSERT INTO {GENERATION_TABLE}(name, token) "
    f"VALUES ('{GENERATION_NAME}', lower(hex(randomblob(16)))) "
    "ON CONFLICT(name) DO UPDATE SET token = excluded.token;"
)
SQLITE_WHEN = {
    "INSERT": "new.status = 'published'",
    "UPDATE": "old.status = 'published' OR new.status = 'published'",
    "DELETE": "old.status = 'published'",
}


def _sqlite_forward() -> list[str]:
    statements = []
    for table in ALWAYS + PUBLISHABLE:
        for suffix, operation in OPERATIONS.items():
            when = f"WHEN {SQLITE_WHEN[operation]}" if table in PUBLISHABLE else ""
            statements.append(
                f"CREATE TRIGGER {table}_generation_{suffix} AFTER {operation} ON {table} "
                f"{when} BEGIN {SQLITE_RENEW} END"
            )
    return statements


def _sqlite_backward() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_generation_{suffix}"
        for table in ALWAYS + PUBLISHABLE
        for suffix in OPERATIONS
    ]


PG_FUNCTION = "testimonies_renew_generation"
PG_WHEN = {
    "INSERT": "NEW.status = 'published'",
    "UPDATE": "OLD.status = 'published' OR NEW.status = 'published'",
    "DELETE": "OLD.status = 'published'",
}


def _postgres_forward() -> list[str]:
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$
        BEGIN
            INSERT INTO {GENERATION_TABLE}(name, token)
            VALUES ('{GENERATION_NAME}', md5(random()::text || clock_timestamp()::text))
            ON CONFLICT (name) DO UPDATE SET token = excluded.token;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """
    ]
    for table in ALWAYS:
        statements.append(
            f"CREATE TRIGGER {table}_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
        )
    # A statement-level trigger cannot look at rows; these look at the status.
    for table in PUBLISHABLE:
        for suffix, operation in OPERATIONS.items():
            statements.append(
                f"CREATE TRIGGER {table}_generation_{suffix} AFTER {operation} ON {table} "
                f"FOR EACH ROW WHEN ({PG_WHEN[operation]}) EXECUTE FUNCTION {PG_FUNCTION}()"
            )
    return statements


def _postgres_backward() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {table}_generation ON {table}" for table in ALWAYS),
        *(
            f"DROP TRIGGER IF EXISTS {table}_generation_{suffix} ON {table}"
            for table in PUBLISHABLE
            for suffix in OPERATIONS
        ),
        f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()",
    ]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("testimonies", "0017_version_sources_and_withholding"),
        ("laws", "0003_translatable_field_labels"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _sqlite_forward(), "postgresql": _postgres_forward()}),
            _run({"sqlite": _sqlite_backward(), "postgresql": _postgres_backward()}),
        )
    ]
