"""Statements compiled once per process, run with each request's values.

Turning a queryset into SQL (resolving its filters, joins, ordering and
selected columns) cost a testimony page about a third of its instructions,
for the same five statements every time with one value changed. A
``Prepared`` statement builds its queryset once per database alias with
stand-in values, keeps the compiled SQL and where each stand-in sits among its
parameters, and on each call runs that SQL with the call's values, building
model instances as Django's own iteration does.

It keeps code, not data: the SQL text and Django's description of its columns.
Rows are read from the database on every call. The build function must take
every value that varies as an argument; a value computed inside it (a date,
a setting) would be frozen at the first call.
"""

import copy
import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable
from django.db.models.sql.compiler import SQLCompiler

# Stand-ins: values no real row or request carries, found again among the
# compiled parameters by value and type.
_INT_STAND_IN = -7_340_021_977
_STR_STAND_IN = "\x00prepared\x00"


class _Compiled:
    def __init__(self, compiler: SQLCompiler, sql: str, params: Sequence[Any], slots: dict):
        self.compiler = compiler
        self.sql = sql
        self.params = list(params)
        self.slots = slots  # argument name -> index among the parameters

    def query_for(self, using: str, values: dict[str, Any]) -> "_PreparedQuery":
        params = list(self.params)
        for name, index in self.slots.items():
            params[index] = values[name]
        return _PreparedQuery(self, using, tuple(params))


class _PreparedQuery:
    """What ModelIterable asks of a query: a compiler, here one already compiled."""

    def __init__(self, compiled: _Compiled, using: str, params: tuple[Any, ...]) -> None:
        self.compiled, self.using, self.params = compiled, using, params

    def get_compiler(self, using: str | None = None, **_kwargs: Any) -> SQLCompiler:
        # A shallow copy: the column description is shared and never changed; the
        # connection is this thread's own.
        compiler = copy.copy(self.compiled.compiler)
        compiler.using = using or self.using
        compiler.connection = connections[compiler.using]
        sql, params = self.compiled.sql, self.params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
        return compiler


class FetchedRows[M: Model](QuerySet[M]):
    """Rows a prepared statement read, where a related manager expects a prefetch.

    Iterate, count or test them; a new query from them (``filter()``, ``all()``
    on the rows themselves) is refused, since it would not start from the
    prepared statement's filters.
    """

    def _clone(self) -> "FetchedRows[M]":
        raise TypeError("rows read by a prepared statement cannot be refined: use a queryset")

    @classmethod
    def of(cls, model: type[M], rows: list[M]) -> "FetchedRows[M]":
        fetched = cls(model=model)
        fetched._result_cache = rows
        fetched._prefetch_done = True  # type: ignore[attr-defined]
        return fetched


class Prepared[M: Model]:
    """A queryset compiled on first use per database alias; ``rows(**values)`` runs it.

    ``build`` takes the varying values as keyword arguments, each an int or a
    str, and returns the queryset; each must appear once among the compiled
    parameters (a value used twice or not at all is refused when compiling).
    """

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]], **kinds: type) -> None:
        for name, kind in kinds.items():
            if kind not in (int, str):
                raise TypeError(f"{name}: only int and str values can be prepared")
        self.model = model
        self.build = build
        self.kinds = kinds
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, using: str) -> _Compiled:
        stand_ins = {
            name: (_INT_STAND_IN - number if kind is int else f"{_STR_STAND_IN}{number}")
            for number, (name, kind) in enumerate(self.kinds.items())
        }
        queryset = self.build(**stand_ins)
        if queryset.model is not self.model:
            raise TypeError(f"the prepared queryset reads {queryset.model}, not {self.model}")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = {}
        for name, stand_in in stand_ins.items():
            found = [i for i, p in enumerate(params) if type(p) is type(stand_in) and p == stand_in]
            if len(found) != 1:
                raise ValueError(f"{name} appears {len(found)} times in the prepared SQL")
            slots[name] = found[0]
        return _Compiled(compiler, sql, params, slots)

    def rows(self, *, using: str | None = None, **values: Any) -> list[M]:
        if set(values) != set(self.kinds):
            raise TypeError(f"expected values for {sorted(self.kinds)}, got {sorted(values)}")
        for name, kind in self.kinds.items():
            if type(values[name]) is not kind:
                raise TypeError(f"{name} must be {kind.__name__}")
        alias = using or router.db_for_read(self.model) or DEFAULT_DB_ALIAS
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(alias) or self._compile(alias)
                self._compiled[alias] = compiled
        queryset: QuerySet[M] = QuerySet(model=self.model, using=alias)
        queryset._query = compiled.query_for(alias, values)  # type: ignore[attr-defined]
        return list(ModelIterable(queryset))
