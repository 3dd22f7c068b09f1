#!/usr/bin/env python3
"""Write the SYNTHETIC load set the slow-link benchmark (scripts/bench) puts on its server.

    python3 scripts/make-load-set.py OUT_DIR [--patients 1000] [--big-obs 10000]
                                             [--fixtures fixtures/synthea]

Writes, deterministically (re-running gives identical bytes), into OUT_DIR (never into
the repository; scripts/bench passes a temporary directory):

  load/NNNN-<fixture>-cCCC.json   --patients transaction Bundles: copies of the Synthea
                                  fixtures, taken in turn (patient n is fixture n mod 14,
                                  copy n div 14 + 1). Every resource id is remapped to
                                  uuid5(namespace of the copy, old id) and every reference
                                  follows; the Synthea and MRN identifiers are remapped
                                  the same way; the family name gets the copy number
                                  (Synthea's own style, "Dooley17"). Organization,
                                  Practitioner, Location and PractitionerRole keep their
                                  ids: one shared set, as in a real EHR.
  big/00-patient.json             one synthetic patient, Olive Manyobs (id bench-obs-10k),
  big/NN-observations.json        and --big-obs Observations in Bundles of 1,000: labs
                                  (chemistry, blood count, lipids, HbA1c) and vital signs
                                  (blood pressure, pulse, breathing, temperature, SpO2,
                                  weight) at visits every few weeks over many years, with
                                  UCUM units, reference ranges and H/L interpretations.
  big-file/chart.json             the same patient and Observations in one collection
                                  Bundle, for opening with --open (references in local
                                  files resolve within their own file).
  manifest.json                   what was written: counts, the big patient's id, and a
                                  hash of the inputs (scripts/bench uses it to tell whether
                                  a server already holds this set).

Every entry is `PUT <Type>/<id>`, so loading twice changes nothing. Modelled on the
`clone` command of the shared make_fixtures.py. Standard library only. No real person is
described.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sys
import uuid

VERSION = 1
SHARED_TYPES = {"Organization", "Practitioner", "Location", "PractitionerRole"}
REMAPPED_ID_SYSTEMS = ("https://github.com/synthetichealth", "http://hospital.smarthealthit.org")
BIG_ID = "bench-obs-10k"
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"
OBS_CAT = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERP = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def dump(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, separators=(",", ":"))


# --- copies of the Synthea fixtures --------------------------------------------------------


def clone(bundle, copy_no):
    """A copy of a converted Synthea transaction Bundle as a different patient."""
    ns = uuid.uuid5(uuid.NAMESPACE_URL, f"rounds-load-set-{VERSION}-copy-{copy_no}")
    idmap = {}
    for e in bundle["entry"]:
        r = e["resource"]
        if r["resourceType"] not in SHARED_TYPES:
            idmap[f'{r["resourceType"]}/{r["id"]}'] = str(uuid.uuid5(ns, r["id"]))

    def fix(node):
        if isinstance(node, dict):
            for k, v in list(node.items()):
                if k == "reference" and isinstance(v, str) and v in idmap:
                    node[k] = v.split("/")[0] + "/" + idmap[v]
                else:
                    fix(v)
        elif isinstance(node, list):
            for v in node:
                fix(v)

    out = json.loads(json.dumps(bundle))
    for e in out["entry"]:
        r = e["resource"]
        key = f'{r["resourceType"]}/{r["id"]}'
        fix(r)
        if key in idmap:
            r["id"] = idmap[key]
            if r["resourceType"] == "Patient":
                for ident in r.get("identifier", []):
                    if ident.get("value") and ident.get("system", "").startswith(REMAPPED_ID_SYSTEMS):
                        ident["value"] = str(uuid.uuid5(ns, ident["value"]))
                for n in r.get("name", []):
                    if "family" in n:
                        n["family"] = f'{n["family"]}{copy_no}'
        e["fullUrl"] = f'urn:uuid:{r["id"]}'
        e["request"] = {"method": "PUT", "url": f'{r["resourceType"]}/{r["id"]}'}
    out["type"] = "transaction"
    return out


def write_load(out_dir, fixtures, patients):
    load = os.path.join(out_dir, "load")
    os.makedirs(load, exist_ok=True)
    bundles = []
    for path in fixtures:
        with open(path, encoding="utf-8") as f:
            bundles.append((os.path.splitext(os.path.basename(path))[0], json.load(f)))
    resources = 0
    for n in range(patients):
        stem, bundle = bundles[n % len(bundles)]
        copy_no = n // len(bundles) + 1
        out = clone(bundle, copy_no)
        resources += len(out["entry"])
        dump(os.path.join(load, f"{n + 1:04d}-{stem}-c{copy_no:04d}.json"), out)
    return resources


# --- one patient with many observations ----------------------------------------------------

# (key, LOINC, display, text, unit, low, high, typical, spread, decimals)
LABS = [
    ("glu", "2345-7", "Glucose [Mass/volume] in Serum or Plasma", "Glucose", "mg/dL", 70, 99, 112, 25, 0),
    ("na", "2951-2", "Sodium [Moles/volume] in Serum or Plasma", "Sodium", "mmol/L", 136, 145, 139, 3, 0),
    ("k", "2823-3", "Potassium [Moles/volume] in Serum or Plasma", "Potassium", "mmol/L", 3.5, 5.1, 4.3, 0.5, 1),
    ("cl", "2075-0", "Chloride [Moles/volume] in Serum or Plasma", "Chloride", "mmol/L", 98, 107, 102, 3, 0),
    ("co2", "2028-9", "Carbon dioxide, total [Moles/volume] in Serum or Plasma", "CO2", "mmol/L", 22, 29, 25, 2, 0),
    ("bun", "3094-0", "Urea nitrogen [Mass/volume] in Serum or Plasma", "BUN", "mg/dL", 7, 20, 18, 6, 0),
    ("cr", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "Creatinine", "mg/dL", 0.6, 1.1, 1.05, 0.2, 2),
    ("hgb", "718-7", "Hemoglobin [Mass/volume] in Blood", "Hemoglobin", "g/dL", 12, 16, 12.8, 1.2, 1),
    ("wbc", "6690-2", "Leukocytes [#/volume] in Blood by Automated count", "WBC", "10*3/uL", 4.5, 11, 7.2, 1.8, 1),
    ("plt", "777-3", "Platelets [#/volume] in Blood by Automated count", "Platelets", "10*3/uL", 150, 400, 240, 45, 0),
    ("hct", "4544-3", "Hematocrit [Volume Fraction] of Blood by Automated count", "Hematocrit", "%", 36, 46, 39, 3, 1),
]
QUARTERLY = [
    ("a1c", "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "Hemoglobin A1c", "%", 4.0, 5.6, 7.1, 0.8, 1),
    ("chol", "2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "Cholesterol", "mg/dL", 0, 200, 195, 25, 0),
    ("ldl", "18262-6", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay", "LDL cholesterol", "mg/dL", 0, 100, 108, 20, 0),
    ("hdl", "2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "HDL cholesterol", "mg/dL", 40, 200, 48, 8, 0),
    ("tg", "2571-8", "Triglyceride [Mass/volume] in Serum or Plasma", "Triglycerides", "mg/dL", 0, 150, 160, 40, 0),
]
# (key, LOINC, display, text, unit, typical, spread, decimals)
VITALS = [
    ("hr", "8867-4", "Heart rate", "Pulse", "/min", 78, 9, 0),
    ("rr", "9279-1", "Respiratory rate", "Respiratory rate", "/min", 16, 2, 0),
    ("temp", "8310-5", "Body temperature", "Temperature", "Cel", 36.8, 0.3, 1),
    ("spo2", "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "SpO2", "%", 96, 2, 0),
    ("wt", "29463-7", "Body weight", "Weight", "kg", 82, 4, 1),
]


def quantity(value, unit):
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def rounded(rng, typical, spread, decimals):
    v = rng.gauss(typical, spread)
    v = round(max(v, 0.1 if decimals else 1), decimals)
    return int(v) if decimals == 0 else v


def observation(n, when, category, loinc, display, text):
    return {
        "resourceType": "Observation",
        "id": f"{BIG_ID}-obs-{n:05d}",
        "status": "final",
        "category": [{"coding": [{"system": OBS_CAT, "code": category,
                                  "display": "Laboratory" if category == "laboratory" else "Vital Signs"}]}],
        "code": {"coding": [{"system": LOINC, "code": loinc, "display": display}], "text": text},
        "subject": {"reference": f"Patient/{BIG_ID}"},
        "effectiveDateTime": when.isoformat(),
    }


def lab_obs(n, when, spec, rng):
    key, loinc, display, text, unit, low, high, typical, spread, decimals = spec
    o = observation(n, when, "laboratory", loinc, display, text)
    value = rounded(rng, typical, spread, decimals)
    o["issued"] = (when + dt.timedelta(hours=3)).isoformat()
    o["valueQuantity"] = quantity(value, unit)
    rng_ = {"high": quantity(high, unit)}
    if low:
        rng_["low"] = quantity(low, unit)
    o["referenceRange"] = [rng_]
    flag = "H" if value > high else "L" if low and value < low else None
    if flag:
        o["interpretation"] = [{"coding": [{"system": INTERP, "code": flag,
                                            "display": "High" if flag == "H" else "Low"}]}]
    return o


def vital_obs(n, when, spec, rng):
    key, loinc, display, text, unit, typical, spread, decimals = spec
    o = observation(n, when, "vital-signs", loinc, display, text)
    o["valueQuantity"] = quantity(rounded(rng, typical, spread, decimals), unit)
    return o


def bp_obs(n, when, rng):
    o = observation(n, when, "vital-signs", "85354-9", "Blood pressure panel with all children optional",
                    "Blood pressure")
    o["component"] = [
        {"code": {"coding": [{"system": LOINC, "code": "8480-6", "display": "Systolic blood pressure"}]},
         "valueQuantity": quantity(rounded(rng, 138, 14, 0), "mm[Hg]")},
        {"code": {"coding": [{"system": LOINC, "code": "8462-4", "display": "Diastolic blood pressure"}]},
         "valueQuantity": quantity(rounded(rng, 84, 9, 0), "mm[Hg]")},
    ]
    return o


def big_patient():
    return {
        "resourceType": "Patient",
        "id": BIG_ID,
        "identifier": [{
            "use": "usual",
            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR",
                                 "display": "Medical Record Number"}], "text": "MRN"},
            "system": "urn:oid:1.2.36.146.595.217.0.1",
            "value": "BENCH10000",
        }],
        "active": True,
        "name": [{"use": "official", "family": "Manyobs", "given": ["Olive"]}],
        "gender": "female",
        "birthDate": "1949-05-17",
        "address": [{"use": "home", "line": ["1 Synthetic Row"], "city": "Riverside Falls", "state": "ZZ",
                     "postalCode": "00001", "country": "US"}],
    }


def write_big(out_dir, count):
    big = os.path.join(out_dir, "big")
    os.makedirs(big, exist_ok=True)

    def entry(r):
        key = f'{r["resourceType"]}/{r["id"]}'
        return {"fullUrl": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'rounds-load-set/' + key)}",
                "resource": r, "request": {"method": "PUT", "url": key}}

    dump(os.path.join(big, "00-patient.json"),
         {"resourceType": "Bundle", "type": "transaction", "entry": [entry(big_patient())]})
    rng = random.Random(f"rounds-load-set-{VERSION}-big")
    obs = []
    # Visits every 12 to 30 days going back from 2026-10-30: vitals at every visit, the
    # chemistry and blood count at most, lipids and HbA1c every few months.
    when = dt.datetime(2026, 10, 30, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    visit = 0
    while len(obs) < count:
        vitals = [bp_obs(0, when, rng)] + [vital_obs(0, when, v, rng) for v in VITALS]
        drawn = when + dt.timedelta(minutes=20)
        labs = [lab_obs(0, drawn, s, rng) for s in LABS] if visit % 5 != 4 else []
        if visit % 6 == 0:
            labs += [lab_obs(0, drawn, s, rng) for s in QUARTERLY]
        for o in vitals + labs:
            if len(obs) < count:
                obs.append(o)
        visit += 1
        when -= dt.timedelta(days=rng.randint(12, 30), minutes=rng.randint(-90, 90))
    for i, o in enumerate(obs, start=1):
        o["id"] = f"{BIG_ID}-obs-{i:05d}"
    chunks = [obs[i:i + 1000] for i in range(0, len(obs), 1000)]
    for k, chunk in enumerate(chunks, start=1):
        dump(os.path.join(big, f"{k:02d}-observations.json"),
             {"resourceType": "Bundle", "type": "transaction", "entry": [entry(o) for o in chunk]})
    # The same patient as one file, for opening locally (`--open`): a file's references
    # resolve within that file only, so the split bundles above would leave the
    # observations without their patient.
    one = os.path.join(out_dir, "big-file")
    os.makedirs(one, exist_ok=True)
    dump(os.path.join(one, "chart.json"),
         {"resourceType": "Bundle", "type": "collection",
          "entry": [{"fullUrl": e["fullUrl"], "resource": e["resource"]}
                    for e in [entry(big_patient())] + [entry(o) for o in obs]]})
    labs = sum(1 for o in obs if o["category"][0]["coding"][0]["code"] == "laboratory")
    return {"id": BIG_ID, "observations": len(obs), "labs": labs, "vitals": len(obs) - labs,
            "visits": visit, "first": obs[-1]["effectiveDateTime"] if obs else None,
            "last": obs[0]["effectiveDateTime"] if obs else None, "bundles": len(chunks) + 1}


def inputs_hash(fixtures, args):
    h = hashlib.sha256(f"v{VERSION} patients={args.patients} big={args.big_obs}".encode())
    for path in fixtures:
        with open(path, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
    with open(__file__, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out_dir")
    p.add_argument("--patients", type=int, default=1000, help="copies of the Synthea fixtures (default 1000)")
    p.add_argument("--big-obs", type=int, default=10000, help="Observations of the big patient (default 10000)")
    p.add_argument("--fixtures", default=os.path.join(here, "..", "fixtures", "synthea"),
                   help="folder of converted Synthea transaction Bundles")
    a = p.parse_args()
    if a.patients < 0 or a.big_obs < 0:
        p.error("counts must not be negative")
    fixtures = sorted(os.path.join(a.fixtures, n) for n in os.listdir(a.fixtures) if n.endswith(".json"))
    if a.patients and not fixtures:
        p.error(f"no .json Bundles in {a.fixtures}")
    os.makedirs(a.out_dir, exist_ok=True)
    resources = write_load(a.out_dir, fixtures, a.patients)
    big = write_big(a.out_dir, a.big_obs) if a.big_obs else None
    manifest = {"version": VERSION, "hash": inputs_hash(fixtures, a), "patients": a.patients,
                "patient_resources": resources, "fixtures": [os.path.basename(f) for f in fixtures],
                "big_patient": big}
    with open(os.path.join(a.out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"make-load-set: {a.patients} patients ({resources} resources), "
          f"{big['observations'] if big else 0} observations for {BIG_ID} in {a.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
