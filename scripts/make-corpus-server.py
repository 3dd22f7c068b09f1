#!/usr/bin/env python3
"""Make the outside corpus loadable into a real FHIR server.

fixtures/corpus/ holds published examples (IPS and US Core documents and collections) and
vendor-shaped files as they were published or exported: collection, document and searchset
Bundles, and Bulk Data NDJSON. A server stores only what it is sent as a transaction, and
several corpus files reuse the same ids (two IPS examples share Patient/AAA1234; two US Core
files describe Patient/example differently). So each corpus file becomes one transaction
Bundle of PUTs in fixtures/corpus-server/, with every id prefixed by the file's tag
("c07-") and every reference rewritten to match: relative (Type/id), absolute (a fullUrl
or another server's URL) and urn:uuid references alike. Each file is then a world of its
own on the server, and what a clinician must see (fixtures/corpus/expect.json) holds for
it under the prefixed patient id.

Entries that are not resources a server stores (search outcomes) are left out and said.
The output is deterministic: run it again after changing the corpus.

    scripts/make-corpus-server.py            # writes fixtures/corpus-server/
"""

import json
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(REPO, "fixtures", "corpus")
OUT = os.path.join(REPO, "fixtures", "corpus-server")
# Read by the local file reader only: refused on purpose, or the same data as another file.
SKIP_DIRS = {"unreadable"}
# Files that are parts of one record (a Patient read and a search of the same patient's
# results, as a vendor's API answers them): one world on the server.
TOGETHER = [("vendor/epic-patient-read.json", "vendor/epic-observation-searchset.json")]
ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def inputs():
    """(tag source, relative path, list of resources with their fullUrls) per input."""
    out = []
    for sub in sorted(os.listdir(CORPUS)):
        path = os.path.join(CORPUS, sub)
        if not os.path.isdir(path) or sub in SKIP_DIRS:
            continue
        for name in sorted(os.listdir(path)):
            full = os.path.join(path, name)
            rel = f"{sub}/{name}"
            if os.path.isdir(full):
                # An NDJSON export folder: every line of every file, one world.
                entries = []
                for f in sorted(os.listdir(full)):
                    if f.endswith(".ndjson"):
                        with open(os.path.join(full, f), encoding="utf-8-sig") as fh:
                            for line in fh:
                                if line.strip():
                                    entries.append((None, json.loads(line)))
                out.append((rel, entries))
            elif name.endswith(".json"):
                with open(full, encoding="utf-8-sig") as fh:
                    bundle = json.load(fh)
                if bundle.get("resourceType") == "Bundle":
                    entries = [(e.get("fullUrl"), e.get("resource")) for e in bundle.get("entry", [])]
                else:
                    entries = [(None, bundle)]
                out.append((rel, entries))
    return group(out)


def group(found):
    """Merge the files listed together in TOGETHER into one input (the first's place)."""
    by_rel = dict(found)
    out, merged = [], set()
    for rel, entries in found:
        if rel in merged:
            continue
        parts = next((g for g in TOGETHER if g[0] == rel), None)
        if parts and all(p in by_rel for p in parts):
            merged.update(parts)
            out.append((" + ".join(parts), [e for p in parts for e in by_rel[p]]))
        else:
            out.append((rel, entries))
    return out


def rewrite(value, refs):
    """Rewrite every `reference` in `value` with the table `refs` (old -> Type/new-id)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "reference" and isinstance(v, str):
                out[k] = refs.get(v) or refs.get(v.split("/_history/")[0]) or relative(v, refs) or v
            else:
                out[k] = rewrite(v, refs)
        return out
    if isinstance(value, list):
        return [rewrite(v, refs) for v in value]
    return value


def relative(ref, refs):
    """An absolute reference to Type/id known in this file, as its rewritten form."""
    m = re.search(r"([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})$", ref)
    return refs.get(f"{m.group(1)}/{m.group(2)}") if m else None


def convert(n, rel, entries):
    tag = f"c{n:02d}-"
    refs, kept, notes = {}, [], []
    for full_url, res in entries:
        if not isinstance(res, dict) or "resourceType" not in res:
            notes.append("an entry with no resource")
            continue
        rtype = res["resourceType"]
        if rtype == "OperationOutcome":
            notes.append("an OperationOutcome (a search outcome, not data)")
            continue
        rid = res.get("id") or (full_url or "").split(":")[-1].split("/")[-1]
        new_id = tag + rid
        if not ID_RE.match(new_id):
            notes.append(f"{rtype}/{rid}: its id cannot be prefixed within FHIR's 64 characters")
            continue
        if full_url:
            refs[full_url] = f"{rtype}/{new_id}"
        if f"{rtype}/{rid}" in refs:
            # The same resource twice (a read and an _include of the same Patient): once.
            notes.append(f"{rtype}/{rid} a second time (kept the first)")
            continue
        refs[f"{rtype}/{rid}"] = f"{rtype}/{new_id}"
        kept.append((rtype, new_id, res))
    entry = []
    for rtype, new_id, res in kept:
        res = rewrite(res, refs)
        res["id"] = new_id
        res.pop("meta", None)  # versions and sources of the original server
        entry.append({
            "fullUrl": f"{rtype}/{new_id}",
            "resource": res,
            "request": {"method": "PUT", "url": f"{rtype}/{new_id}"},
        })
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": entry}
    return tag, bundle, notes


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".json"):
            os.remove(os.path.join(OUT, old))
    manifest = []
    for n, (rel, entries) in enumerate(inputs(), start=1):
        tag, bundle, notes = convert(n, rel, entries)
        stem = rel.split(" + ")[0].lower().rsplit(".", 1)[0]
        name = f"{n:02d}-" + re.sub(r"[^a-z0-9]+", "-", stem).strip("-") + ".json"
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as fh:
            json.dump(bundle, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
        manifest.append({"source": rel, "file": name, "prefix": tag,
                         "resources": len(bundle["entry"]), "left_out": notes})
        for note in notes:
            print(f"{rel}: left out {note}", file=sys.stderr)
    with open(os.path.join(OUT, "MANIFEST.json"), "w", encoding="utf-8") as fh:
        json.dump({"made_by": "scripts/make-corpus-server.py", "files": manifest}, fh, indent=1)
        fh.write("\n")
    print(f"wrote {len(manifest)} transaction Bundles to {os.path.relpath(OUT, REPO)}/", file=sys.stderr)


if __name__ == "__main__":
    main()
