"""Regenerate the vendored French geography from a release of @etalab/decoupage-administratif.

Usage (from the repository root):

    cd /tmp && npm pack @etalab/decoupage-administratif
    python scripts/update_geography.py /tmp/etalab-decoupage-administratif-X.Y.Z.tgz

It rewrites accompagnement/territory/data/*.csv.gz and the version line of the README there.
Then run `flask territory load` on each instance: renamed and merged communes are repointed.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "accompagnement" / "territory" / "data"
ALIAS_KINDS = {
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
    "arrondissement-municipal": "arrondissement",
}


def read_tarball(path: Path) -> tuple[dict[str, Any], str]:
    """Return the JSON files of the package by name, and its version."""
    found: dict[str, Any] = {}
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            if member.isfile() and (name.endswith(".json")):
                stream = tar.extractfile(member)
                if stream is not None:
                    found[name.removesuffix(".json")] = json.load(stream)
    return found, str(found["package"]["version"])


def write(name: str, header: list[str], rows: list[list[object]]) -> int:
    """Write one gzipped CSV (mtime 0, so an unchanged extract gives identical bytes)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(sorted(rows, key=lambda r: [str(c) for c in r]))
    with (DATA / f"{name}.csv.gz").open("wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out:
            out.write(text.getvalue().encode("utf-8"))
    return len(rows)


def build(data: dict[str, Any]) -> dict[str, int]:
    """Write the five extracts; return their row counts."""
    counts = {}
    counts["regions"] = write("regions", ["code", "name"], [[r["code"], r["nom"]] for r in data["regions"]])
    counts["departements"] = write(
        "departements",
        ["code", "name", "region"],
        [[d["code"], d["nom"], d["region"]] for d in data["departements"]],
    )
    epci_of: dict[str, str] = {}
    for epci in data["epci"]:
        for member in epci["membres"]:
            epci_of[member["code"]] = epci["code"]
    counts["epcis"] = write(
        "epcis", ["siren", "name", "kind"], [[e["code"], e["nom"], e["type"]] for e in data["epci"]]
    )
    current = [c for c in data["communes"] if c["type"] == "commune-actuelle"]
    counts["communes"] = write(
        "communes",
        ["insee", "name", "departement", "epci", "postal_codes", "population"],
        [
            [
                c["code"],
                c["nom"],
                c["departement"],
                epci_of.get(c["code"], ""),
                " ".join(c.get("codesPostaux", [])),
                c.get("population", ""),
            ]
            for c in current
        ],
    )
    codes = {c["code"] for c in current}
    aliases: dict[str, list[object]] = {}
    for c in current:
        for old in c.get("anciensCodes", []):
            aliases[old] = [old, "", "ancienne", c["code"]]
    for c in data["communes"]:
        kind = ALIAS_KINDS.get(c["type"])
        target = c.get("chefLieu") or c.get("commune")
        if kind and target and c["code"] not in codes:
            aliases[c["code"]] = [c["code"], c["nom"], kind, target]
    counts["aliases"] = write("aliases", ["code", "name", "kind", "insee"], list(aliases.values()))
    return counts


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    data, version = read_tarball(Path(argv[1]))
    counts = build(data)
    readme = DATA / "README.md"
    lines = readme.read_text(encoding="utf-8").splitlines()
    stamp = datetime.now(UTC).date().isoformat()
    lines = [
        f"Version: {version}, extracted on {stamp}." if line.startswith("Version:") else line
        for line in lines
    ]
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"@etalab/decoupage-administratif {version}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
