"""OAI-PMH 2.0 requests: which arguments each verb takes, datestamps, resumption tokens.

Pure functions over the query arguments; no database here. Everything a
harvester can get wrong raises ``OAIError`` with the protocol's error code.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core import signing

METADATA_PREFIX = "oai_dc"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_SECONDS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_TOKEN_SALT = "opendata.oai.resumption"


class OAIError(Exception):
    """A protocol error: ``code`` is one of the error codes OAI-PMH 2.0 defines."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class VerbArguments:
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str | None = None  # the resumption token, which must come alone


_LIST = VerbArguments(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive="resumptionToken",
)
VERBS: dict[str, VerbArguments] = {
    "Identify": VerbArguments(),
    "ListMetadataFormats": VerbArguments(optional=frozenset({"identifier"})),
    "ListSets": VerbArguments(exclusive="resumptionToken"),
    "GetRecord": VerbArguments(required=frozenset({"identifier", "metadataPrefix"})),
    "ListIdentifiers": _LIST,
    "ListRecords": _LIST,
}


@dataclass(frozen=True)
class Request:
    verb: str
    arguments: dict[str, str]


def parse_request(query: dict[str, list[str]]) -> Request:
    """The verb and its arguments, checked against what the verb allows."""
    verbs = query.get("verb", [])
    if len(verbs) != 1:
        raise OAIError("badVerb", "Give exactly one verb." if verbs else "The verb is missing.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", f"'{verb}' is not an OAI-PMH verb.")
    spec = VERBS[verb]
    arguments: dict[str, str] = {}
    for name, values in query.items():
        if name == "verb":
            continue
        if len(values) != 1:
            raise OAIError("badArgument", f"The argument '{name}' is repeated.")
        if name not in spec.required | spec.optional and name != spec.exclusive:
            raise OAIError("badArgument", f"{verb} does not take the argument '{name}'.")
        arguments[name] = values[0]
    if spec.exclusive and spec.exclusive in arguments:
        if len(arguments) > 1:
            raise OAIError("badArgument", f"{spec.exclusive} must be the only argument.")
        return Request(verb=verb, arguments=arguments)
    missing = sorted(spec.required - set(arguments))
    if missing:
        raise OAIError("badArgument", f"{verb} needs the argument(s): {', '.join(missing)}.")
    return Request(verb=verb, arguments=arguments)


def format_datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime(_SECONDS_FORMAT)


@dataclass(frozen=True)
class DateRange:
    """The inclusive from/until of a selective harvest, as half-open bounds."""

    start: datetime | None = None  # records at or after
    end: datetime | None = None  # records strictly before


def _parse_bound(value: str, name: str) -> tuple[datetime, str]:
    """A datestamp in one of the two granularities; returns it and which one."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time(), tzinfo=UTC), "day"
        if len(value) == 20:
            return datetime.strptime(value, _SECONDS_FORMAT).replace(tzinfo=UTC), "seconds"
    except ValueError:
        pass
    raise OAIError(
        "badArgument", f"'{name}' must be a date (YYYY-MM-DD) or a time ({GRANULARITY})."
    )


def parse_date_range(arguments: dict[str, str]) -> DateRange:
    bounds = {
        name: _parse_bound(arguments[name], name) for name in ("from", "until") if name in arguments
    }
    if len({granularity for _, granularity in bounds.values()}) > 1:
        raise OAIError("badArgument", "'from' and 'until' must have the same granularity.")
    start = bounds["from"][0] if "from" in bounds else None
    end = None
    if "until" in bounds:
        until, granularity = bounds["until"]
        # Datestamps are shown to the second (or day) but stored finer: "until"
        # includes the whole second (or day) it names.
        end = until + (timedelta(days=1) if granularity == "day" else timedelta(seconds=1))
    if start is not None and end is not None and start >= end:
        raise OAIError("badArgument", "'from' must not be later than 'until'.")
    return DateRange(start=start, end=end)


@dataclass(frozen=True)
class Position:
    """Where a list request stands: its selection and the last record already sent."""

    verb: str
    arguments: dict[str, str]  # metadataPrefix, from, until, set as first asked
    after_datestamp: datetime
    after_id: int
    cursor: int  # how many records earlier responses held


def make_token(position: Position) -> str:
    """An opaque, signed token holding the whole position: nothing is kept on the server."""
    payload = {
        "v": position.verb,
        "a": position.arguments,
        "d": position.after_datestamp.isoformat(),
        "i": position.after_id,
        "c": position.cursor,
    }
    return signing.dumps(payload, salt=_TOKEN_SALT, compress=True)


def read_token(token: str, *, verb: str) -> Position:
    try:
        payload = signing.loads(token, salt=_TOKEN_SALT)
        position = Position(
            verb=payload["v"],
            arguments=dict(payload["a"]),
            after_datestamp=datetime.fromisoformat(payload["d"]),
            after_id=int(payload["i"]),
            cursor=int(payload["c"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise OAIError("badResumptionToken", "This resumption token is not valid.") from error
    if position.verb != verb:
        raise OAIError("badResumptionToken", f"This resumption token is not for {verb}.")
    return position
