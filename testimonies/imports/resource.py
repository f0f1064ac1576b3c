"""The import file's columns and the checks every row passes (django-import-export).

Shared by the admin's upload, preview and confirm and by ``manage.py import_testimonies``.
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import CachedInstanceLoader
from import_export.results import Result
from simple_history.utils import bulk_create_with_history

from laws.models import Clause
from testimonies import ledger
from testimonies.models import (
    SOURCE_FIELDS,
    ClauseRelation,
    RightsViolation,
    Status,
    Testimony,
    TestimonyClause,
    ViolationType,
)
from testimonies.vocabulary import AgeGroup, Language, Nationality, Perpetrator, WorkSetting
from testimonies.vocabulary import Province as ProvinceChoices

# Columns a file may not carry: publication is the reviewers' act, never a file's.
FORBIDDEN_COLUMNS = {
    "id",
    "status",
    "public_id",
    "published_at",
    "first_published_at",
    "withdrawn_at",
}
WITHDRAWN_ROW = gettext_lazy(
    "This row's testimony was withdrawn at the narrator's request; it cannot be imported "
    "again. Remove the row from the file."
)
LIST_SEPARATOR = re.compile(r"[;\n]+")
IMPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
YEAR_RANGE = (1980, 2100)


def cell_text(value: object) -> str:
    """A cell as text: spreadsheet floats of whole numbers as integers, line ends normalised."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets hand back whole numbers typed in a cell as floats.
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _unknown(noun: str, text: str, known: Iterable[str], *, hint: str = "") -> str:
    known = list(known)
    message = _("Unknown %(noun)s '%(text)s'.") % {"noun": noun, "text": text}
    close = difflib.get_close_matches(text.casefold(), known, n=1, cutoff=0.6)
    if close:
        message += " " + _("Did you mean '%(code)s'?") % {"code": close[0]}
    if hint:
        message += f" {hint}"
    elif len(known) <= 12:
        message += " " + _("Use one of: %(codes)s.") % {"codes": ", ".join(known)}
    else:
        message += " " + _("The README lists the codes.")
    return message


class TextWidget(widgets.Widget):
    """Plain text, stripped; an empty cell is an error when the column is required.

    ``source_field``: the testimony's marked-up field the text goes to; its
    redaction markers ([[name:...]]) are checked as the admin form checks
    them, since a broken marker could leak a name.
    """

    def __init__(
        self, label: str | Promise, *, required: bool = True, source_field: str = ""
    ) -> None:
        super().__init__(coerce_to_string=True)
        self.label = label
        self.required = required
        self.source_field = source_field

    def clean(self, value, row=None, **kwargs) -> str:
        text = cell_text(value)
        if not text and self.required:
            raise ValueError(_("The %(column)s is required.") % {"column": self.label})
        if self.source_field:
            problems = Testimony.source_errors(self.source_field, text)
            if problems:
                raise ValueError(" ".join(problems))
        return text

    def render(self, value, obj=None, **kwargs) -> str:
        return value or ""


