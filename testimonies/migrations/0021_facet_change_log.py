"""A change log next to the generation token: which testimonies changed, in commit order.

Every worker keeps facet columns in memory. Until now a renewed token made
each of them read every testimony again (about 1 s at 100,000 on SQLite);
with this log a worker re-reads only the testimonies changed since the
change it holds. The triggers of 0018 are replaced by ones that renew the
token *and* log the testimonies a statement touched, in that order: on
PostgreSQL the token's row lock, taken first, queues every other writer
until this transaction commits, so change ids are handed out in commit
order and a worker reading "after N" can never miss a change that commits
late with a smaller id (on SQLite writers are serialised anyway).

What is logged, per table:

- a testimony row (while, or once, published), a clause link, a violation,
  a raid's link to a testimony: the testimony's id;
- vocabularies, laws, clauses, raids and their authorities: one row without
  a testimony, "read everything again" (editors change these rarely);
- the search document: nothing, it feeds no facet (the token still moves,
  for the page cache and the engine's remembered matches).

On PostgreSQL the link tables log from statement-level transition tables, one
insert per statement; testimonies and raids keep row-level triggers that look
at the status. A later migration that rebuilds one of these tables on SQLite
(adding a column with a default does) must create its triggers again from
``_sqlite_forward()`` here, as 0019 did for 0018's.
"""

import importlib
import uuid

from django.db import migrations, models

_old = importlib.import_module("testimonies.migrations.0018_generation_triggers")

GENERATION_TABLE = "testimonies_indexgeneration"
LOG_TABLE = "testimonies_facetchange"
# testimonies.search.index.GENERATION_NAME, written out: migrations stay fixed.
GENERATION_NAME = "testimonies"

# Tables whose rows name the testimony they change, and the column that does.
BY_TESTIMONY = {
    "testimonies_testimonyclause": "testimony_id",
    "testimonies_rightsviolation": "testimony_id",
    "testimonies_raidincident_testimonies": "testimony_id",
}
# Tables whose change may alter the values or labels of every testimony.
EVERYTHING = [
    "testimonies_violationtype",
    "testimonies_authority",
    "testimonies_raidincident_authorities",
    "laws_law",
    "laws_clause",
]
SILENT = ["testimonies_searchdocument"]
OPERATIONS = {"ai": "INSERT", "au": "UPDATE", "ad": "DELETE"}
STATUS_WHEN = {
    "INSERT": "{new}.status = 'published'",
    "UPDATE": "{old}.status = 'published' OR {new}.status = 'published'",
    "DELETE": "{old}.status = 'published'",
}

SQLITE_RENEW = (
    f"INSERT INTO {GENERATION_TABLE}(name, token) "
    f"VALUES ('{GENERATION_NAME}', lower(hex(randomblob(16)))) "
    "ON CONFLICT(name) DO UPDATE SET token = excluded.token;"
)
TOKEN = f"(SELECT token FROM {GENERATION_TABLE} WHERE name = '{GENERATION_NAME}')"
SQLITE_EVERYTHING = f"INSERT INTO {LOG_TABLE}(testimony_id, token) SELECT NULL, {TOKEN};"


def _sqlite_log(column: str, operation: str) -> str:
    rows = {"INSERT": ["new"], "DELETE": ["old"], "UPDATE": ["old", "new"]}[operation]
    selects = " UNION ".join(
        f"SELECT {row}.{column} AS id WHERE {row}.{column} IS NOT NULL" for row in rows
    )
    return f"INSERT INTO {LOG_TABLE}(testimony_id, token) SELECT id, {TOKEN} FROM ({selects});"


def _sqlite_body(table: str, operation: str) -> str:
    if table in BY_TESTIMONY:
        return _sqlite_log(BY_TESTIMONY[table], operation)
    if table == "testimonies_testimony":
        return _sqlite_log("id", operation)
    if table in EVERYTHING or table == "testimonies_raidincident":
        return SQLITE_EVERYTHING
    return ""


def _sqlite_forward() -> list[str]:
    statements = []
    for table in [*BY_TESTIMONY, *EVERYTHING, *SILENT, *_old.PUBLISHABLE]:
        for suffix, operation in OPERATIONS.items():
            when = ""
            if table in _old.PUBLISHABLE:
                when = "WHEN " + STATUS_WHEN[operation].format(old="old", new="new")
            statements.append(
                f"CREATE TRIGGER {table}_generation_{suffix} AFTER {operation} ON {table} "
                f"{when} BEGIN {SQLITE_RENEW} {_sqlite_body(table, operation)} END"
            )
    return statements


