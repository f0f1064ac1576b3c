"""Reading proposed changes to reference data: their values, and what they would change.

Values are kept as Django's JSON serialiser writes them (related records by
primary key, dates as ISO strings), plus many-to-many fields as sorted lists
of primary keys, so that a proposal and the live record it was based on
compare field by field. The writes are in ``laws/services.py``.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.core import serializers
from django.db import models

from laws.models import Clause, ReferenceChange
from laws.versions import DiffRow, text_diff

PUBLISH_PERMISSION = "laws.publish_reference_change"

Values = dict[str, Any]


def record_label(record: models.Model) -> str:
    """How a record is named to editors: a clause by its citation, e.g. 'ATIPA 2008, s. 29'."""
    if isinstance(record, Clause):
        return record.citation
    return str(record)


def _field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name
    return field


def editable_fields(model: type[models.Model], names: list[str]) -> list[str]:
    """Of ``names`` (a form's fields), those that are fields of ``model``."""
    known = {field.name for field in model._meta.get_fields() if isinstance(field, models.Field)}
    return [name for name in names if name in known]


def record_values(record: models.Model, fields: list[str], m2m: Values | None = None) -> Values:
    """The values of ``fields`` of ``record``; many-to-many ones from ``m2m`` if given
    (a form's choice, not yet saved), else read from the saved record."""
    model = type(record)
    simple = [name for name in fields if not _field(model, name).many_to_many]
    dumped = json.loads(serializers.serialize("json", [record], fields=simple))[0]["fields"]
    values = {name: dumped[name] for name in simple}
    for name in fields:
        if not _field(model, name).many_to_many:
            continue
        if m2m is not None and name in m2m:
            values[name] = sorted(m2m[name])
        else:
            values[name] = sorted(getattr(record, name).values_list("pk", flat=True))
    return values


def assign_values(record: models.Model, values: Values) -> Values:
    """Set ``values`` on ``record``; returns the many-to-many ones, to set once it is saved."""
    later: Values = {}
    for name, value in values.items():
        field = _field(type(record), name)
        if field.many_to_many:
            later[name] = value
        else:
            setattr(record, field.attname, field.to_python(value))
    return later


def live_record(change: ReferenceChange) -> models.Model | None:
    """The record a change is to, as it is now; None for a new record or a deleted one."""
    if change.target_id is None:
        return None
    return change.target_model()._default_manager.filter(pk=change.target_id).first()


def is_stale(change: ReferenceChange, live: models.Model) -> bool:
    """Whether the live record's values differ from those the change was based on."""
    return record_values(live, list(change.based_on)) != change.based_on


@dataclass(frozen=True)
class FieldChange:
    """One field a proposal changes: its name, and its text before and after, line by line."""

    name: str
    label: str
    rows: list[DiffRow]


def _display(field: models.Field, value: Any) -> str:
    """A stored value as an editor reads it: a related record by its name, a choice by its label."""
    if value is None:
        return ""
    if field.many_to_many or field.many_to_one:
        related = field.related_model
        assert isinstance(related, type)
        pks = value if field.many_to_many else [value]
        names = {obj.pk: record_label(obj) for obj in related._default_manager.filter(pk__in=pks)}
        return "\n".join(names.get(pk, f"#{pk}") for pk in pks)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def field_changes(change: ReferenceChange) -> list[FieldChange]:
    """The fields ``change`` proposes to change, each before (as it was based) and after."""
    model = change.target_model()
    changes = []
    for name, after in change.proposed.items():
        before = change.based_on.get(name)
        if change.target_id is not None and before == after:
            continue
        field = _field(model, name)
        old, new = _display(field, before), _display(field, after)
        if not old and not new:
            continue
        changes.append(
            FieldChange(name=name, label=str(field.verbose_name), rows=text_diff(old, new))
        )
    return changes