class ImportKeyWidget(TextWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        text = super().clean(value, row, **kwargs)
        if len(text) > 64:
            raise ValueError(_("The import key is longer than 64 characters."))
        return text


class CodeWidget(widgets.Widget):
    """A controlled vocabulary column: the stored code, or its label, in any case."""

    def __init__(
        self, choices: type[models.TextChoices], noun: str | Promise, *, default: str = ""
    ) -> None:
        super().__init__(coerce_to_string=True)
        self.noun = noun
        self.default = default
        self.codes = list(choices.values)
        self.lookup = {code.casefold(): code for code in self.codes}
        # An editor may copy a label from the admin in either of its languages.
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for value, label in choices.choices:
                    self.lookup.setdefault(str(label).casefold(), value)

    def clean(self, value, row=None, **kwargs) -> str:
        text = cell_text(value)
        if not text:
            if self.default:
                return self.default
            raise ValueError(_("The %(column)s is required.") % {"column": self.noun})
        try:
            return self.lookup[text.casefold()]
        except KeyError:
            noun = _("%(column)s code") % {"column": self.noun}
            raise ValueError(_unknown(noun, text, self.codes)) from None

    def render(self, value, obj=None, **kwargs) -> str:
        return value or ""


class YearWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> int:
        text = cell_text(value)
        if not text:
            raise ValueError(_("The year of events is required."))
        if not text.isdigit():
            raise ValueError(
                _("'%(text)s' is not a year: write it as four digits, e.g. 2011.") % {"text": text}
            )
        year = int(text)
        low, high = YEAR_RANGE
        if not low <= year <= high:
            raise ValueError(
                _("The year %(year)s is outside %(low)s-%(high)s; a CE year is expected.")
                % {"year": year, "low": low, "high": high}
            )
        return year

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class DateWidget(widgets.Widget):
    """ISO dates only (YYYY-MM-DD): 03/04/2011 is a different day in Bangkok and Boston."""

    def clean(self, value, row=None, **kwargs) -> date | None:
        if isinstance(value, datetime):  # a date cell in a spreadsheet
            return value.date()
        if isinstance(value, date):
            return value
        text = cell_text(value)
        if not text:
            return None
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return date.fromisoformat(text)
        except ValueError:
            pass
        raise ValueError(
            _("Bad date '%(text)s': write dates as YYYY-MM-DD, e.g. 2011-03-15.") % {"text": text}
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return value.isoformat() if value else ""


class YesNoWidget(widgets.Widget):
    TRUE = {"1", "yes", "y", "true"}
    FALSE = {"", "0", "no", "n", "false"}

    def clean(self, value, row=None, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        text = cell_text(value).casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Write yes or no, not '%(text)s'.") % {"text": cell_text(value)})

    def render(self, value, obj=None, **kwargs) -> str:
        return "yes" if value else "no"


@dataclass(frozen=True)
class ClauseLink:
    clause_id: int
    relation: str
    key: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.key}:{self.relation}"


@dataclass(frozen=True)
class Violation:
    violation_type_id: int
    perpetrator: str
    key: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.key}:{self.perpetrator}"


@dataclass
class RowLinks:
    """The clause links and violations a row asks for."""

    clauses: list[ClauseLink] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


# The row's links travel on its instance: the hooks that run after
# ``import_instance`` are handed the instance, not the parsed row.
_ROW_LINKS = "_import_row_links"


def row_links(instance: Testimony) -> RowLinks | None:
    """The links parsed from the instance's row; None for a record read before the row."""
    return vars(instance).get(_ROW_LINKS)


def _links(instance: Testimony) -> RowLinks:
    return row_links(instance) or RowLinks()


@dataclass
class Lookups:
    """Natural keys of clauses and violation types, read once per import."""

    clauses: dict[str, int] = field(default_factory=dict)
    violation_types: dict[str, int] = field(default_factory=dict)

    @cached_property
    def clause_keys(self) -> dict[int, str]:
        return {pk: key for key, pk in self.clauses.items()}

    @cached_property
    def type_keys(self) -> dict[int, str]:
        return {pk: key for key, pk in self.violation_types.items()}

    @classmethod
    def load(cls) -> "Lookups":
        return cls(
            clauses={
                f"{law_slug}/{slug}": pk
                for pk, law_slug, slug in Clause.objects.values_list("pk", "law__slug", "slug")
            },
            violation_types=dict(ViolationType.objects.values_list("slug", "pk")),
        )


def _items(value: object) -> list[tuple[str, str]]:
    """'a/b:x; c/d' -> [('a/b', 'x'), ('c/d', '')]."""
    pairs = []
    for item in LIST_SEPARATOR.split(cell_text(value)):
        item = item.strip()
        if item:
            key, _sep, qualifier = item.partition(":")
            pairs.append((key.strip().casefold(), qualifier.strip().casefold()))
    return pairs


def parse_clauses(value: object, lookups: Lookups) -> list[ClauseLink]:
    relations = list(ClauseRelation.values)
    links, problems = [], []
    for key, relation in _items(value):
        clause_id = lookups.clauses.get(key)
        if clause_id is None:
            hint = _(
                "Write a clause as law-slug/clause-slug, as in its address "
                "(/laws/atipa-2008/s-29/ is atipa-2008/s-29)."
            )
            problems.append(_unknown(_("clause"), key, lookups.clauses, hint=hint))
            continue
        relation = relation or ClauseRelation.OTHER
        if relation not in relations:
            noun = _("relation for %(clause)s") % {"clause": key}
            problems.append(_unknown(noun, relation, relations))
            continue
        link = ClauseLink(clause_id, relation, key)
        if link not in links:
            links.append(link)
    if problems:
        raise ValueError(" ".join(problems))
    return links


def parse_violations(value: object, lookups: Lookups) -> list[Violation]:
    perpetrators = Perpetrator.values
    found, problems = [], []
    for key, perpetrator in _items(value):
        type_id = lookups.violation_types.get(key)
        if type_id is None:
            problems.append(_unknown(_("violation type"), key, lookups.violation_types))
            continue
        perpetrator = perpetrator or Perpetrator.OTHER
        if perpetrator not in perpetrators:
            noun = _("perpetrator for %(violation)s") % {"violation": key}
            problems.append(_unknown(noun, perpetrator, perpetrators))
            continue
        violation = Violation(type_id, perpetrator, key)
        if violation not in found:
            found.append(violation)
    if problems:
        raise ValueError(" ".join(problems))
    return found


def _text_field(name: str, label: str | Promise, *, required: bool = True) -> fields.Field:
    """A text column; one the editors mark up goes to its source field, and is checked."""
    source = SOURCE_FIELDS.get(name, "")
    return fields.Field(
        attribute=source or name,
        column_name=name,
        widget=TextWidget(label, required=required, source_field=source),
    )


def _code_field(
    name: str, choices: type[models.TextChoices], noun: str | Promise, default: str = ""
) -> fields.Field:
    return fields.Field(
        attribute=name, column_name=name, widget=CodeWidget(choices, noun, default=default)
    )


class PreviewDiff(resources.Diff):
    """The preview's before/after columns, read through the dehydrate_ methods,
    so the clause and violation columns show the links and not a blank."""

    def __init__(self, resource, instance, new) -> None:
        # Not super().__init__: it would read every value a second time.
        self.left = self._values(resource, instance)
        self.right: list[str] = []
        self.new = new

    def compare_with(self, resource, instance) -> None:
        self.right = self._values(resource, instance)

    @staticmethod
    def _values(resource, instance) -> list[str]:
        return [resource.export_field(f, instance) for f in resource.get_import_fields()]


class TestimonyResource(resources.ModelResource):
    """The import file's columns; see the README for what each one takes."""

    external_ref = fields.Field(
        attribute="external_ref",
        column_name="external_ref",
        widget=ImportKeyWidget(gettext_lazy("import key")),
    )
    # The editors' marked-up text goes to the source fields; the public
    # fields are rendered from them when the record is saved.
    title = _text_field("title", gettext_lazy("title"))
    narrator_pseudonym = _text_field("narrator_pseudonym", gettext_lazy("narrator's pseudonym"))
    nationality = _code_field("nationality", Nationality, gettext_lazy("nationality"))
    age_group = _code_field(
        "age_group", AgeGroup, gettext_lazy("age group"), default=AgeGroup.UNKNOWN
    )
    work_setting = _code_field("work_setting", WorkSetting, gettext_lazy("work setting"))
    province = _code_field("province", ProvinceChoices, gettext_lazy("province"))
    year_of_events = fields.Field(
        attribute="year_of_events", column_name="year_of_events", widget=YearWidget()
    )
    date_recorded = fields.Field(
        attribute="date_recorded", column_name="date_recorded", widget=DateWidget()
    )
    language = _code_field("language", Language, gettext_lazy("language"), default=Language.ENGLISH)
    summary = _text_field("summary", gettext_lazy("summary"), required=False)
    body = _text_field("body", gettext_lazy("body"))
    content_note = _text_field("content_note", gettext_lazy("content note"), required=False)
    source = _text_field("source", gettext_lazy("source"))
    is_sample = fields.Field(attribute="is_sample", column_name="is_sample", widget=YesNoWidget())
    # Not model fields: written after the testimony is saved (see after_save_instance).
    clauses = fields.Field(column_name="clauses", readonly=True)
    violations = fields.Field(column_name="violations", readonly=True)

    REQUIRED_COLUMNS = [
        "external_ref",
        "title",
        "narrator_pseudonym",
        "nationality",
        "work_setting",
        "province",
        "year_of_events",
        "body",
        "source",
    ]

    class Meta:
        model = Testimony
        fields = [
            "external_ref",
            "title",
            "narrator_pseudonym",
            "nationality",
            "age_group",
            "work_setting",
            "province",
            "year_of_events",
            "date_recorded",
            "language",
            "summary",
            "body",
            "content_note",
            "source",
            "is_sample",
            "clauses",
            "violations",
        ]
        import_id_fields = ["external_ref"]
        instance_loader_class = CachedInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, check_only: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        # check_only: validate every row without writing (the command's first
        # pass); import-export's own dry run writes and rolls back, which costs
        # as much as the import itself.
        self.check_only = check_only
        self.lookups = Lookups()
        # Fingerprints of the import keys of withdrawn records (see before_import).
        self.withdrawn_keys: set[str] = set()
        # Import keys met so far in this file (across the command's batches too).
        self.seen_refs: set[str] = set()
        self.current_clauses: dict[int, set[ClauseLink]] = {}
        self.current_violations: dict[int, set[Violation]] = {}
        self.pending_clauses: list[TestimonyClause] = []
        self.pending_violations: list[RightsViolation] = []

    def get_diff_class(self) -> type[resources.Diff]:
        return PreviewDiff

    # --- the file as a whole ---------------------------------------------------

    def before_import(self, dataset: tablib.Dataset, **kwargs) -> None:
        headers = [cell_text(header) for header in dataset.headers or []]
        dataset.headers = headers
        problems = []
        forbidden = sorted(FORBIDDEN_COLUMNS.intersection(headers))
        if forbidden:
            problems.append(
                _(
                    "The file has the column(s) %(columns)s. Imported records always start as "
                    "drafts and get a public id only when a reviewer publishes them: remove "
                    "these columns."
                )
                % {"columns": ", ".join(forbidden)}
            )
        unknown = [header for header in headers if header and header not in self.fields]
        unknown = [header for header in unknown if header not in FORBIDDEN_COLUMNS]
        if unknown:
            problems.append(
                _("Unknown column(s): %(unknown)s. The columns are: %(columns)s.")
                % {"unknown": ", ".join(unknown), "columns": ", ".join(self.fields)}
            )
        missing = [name for name in self.REQUIRED_COLUMNS if name not in headers]
        if missing:
            problems.append(
                _("Missing required column(s): %(columns)s.") % {"columns": ", ".join(missing)}
            )
        if problems:
            # Stop here: without these columns every row would fail the same way.
            del dataset[0 : len(dataset)]
            raise ValueError(" ".join(problems))
        try:
            self.withdrawn_keys = ledger.withdrawn_import_keys()
        except ValueError as error:
            # Without the whole ledger no row can be cleared: refuse the file.
            del dataset[0 : len(dataset)]
            raise ValueError(
                f"The withdrawal ledger could not be read, so nothing can be imported: {error}"
            ) from error
        self.lookups = Lookups.load()
        self.pending_clauses, self.pending_violations = [], []
        # The links of drafts this file imported before, read in two queries
        # rather than two per row, to tell unchanged rows from changed ones.
        refs = [cell_text(ref) for ref in dataset["external_ref"]]
        self.current_clauses, self.current_violations = {}, {}
        for testimony_id, clause_id, relation in TestimonyClause.objects.filter(
            testimony__external_ref__in=refs
        ).values_list("testimony_id", "clause_id", "relation"):
            self.current_clauses.setdefault(testimony_id, set()).add(
                ClauseLink(clause_id, relation)
            )
        for testimony_id, type_id, perpetrator in RightsViolation.objects.filter(
            testimony__external_ref__in=refs
        ).values_list("testimony_id", "violation_type_id", "perpetrator"):
            self.current_violations.setdefault(testimony_id, set()).add(
                Violation(type_id, perpetrator)
            )

    def after_import(self, dataset: tablib.Dataset, result: Result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        # Links are written once per batch, in the batch's transaction.
        user = kwargs.get("user")
        bulk_create_with_history(self.pending_clauses, TestimonyClause, default_user=user)
        bulk_create_with_history(self.pending_violations, RightsViolation, default_user=user)
        self.pending_clauses, self.pending_violations = [], []

    # --- one row ---------------------------------------------------------------

    def before_import_row(self, row: dict, **kwargs) -> None:
        ref = cell_text(row.get("external_ref"))
        row["external_ref"] = ref
        if ref and ledger.import_key_fingerprint(ref) in self.withdrawn_keys:
            # The withdrawn record's key was erased, so the loader would find
            # nothing and make a new draft of the very text that was withdrawn.
            raise ValidationError({"external_ref": WITHDRAWN_ROW})
        if ref and ref in self.seen_refs:
            raise ValidationError(
                {
                    "external_ref": _(
                        "The import key '%(ref)s' appears more than once in the file."
                    )
                    % {"ref": ref}
                }
            )
        if ref:
            self.seen_refs.add(ref)

    def import_instance(self, instance: Testimony, row: dict, **kwargs) -> None:
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = self._by_column(error.update_error_dict(errors))
        links = RowLinks()
        try:
            links.clauses = parse_clauses(row.get("clauses"), self.lookups)
        except ValueError as error:
            errors["clauses"] = [str(error)]
        try:
            links.violations = parse_violations(row.get("violations"), self.lookups)
        except ValueError as error:
            errors["violations"] = [str(error)]
        vars(instance)[_ROW_LINKS] = links
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Field checks only: the widgets already check codes and ranges, the
        # database enforces the constraints anyway, and asking it here would
        # cost eight queries a row. Import keys are matched by the loader.
        errors = dict(import_validation_errors or {})
        # The public text is rendered from the source fields on save.
        exclude = set(errors) | set(SOURCE_FIELDS)
        exclude |= {self.fields[name].attribute for name in errors if name in self.fields}
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = self._by_column(error.update_error_dict(errors))
        if errors:
            raise ValidationError(errors)

    def _by_column(self, errors: dict) -> dict:
        """Name problems by the file's column (title), not the model field (title_source)."""
        columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
        return {columns.get(key, key): value for key, value in errors.items()}

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        if import_validation_errors or original.pk is None:
            return False
        unchanged = super().skip_row(instance, original, row, import_validation_errors)
        if unchanged and self._links_unchanged(instance):
            return True
        if original.status != Status.DRAFT:
            label = original.public_id or _("draft #%(pk)s") % {"pk": original.pk}
            raise ValidationError(
                {
                    "external_ref": _(
                        "%(record)s (%(status)s) came from this row and has changed since; an "
                        "import only changes drafts. Correct the record in the admin instead."
                    )
                    % {"record": label, "status": original.get_status_display().lower()}
                }
            )
        return False

    def _links_unchanged(self, instance: Testimony) -> bool:
        links = _links(instance)
        return self.current_clauses.get(instance.pk, set()) == set(
            links.clauses
        ) and self.current_violations.get(instance.pk, set()) == set(links.violations)

    def before_save_instance(self, instance: Testimony, row: dict, **kwargs) -> None:
        # Belt and braces: whatever the file or a subclass did, a new row is a draft.
        if instance.pk is None:
            instance.status = Status.DRAFT
            instance.public_id = None
        file_name = kwargs.get("file_name") or "a file"
        # simple_history reads the reason and the user from these attributes.
        vars(instance)["_change_reason"] = f"Imported from {file_name}"[:100]
        # Named here, not left to the history middleware: the admin writes a
        # confirmed file while its page streams, after the middleware is done.
        if kwargs.get("user") is not None:
            vars(instance)["_history_user"] = kwargs["user"]

    def do_instance_save(self, instance: Testimony, is_create: bool) -> None:
        if not self.check_only:
            super().do_instance_save(instance, is_create)

    def after_save_instance(self, instance: Testimony, row: dict, **kwargs) -> None:
        """Queue the clause links and violations the row asks for; drop the others."""
        if self.check_only or instance.pk is None:
            return
        links = _links(instance)
        wanted, current = (
            set(links.clauses),
            self.current_clauses.get(instance.pk, set()),
        )
        if current - wanted:
            for link in instance.clause_links.all():
                if ClauseLink(link.clause_id, link.relation) not in wanted:
                    link.delete()
        self.pending_clauses += [
            TestimonyClause(testimony=instance, clause_id=link.clause_id, relation=link.relation)
            for link in links.clauses
            if link not in current
        ]
        wanted_v = set(links.violations)
        current_v = self.current_violations.get(instance.pk, set())
        if current_v - wanted_v:
            for violation in instance.violations.all():
                if Violation(violation.violation_type_id, violation.perpetrator) not in wanted_v:
                    violation.delete()
        self.pending_violations += [
            RightsViolation(
                testimony=instance,
                violation_type_id=item.violation_type_id,
                perpetrator=item.perpetrator,
            )
            for item in links.violations
            if item not in current_v
        ]

    # --- the preview shows links as the file gives them --------------------------

    def dehydrate_clauses(self, testimony: Testimony) -> str:
        parsed = row_links(testimony)
        if parsed is not None:
            links = parsed.clauses
        else:  # the record as it was before this row: its links were read in before_import
            links = sorted(self.current_clauses.get(testimony.pk, ()), key=str)
        keys = self.lookups.clause_keys
        return "; ".join(f"{keys.get(link.clause_id, '?')}:{link.relation}" for link in links)

    def dehydrate_violations(self, testimony: Testimony) -> str:
        parsed = row_links(testimony)
        if parsed is not None:
            items = parsed.violations
        else:
            items = sorted(self.current_violations.get(testimony.pk, ()), key=str)
        keys = self.lookups.type_keys
        return "; ".join(
            f"{keys.get(item.violation_type_id, '?')}:{item.perpetrator}" for item in items
        )