PG_RENEW = (
    f"INSERT INTO {GENERATION_TABLE}(name, token) "
    f"VALUES ('{GENERATION_NAME}', md5(random()::text || clock_timestamp()::text)) "
    "ON CONFLICT (name) DO UPDATE SET token = excluded.token;"
)
PG_EVERYTHING = f"INSERT INTO {LOG_TABLE}(testimony_id, token) SELECT NULL, {TOKEN};"
PG_TRANSITION = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _pg_statement_body(table: str, operation: str) -> str:
    sources = {"INSERT": ["new_rows"], "DELETE": ["old_rows"], "UPDATE": ["old_rows", "new_rows"]}
    if table in BY_TESTIMONY:
        column = BY_TESTIMONY[table]
        selects = " UNION ".join(
            f"SELECT {column} AS id FROM {rows} WHERE {column} IS NOT NULL"
            for rows in sources[operation]
        )
        return (
            f"INSERT INTO {LOG_TABLE}(testimony_id, token) "
            f"SELECT changed.id, {TOKEN} FROM ({selects}) AS changed;"
        )
    if table in EVERYTHING:
        # A statement that touched no row (an update matching nothing) changes nothing.
        return f"IF EXISTS (SELECT 1 FROM {sources[operation][0]}) THEN {PG_EVERYTHING} END IF;"
    return ""


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
        f"BEGIN {PG_RENEW} {body} RETURN NULL; END $$ LANGUAGE plpgsql"
    )


def _postgres_forward() -> list[str]:
    statements = []
    for table in [*BY_TESTIMONY, *EVERYTHING, *SILENT]:
        for suffix, operation in OPERATIONS.items():
            function = f"{table}_log_{suffix}"
            statements += [
                _pg_function(function, _pg_statement_body(table, operation)),
                f"CREATE TRIGGER {table}_generation_{suffix} AFTER {operation} ON {table} "
                f"{PG_TRANSITION[operation]} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            ]
        everything = "" if table in SILENT else PG_EVERYTHING
        statements += [
            _pg_function(f"{table}_log_truncate", everything),
            f"CREATE TRIGGER {table}_generation_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_log_truncate()",
        ]
    for table in _old.PUBLISHABLE:
        for suffix, operation in OPERATIONS.items():
            function = f"{table}_log_{suffix}"
            if table == "testimonies_testimony":
                row = "OLD" if operation == "DELETE" else "NEW"
                body = f"INSERT INTO {LOG_TABLE}(testimony_id, token) SELECT {row}.id, {TOKEN};"
            else:
                body = PG_EVERYTHING
            when = STATUS_WHEN[operation].format(old="OLD", new="NEW")
            statements += [
                _pg_function(function, body),
                f"CREATE TRIGGER {table}_generation_{suffix} AFTER {operation} ON {table} "
                f"FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {function}()",
            ]
    return statements


def _postgres_backward() -> list[str]:
    drops = []
    for table in [*BY_TESTIMONY, *EVERYTHING, *SILENT, *_old.PUBLISHABLE]:
        for suffix in [*OPERATIONS, "truncate"]:
            drops.append(f"DROP TRIGGER IF EXISTS {table}_generation_{suffix} ON {table}")
            drops.append(f"DROP FUNCTION IF EXISTS {table}_log_{suffix}()")
    return drops


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def _start_log(apps, schema_editor):
    # The log is never empty (pruning keeps its newest row), so a worker's
    # position is always a row it can find again.
    apps.get_model("testimonies", "FacetChange").objects.create(
        testimony_id=None, token=uuid.uuid4().hex
    )


class Migration(migrations.Migration):

    dependencies = [
        ('testimonies', '0020_search_word_forms'),
    ]

    operations = [
        migrations.CreateModel(
            name='FacetChange',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('testimony_id', models.BigIntegerField(blank=True, help_text='The testimony to read again; empty when every testimony must be.', null=True)),
                ('token', models.CharField(help_text='The generation token this change set.', max_length=32)),
            ],
        ),
        migrations.RunPython(_start_log, migrations.RunPython.noop),
        migrations.RunPython(
            _run(
                {
                    "sqlite": _old._sqlite_backward() + _sqlite_forward(),
                    "postgresql": _old._postgres_backward() + _postgres_forward(),
                }
            ),
            _run(
                {
                    "sqlite": _old._sqlite_backward() + _old._sqlite_forward(),
                    "postgresql": _postgres_backward() + _old._postgres_forward(),
                }
            ),
        ),
    ]
