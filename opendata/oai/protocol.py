"""OAI-PMH 2.0 requests: which arguments each verb takes, datestamps, resumption tokens.

Pure functions over the query arguments; no database here. Everything a
harvester can get wrong raises ``OAIError`` with the protocol's error code.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core import signing

METADATA_PREFIX = "oai_dc"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_SECONDS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# The two granularities exactly: Python alone would also read week dates
# (2025-W01-1), other scripts' digits and one-digit months.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
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
        if _DAY.fullmatch(value):
            day = date.fromisoformat(value)
            return datetime.combine(day, time(), tzinfo=UTC), "day"
        if _SECONDS.fullmatch(value):
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
        try:
            end = until + (timedelta(days=1) if granularity == "day" else timedelta(seconds=1))
        except OverflowError:
            raise OAIError(
                "badArgument", "'until' can be 9999-12-30 (or 9999-12-31T23:59:58Z) at the latest."
            ) from None
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


_TOKEN_KEYS = {"v", "a", "d", "i", "c"}
_LIST_ARGUMENTS = _LIST.required | _LIST.optional
_BIGGEST_ID = 2**63 - 1


def _whole_number(value: object) -> bool:
    return type(value) is int and 0 <= value <= _BIGGEST_ID


def _position(payload: object) -> Position:
    """The position in a token's payload; ValueError unless it has the shape make_token writes."""
    if not isinstance(payload, dict) or set(payload) != _TOKEN_KEYS:
        raise ValueError("not a token's payload")
    verb, arguments, datestamp = payload["v"], payload["a"], payload["d"]
    if not (
        isinstance(verb, str)
        and isinstance(arguments, dict)
        and "metadataPrefix" in arguments
        and set(arguments) <= _LIST_ARGUMENTS
        and all(isinstance(value, str) for value in arguments.values())
        and isinstance(datestamp, str)
        and _whole_number(payload["i"])
        and _whole_number(payload["c"])
    ):
        raise ValueError("not a token's payload")
    try:
        parse_date_range(arguments)
    except OAIError as error:
        raise ValueError(error.message) from error
    after = datetime.fromisoformat(datestamp)
    if after.tzinfo is None:
        raise ValueError("a datestamp without a time zone")
    return Position(
        verb=verb,
        arguments=arguments,
        # In UTC here, so that no database adapter has to move it past year 1 or 9999.
        after_datestamp=after.astimezone(UTC),
        after_id=payload["i"],
        cursor=payload["c"],
    )


def read_token(token: str, *, verb: str) -> Position:
    """The position a token holds, refused unless it is exactly what ``make_token`` wrote.

    Only this code signs tokens, but one from an older version of it, or signed
    under a key that leaked, must still get a protocol error, never a 500.
    """
    try:
        position = _position(signing.loads(token, salt=_TOKEN_SALT))
    except (signing.BadSignature, ValueError, OverflowError) as error:
        raise OAIError("badResumptionToken", "This resumption token is not valid.") from error
    if position.verb != verb:
        raise OAIError("badResumptionToken", f"This resumption token is not for {verb}.")
    return position
