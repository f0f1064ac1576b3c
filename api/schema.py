"""Adjustments to the generated OpenAPI document."""


def allow_empty_scalars(result: dict, generator, request, public: bool) -> dict:
    """Mark every single-valued query parameter as accepting an empty value.

    The site's forms (and django-filter) read ``?page=&sort=`` as "not given",
    which is what an HTML form submits; the document should say so, or a
    client (and schemathesis) takes those requests for invalid ones.
    """
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["schema"].get("type") != "array":
                    parameter["allowEmptyValue"] = True
    return result
