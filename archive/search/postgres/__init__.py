"""PostgreSQL: the engine (``engine.py``, its SQL and plan settings) and the tsquery
syntax (``syntax.py``).

Imported only when the database is PostgreSQL (see ``archive.search.engine.get_engine``),
so a SQLite installation never imports this code.
"""
