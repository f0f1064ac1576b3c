"""Build the POST an editor's browser would send from an admin change page as served."""

from django.db.models import Model


def _value(form, name: str):
    field = form.fields[name]
    value = form[name].value()
    if isinstance(value, Model):
        value = value.pk
    if isinstance(value, (list, tuple)):
        return [str(v.pk if isinstance(v, Model) else v) for v in value]
    if field.widget.input_type == "checkbox" if hasattr(field.widget, "input_type") else False:
        return "on" if value else None
    return "" if value is None else str(value)


def change_form_data(response) -> dict:
    """Every field of the main form and of each inline formset, with its current value."""
    data: dict = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = _value(form, name)
        if value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = _value(sub, name)
                if value is not None:
                    data[sub.add_prefix(name)] = value
    return data
