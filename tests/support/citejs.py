"""Reading a citation download with citation-js, as a reference manager would.

Runs ``tests/support/citejs.mjs`` under Node with the citation-js packages
pinned in package.json (``npm ci`` installs them; ``make test`` does).
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("citejs.mjs")

# Our file extensions, and the names the script gives citation-js's parsers.
PARSERS = {"bib": "bibtex", "ris": "ris", "json": "csl"}


@dataclass(frozen=True)
class Reading:
    items: list[dict[str, Any]]  # CSL-JSON, as citation-js read the file
    apa: list[str]  # each item in APA 7, as citation-js renders it in plain text


def read_many(files: list[tuple[str, str]]) -> list[Reading]:
    """What citation-js reads from each (format, text), format being bib, ris or json."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "@citation-js" / "core").is_dir():
        raise RuntimeError("citation-js is not installed: run `npm ci` (make test does)")
    requests = [{"format": PARSERS[fmt], "text": text} for fmt, text in files]
    result = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(requests),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [Reading(items=data["items"], apa=data["apa"]) for data in json.loads(result.stdout)]


def read(fmt: str, text: str) -> Reading:
    """What citation-js reads from one download."""
    (reading,) = read_many([(fmt, text)])
    return reading


_LANGUAGES = {"english": "en", "thai": "th"}


def comparable(item: dict[str, Any]) -> dict[str, Any]:
    """The fields a reference manager keeps, spelt one way whatever format they came from.

    The formats differ only in spelling, not in what they say: BibTeX names a
    language as babel does ('english') and keeps a braced name whole as a
    family name; RIS's ``GEN`` carries the version as an edition ('Version
    2'). The licence is left out: only CSL-JSON has a field for it.
    """
    kept = {key: value for key, value in item.items() if key not in {"citation-key", "license"}}
    if "language" in kept:
        kept["language"] = _LANGUAGES.get(kept["language"], kept["language"])
    if "author" in kept:
        kept["author"] = [name.get("literal") or name.get("family") for name in kept["author"]]
    edition = kept.pop("edition", None)
    if edition is not None:
        kept["version"] = edition.removeprefix("Version ")
    return kept
