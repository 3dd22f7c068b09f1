#!/usr/bin/env python3
"""Write rounds' hand-made SYNTHETIC FHIR R4 clinical fixtures.

    python3 scripts/make-clinical-fixtures.py [--check]

Writes (deterministically: re-running gives identical bytes):

  fixtures/clinical/NN-*.json     one FHIR R4 *transaction* Bundle per patient,
                                  every entry `PUT <Type>/<id>`, fullUrl
                                  `urn:uuid:<fixed uuid>`, references `<Type>/<id>`
  fixtures/clinical/README.md     the exact values a client test should assert
  fixtures/bundles/*.json         bundles for a local-file reader: a `collection`
                                  with urn:uuid references, a `searchset` with
                                  absolute URLs, a non-FHIR JSON file and a
                                  truncated (broken) JSON file

Every person, address, phone number and identifier in here is made up; the
data shapes imitate what Epic / Oracle Health / athenahealth send under FHIR R4
and US Core, including the awkward parts (entered-in-error records, choice
types, contained resources, unresolvable references, sparse records).

--check only validates the files already on disk (JSON parses, request.url
matches each resource, every internal reference resolves) and writes nothing.
Standard library only.
"""
import base64
import copy
import datetime as _dt
import hashlib
import json
import os
import re
import sys
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLINICAL = os.path.join(ROOT, "fixtures", "clinical")
BUNDLES = os.path.join(ROOT, "fixtures", "bundles")

# ---------------------------------------------------------------------------
# code systems
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CVX = "http://hl7.org/fhir/sid/cvx"
UCUM = "http://unitsofmeasure.org"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
NPI = "http://hl7.org/fhir/sid/us-npi"
THO = "http://terminology.hl7.org/CodeSystem/"
INTERP = THO + "v3-ObservationInterpretation"
ORDERABLE_FORM = THO + "v3-orderableDrugForm"
MRN_SYSTEM = "urn:oid:1.2.36.146.595.217.0.1"
ENTERPRISE_SYSTEM = "https://ehr.example.org/fhir/sid/enterprise-id"
SEARCHSET_BASE = "https://ehr.example.org/fhir/R4"
FIXTURE_TAG = {"system": "https://rounds.example.org/fhir/fixture", "code": "clinical-synthetic",
               "display": "rounds hand-made synthetic clinical fixture"}

INTERP_DISPLAY = {"H": "High", "L": "Low", "HH": "Critical high", "LL": "Critical low",
                  "N": "Normal", "A": "Abnormal"}


# ---------------------------------------------------------------------------
# small helpers

def fixed_uuid(key):
    """A uuid4-looking UUID derived from `key` (stable across runs)."""
    digest = hashlib.sha256(("rounds-clinical-fixtures/" + key).encode()).digest()[:16]
    return str(uuid.UUID(bytes=digest, version=4))


def _nth_sunday(year, month, n):
    d = _dt.date(year, month, 1)
    first = d + _dt.timedelta(days=(6 - d.weekday()) % 7)
    return first + _dt.timedelta(weeks=n - 1)


def ny_offset(date):
    """UTC offset of America/New_York on a date (US rules since 2007; daytime times only)."""
    d = _dt.date.fromisoformat(date)
    dst = _nth_sunday(d.year, 3, 2) <= d < _nth_sunday(d.year, 11, 1)
    return "-04:00" if dst else "-05:00"


def dt(date, hm):
    """FHIR dateTime/instant with seconds and the US Eastern offset of that day."""
    return f"{date}T{hm}:00{ny_offset(date)}"


def coding(system, code, display=None):
    c = {"system": system, "code": code}
    if display is not None:
        c["display"] = display
    return c


def cc(system, code, display, text=None, extra=None):
    out = {"coding": [coding(system, code, display)] + (extra or [])}
    if text is not None:
        out["text"] = text
    return out


def ref(rtype, rid, display=None):
    r = {"reference": f"{rtype}/{rid}"}
    if display:
        r["display"] = display
    return r


def qty(value, unit, code=None, system=UCUM, comparator=None):
    q = {"value": value}
    if comparator:
        q["comparator"] = comparator
    q["unit"] = unit
    q["system"] = system
    q["code"] = code if code is not None else unit
    return q



def attachment(content_type, text, title, creation, language="en-US"):
    raw = text.encode("utf-8")
    return {
        "contentType": content_type,
        "language": language,
        "data": base64.b64encode(raw).decode("ascii"),
        "size": len(raw),
        "hash": base64.b64encode(hashlib.sha1(raw).digest()).decode("ascii"),
        "title": title,
        "creation": creation,
    }


def meta():
    return {"tag": [dict(FIXTURE_TAG)]}


def clinical_status(kind, code):
    system = THO + ("condition-clinical" if kind == "condition" else "allergyintolerance-clinical")
    return {"coding": [coding(system, code, code.capitalize())]}


def verification_status(kind, code):
    system = THO + ("condition-ver-status" if kind == "condition" else "allergyintolerance-verification")
    display = {"confirmed": "Confirmed", "provisional": "Provisional", "unconfirmed": "Unconfirmed",
               "entered-in-error": "Entered in Error", "refuted": "Refuted",
               "differential": "Differential"}[code]
    return {"coding": [coding(system, code, display)]}


def mrn_identifier(value):
    return {
        "use": "usual",
        "type": {"coding": [coding(THO + "v2-0203", "MR", "Medical Record Number")], "text": "MRN"},
        "system": MRN_SYSTEM,
        "value": value,
    }


CAT_PROBLEM = [{"coding": [coding(THO + "condition-category", "problem-list-item", "Problem List Item")],
                "text": "Problem List Item"}]
CAT_LAB = [{"coding": [coding(THO + "observation-category", "laboratory", "Laboratory")], "text": "Laboratory"}]
CAT_VITALS = [{"coding": [coding(THO + "observation-category", "vital-signs", "Vital Signs")],
               "text": "Vital Signs"}]
ROUTE_ORAL = cc(SNOMED, "26643006", "Oral route", "Oral")
ROUTE_SUBCUT = cc(SNOMED, "34206005", "Subcutaneous route", "Subcutaneous")
TABLET_FORM = cc(SNOMED, "385055001", "Tablet", "Tablet")
DOC_FORMAT = coding("http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode",
                    "urn:ihe:iti:xds:2017:mimeTypeSufficient", "mimeType Sufficient")
DOC_CATEGORY = [{"coding": [coding("http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                                   "clinical-note", "Clinical Note")]}]


def tablets(value):
    return qty(value, "tablet", "TAB", ORDERABLE_FORM)


# ---------------------------------------------------------------------------
# shared Practitioners and Organizations

OKAFOR = ("rnd-pract-okafor", "Dr. Imani Okafor-Sample")
LITTLEFIELD = ("rnd-pract-littlefield", "Dr. Tova Littlefield-Sample")
EVERGREEN = ("rnd-pract-evergreen", "Dr. Marek Evergreen-Sample")
ORG_FP = ("rnd-org-riverside-fp", "Riverside Family Practice (synthetic)")
ORG_HOSP = ("rnd-org-riverside-hosp", "Riverside General Hospital (synthetic)")


def practitioner(pid, family, given, npi, qualification):
    return {
        "resourceType": "Practitioner",
        "id": pid,
        "meta": meta(),
        "identifier": [{"system": NPI, "value": npi}],
        "active": True,
        "name": [{"use": "official", "family": family, "given": given, "prefix": ["Dr."],
                  "suffix": [qualification]}],
        "telecom": [{"system": "phone", "value": "555-0100", "use": "work"}],
    }


def pract_okafor():
    return practitioner(OKAFOR[0], "Okafor-Sample", ["Imani"], "9990000011", "MD")


def pract_littlefield():
    return practitioner(LITTLEFIELD[0], "Littlefield-Sample", ["Tova"], "9990000029", "MD")


def pract_evergreen():
    return practitioner(EVERGREEN[0], "Evergreen-Sample", ["Marek"], "9990000037", "DO")


def organization(oid, name, line, phone):
    return {
        "resourceType": "Organization",
        "id": oid,
        "meta": meta(),
        "identifier": [{"system": NPI, "value": "9990001" + str(sum(map(ord, oid)) % 1000).zfill(3)}],
        "active": True,
        "type": [{"coding": [coding(THO + "organization-type", "prov", "Healthcare Provider")]}],
        "name": name,
        "telecom": [{"system": "phone", "value": phone, "use": "work"}],
        "address": [{"use": "work", "line": [line], "city": "Riverside Falls", "state": "ZZ",
                     "postalCode": "00000", "country": "US"}],
    }


def org_fp():
    return organization(ORG_FP[0], ORG_FP[1], "1 Example Way", "555-0110")


def org_hosp():
    return organization(ORG_HOSP[0], ORG_HOSP[1], "100 Sample Boulevard", "555-0120")


# ---------------------------------------------------------------------------
# generic clinical resource builders

def condition(rid, pid, sct, sct_display, text, clinical, verification, onset=None, onset_string=None,
              abatement=None, recorded=None, icd=None, encounter=None, recorder=OKAFOR):
    r = {"resourceType": "Condition", "id": rid, "meta": meta()}
    if verification != "entered-in-error":  # con-5: no clinicalStatus on entered-in-error
        r["clinicalStatus"] = clinical_status("condition", clinical)
    r["verificationStatus"] = verification_status("condition", verification)
    r["category"] = copy.deepcopy(CAT_PROBLEM)
    codings = [coding(SNOMED, sct, sct_display)]
    if icd:
        codings.append(coding(ICD10, icd[0], icd[1]))
    r["code"] = {"coding": codings, "text": text}
    r["subject"] = ref("Patient", pid)
    if encounter:
        r["encounter"] = ref("Encounter", encounter)
    if onset:
        r["onsetDateTime"] = onset
    if onset_string:
        r["onsetString"] = onset_string
    if abatement:
        r["abatementDateTime"] = abatement
    if recorded:
        r["recordedDate"] = recorded
    if recorder:
        r["recorder"] = ref("Practitioner", recorder[0], recorder[1])
    return r


def lab(rid, pid, loinc, loinc_display, text, when, value=None, ref_range=None, interp=None,
        status="final", encounter=None, issued=None, performer=ORG_HOSP, note=None):
    """value: ("q", number, unit, ucum[, comparator]) | ("cc", CodeableConcept) | ("s", str) | ("dar", CodeableConcept)"""
    r = {"resourceType": "Observation", "id": rid, "meta": meta(), "status": status,
         "category": copy.deepcopy(CAT_LAB),
         "code": {"coding": [coding(LOINC, loinc, loinc_display)], "text": text},
         "subject": ref("Patient", pid)}
    if encounter:
        r["encounter"] = ref("Encounter", encounter)
    r["effectiveDateTime"] = when
    r["issued"] = issued or when
    if performer:
        r["performer"] = [ref("Organization", performer[0], performer[1])]
    kind = value[0]
    if kind == "q":
        comparator = value[4] if len(value) > 4 else None
        r["valueQuantity"] = qty(value[1], value[2], value[3], comparator=comparator)
    elif kind == "cc":
        r["valueCodeableConcept"] = value[1]
    elif kind == "s":
        r["valueString"] = value[1]
    elif kind == "dar":
        r["dataAbsentReason"] = value[1]
    else:
        raise ValueError(kind)
    if interp:
        r["interpretation"] = [{"coding": [coding(INTERP, interp, INTERP_DISPLAY[interp])]}]
    if note:
        r["note"] = [{"text": note}]
    if ref_range:
        r["referenceRange"] = [ref_range]
    return r


def rr(low=None, high=None, unit=None, ucum=None, text=None):
    out = {}
    if low is not None:
        out["low"] = qty(low, unit, ucum)
    if high is not None:
        out["high"] = qty(high, unit, ucum)
    if text is not None:
        out["text"] = text
    return out


VITAL_CODES = {
    # key: (LOINC, display, text, unit, ucum, extra codings)
    "bp": ("85354-9", "Blood pressure panel with all children optional", "Blood pressure", None, None, []),
    "hr": ("8867-4", "Heart rate", "Heart rate", "/min", "/min", []),
    "rr": ("9279-1", "Respiratory rate", "Respiratory rate", "/min", "/min", []),
    "temp": ("8310-5", "Body temperature", "Temperature", "Cel", "Cel", []),
    "spo2": ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "SpO2", "%", "%",
             [coding(LOINC, "2708-6", "Oxygen saturation in Arterial blood")]),
    "weight": ("29463-7", "Body weight", "Weight", "kg", "kg", []),
    "height": ("8302-2", "Body height", "Height", "cm", "cm", []),
    "bmi": ("39156-5", "Body mass index (BMI) [Ratio]", "BMI", "kg/m2", "kg/m2", []),
    "headcirc": ("9843-4", "Head Occipital-frontal circumference", "Head circumference", "cm", "cm", []),
}


def vital(rid, pid, key, when, value, encounter=None, unit=None, systolic_interp=None, performer=None):
    loinc, display, text, vunit, vucum, extra = VITAL_CODES[key]
    if unit:
        vunit = vucum = unit
    r = {"resourceType": "Observation", "id": rid, "meta": meta(), "status": "final",
         "category": copy.deepcopy(CAT_VITALS),
         "code": {"coding": [coding(LOINC, loinc, display)] + extra, "text": text},
         "subject": ref("Patient", pid)}
    if encounter:
        r["encounter"] = ref("Encounter", encounter)
    r["effectiveDateTime"] = when
    if performer:
        r["performer"] = [ref("Practitioner", performer[0], performer[1])]
    if key == "bp":
        sys_v, dia_v = value
        systolic = {"code": {"coding": [coding(LOINC, "8480-6", "Systolic blood pressure")],
                             "text": "Systolic blood pressure"},
                    "valueQuantity": qty(sys_v, "mm[Hg]")}
        if systolic_interp:
            systolic["interpretation"] = [{"coding": [coding(INTERP, systolic_interp,
                                                             INTERP_DISPLAY[systolic_interp])]}]
        diastolic = {"code": {"coding": [coding(LOINC, "8462-4", "Diastolic blood pressure")],
                              "text": "Diastolic blood pressure"},
                     "valueQuantity": qty(dia_v, "mm[Hg]")}
        r["component"] = [systolic, diastolic]
    else:
        r["valueQuantity"] = qty(value, vunit, vucum)
    return r


def medreq(rid, pid, status, authored=None, med_cc=None, med_ref=None, requester=None, encounter=None,
           dosage=None, dispense=None, category="outpatient", contained=None, status_reason=None):
    r = {"resourceType": "MedicationRequest", "id": rid, "meta": meta()}
    if contained:
        r["contained"] = contained
    r["status"] = status
    if status_reason:
        r["statusReason"] = {"text": status_reason}
    r["intent"] = "order"
    if category:
        r["category"] = [{"coding": [coding(THO + "medicationrequest-category", category,
                                            category.capitalize())]}]
    if med_cc is not None:
        r["medicationCodeableConcept"] = med_cc
    if med_ref is not None:
        r["medicationReference"] = med_ref
    r["subject"] = ref("Patient", pid)
    if encounter:
        r["encounter"] = ref("Encounter", encounter)
    if authored:
        r["authoredOn"] = authored
    if requester is not None:
        r["requester"] = requester
    if dosage is not None:
        r["dosageInstruction"] = dosage
    if dispense is not None:
        r["dispenseRequest"] = dispense
    return r


def encounter(rid, pid, cls, cls_display, type_sct, type_display, type_text, start, end,
              participant=None, reason=None, provider=None, location=None, hospitalization=None,
              diagnosis=None):
    r = {"resourceType": "Encounter", "id": rid, "meta": meta(), "status": "finished",
         "class": coding(THO + "v3-ActCode", cls, cls_display),
         "type": [cc(SNOMED, type_sct, type_display, type_text)],
         "subject": ref("Patient", pid)}
    if participant:
        r["participant"] = [{
            "type": [{"coding": [coding(THO + "v3-ParticipationType", "PPRF", "primary performer")]}],
            "individual": ref("Practitioner", participant[0], participant[1])}]
    r["period"] = {"start": start, "end": end}
    if reason:
        r["reasonCode"] = [reason]
    if diagnosis:
        r["diagnosis"] = diagnosis
    if hospitalization:
        r["hospitalization"] = hospitalization
    if location:
        r["location"] = [{"location": {"display": location}, "status": "completed",
                          "period": {"start": start, "end": end}}]
    if provider:
        r["serviceProvider"] = ref("Organization", provider[0], provider[1])
    return r


def patient(pid, name, gender, birth, mrn, extra_identifiers=(), telecom=None, address=None,
            deceased=None, gp=None, org=None, marital=None, contact=None):
    r = {"resourceType": "Patient", "id": pid, "meta": meta(),
         "identifier": list(extra_identifiers) + [mrn_identifier(mrn)], "active": True, "name": name}
    if telecom:
        r["telecom"] = telecom
    if gender:
        r["gender"] = gender
    if birth:
        r["birthDate"] = birth
    if deceased:
        r["deceasedDateTime"] = deceased
    if address:
        r["address"] = address
    if marital:
        r["maritalStatus"] = cc(THO + "v3-MaritalStatus", marital[0], marital[1], marital[1])
    if contact:
        r["contact"] = contact
    r["communication"] = [{"language": cc("urn:ietf:bcp:47", "en-US", "English (United States)", "English"),
                           "preferred": True}]
    if gp:
        r["generalPractitioner"] = [ref("Practitioner", gp[0], gp[1])]
    if org:
        r["managingOrganization"] = ref("Organization", org[0], org[1])
    return r


def address(line, city, postal):
    return [{"use": "home", "type": "both", "line": [line], "city": city, "state": "ZZ",
             "postalCode": postal, "country": "US"}]


def docref(rid, pid, loinc, loinc_display, type_text, date, author, description, content,
           encounter=None, period=None):
    r = {"resourceType": "DocumentReference", "id": rid, "meta": meta(), "status": "current",
         "docStatus": "final", "type": cc(LOINC, loinc, loinc_display, type_text),
         "category": copy.deepcopy(DOC_CATEGORY), "subject": ref("Patient", pid), "date": date,
         "author": [author], "description": description,
         "content": [{"attachment": content, "format": dict(DOC_FORMAT)}]}
    if encounter or period:
        r["context"] = {}
        if encounter:
            r["context"]["encounter"] = [ref("Encounter", encounter)]
        if period:
            r["context"]["period"] = period
    return r


# ---------------------------------------------------------------------------
# Patient 1: Ada Quinn Testwell (the rich record)

ADA = "rnd-ada-testwell"
ADA_ENC_OFFICE = {"2025-03-10": "rnd-ada-enc-20250310-office", "2025-09-12": "rnd-ada-enc-20250912-office",
                  "2026-10-20": "rnd-ada-enc-20261020-office"}
ADA_ENC_ED = "rnd-ada-enc-20250110-ed"
ADA_ENC_IP = "rnd-ada-enc-20250110-inpatient"

PROGRESS_NOTE = """PROGRESS NOTE - Riverside Family Practice (synthetic)
Patient: Ada Quinn Testwell    DOB: 1958-03-04    MRN: RND100101
Date of service: 2026-10-20    Author: Dr. Imani Okafor-Sample, MD

Subjective: Here for diabetes and blood pressure follow-up. Walks to the
café most mornings. Mild fatigue; no chest pain, no shortness of breath.

Objective: BP 142/88, HR 78, T 37.1 C, SpO2 96 %, weight 82.5 kg.
HbA1c 7.2 % (was 7.9 %). Creatinine 1.4 mg/dL, eGFR 52. Na 128 mmol/L.

Assessment and plan:
1. Type 2 diabetes - improving; continue metformin, insulin stays on hold.
2. Hypertension - above goal; continue lisinopril 10 mg, recheck 4 weeks.
3. CKD stage 3 (provisional) - repeat renal panel; avoid NSAIDs.
Influenza vaccine given today; pneumococcal declined. SYNTHETIC TEST DATA.
"""

DISCHARGE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Discharge summary</title></head>
<body>
<h1>Discharge Summary</h1>
<p><b>Patient:</b> Ada Quinn Testwell &nbsp; <b>MRN:</b> RND100101</p>
<p><b>Admitted:</b> 2025-01-10 &nbsp; <b>Discharged:</b> 2025-01-14</p>
<p><b>Diagnosis:</b> Community acquired pneumonia, right lower lobe.</p>
<h2>Hospital course</h2>
<p>Admitted from the emergency department with fever &amp; cough. Treated with
IV azithromycin &amp; supportive care (oxygen, fluids). Afebrile since day 2;
oxygen saturation &gt; 94 % on room air at discharge.</p>
<h2>Discharge instructions</h2>
<ul>
<li>Azithromycin 250 mg by mouth daily to complete 5 days</li>
<li>Follow up with Dr. Okafor-Sample in 1 week</li>
<li>Return if temperature &gt; 38.5 &deg;C or breathing gets worse</li>
</ul>
<p><i>Synthetic test document &ndash; not a real patient.</i></p>
</body></html>
"""

CXR_REPORT = """XR CHEST 2 VIEWS (PA AND LATERAL)
Date: 2025-01-10 15:10
Indication: Fever, cough and shortness of breath.
Comparison: None.

Findings: Patchy consolidation in the right lower lobe. No pleural
effusion. No pneumothorax. Heart size is normal.

Impression: Right lower lobe pneumonia.
Synthetic test report - not a real patient.
"""

CXR_CONCLUSION = "Right lower lobe consolidation consistent with pneumonia. No pleural effusion or pneumothorax."

LIPID_DIV = ('<div xmlns="http://www.w3.org/1999/xhtml"><p><b>Lipid panel</b> (2025-09-12, final)</p>'
             '<table><thead><tr><th>Test</th><th>Result</th><th>Reference</th></tr></thead><tbody>'
             '<tr><td>Total cholesterol</td><td>212 mg/dL (H)</td><td>&lt; 200 mg/dL</td></tr>'
             '<tr><td>LDL cholesterol (direct)</td><td>131 mg/dL (H)</td><td>&lt; 100 mg/dL</td></tr>'
             '<tr><td>HDL cholesterol</td><td>48 mg/dL</td><td>&gt; 45 mg/dL</td></tr>'
             '<tr><td>Triglycerides</td><td>165 mg/dL (H)</td><td>&lt; 150 mg/dL</td></tr>'
             '</tbody></table></div>')


def ada_labs():
    p = ADA
    L = []
    oct20 = "2026-10-20"
    enc = ADA_ENC_OFFICE

    def a1c(date, value, interp=None):
        L.append(lab(f"rnd-ada-lab-hba1c-{date.replace('-', '')}", p, "4548-4",
                     "Hemoglobin A1c/Hemoglobin.total in Blood", "Hemoglobin A1c", dt(date, "09:30"),
                     ("q", value, "%", "%"), rr(4.0, 5.6, "%", "%"), interp, encounter=enc[date],
                     issued=dt(date, "13:05")))
    a1c("2025-03-10", 8.4)
    a1c("2025-09-12", 7.9)
    a1c(oct20, 7.2, "H")

    def k(rid, when, issued, value, interp, status="final", encounter=None, note=None):
        L.append(lab(rid, p, "2823-3", "Potassium [Moles/volume] in Serum or Plasma", "Potassium", when,
                     ("q", value, "mmol/L", "mmol/L"), rr(3.5, 5.1, "mmol/L", "mmol/L"), interp,
                     status=status, encounter=encounter, issued=issued, note=note))
    k("rnd-ada-lab-potassium-20260601", dt("2026-06-01", "07:45"), dt("2026-06-01", "08:40"), 6.8, "HH",
      note="Critical value called to Dr. Okafor-Sample at 08:52.")
    k("rnd-ada-lab-potassium-20261020", dt(oct20, "09:30"), dt(oct20, "12:10"), 5.0, "N", encounter=enc[oct20])
    k("rnd-ada-lab-potassium-20261021-eie", dt("2026-10-21", "07:30"), dt("2026-10-21", "08:15"), 2.1, "LL",
      status="entered-in-error", note="Result attached to the wrong patient; entered in error.")

    def bmp(rid, loinc, display, text, value, unit, low, high, interp):
        L.append(lab(rid, p, loinc, display, text, dt(oct20, "09:30"), ("q", value, unit, unit),
                     rr(low, high, unit, unit), interp, encounter=enc[oct20], issued=dt(oct20, "12:10")))
    bmp("rnd-ada-lab-sodium-20261020", "2951-2", "Sodium [Moles/volume] in Serum or Plasma", "Sodium",
        128, "mmol/L", 136, 145, "L")
    bmp("rnd-ada-lab-creatinine-20261020", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma",
        "Creatinine", 1.4, "mg/dL", 0.6, 1.1, None)
    bmp("rnd-ada-lab-glucose-20261020", "2345-7", "Glucose [Mass/volume] in Serum or Plasma", "Glucose",
        250, "mg/dL", 70, 99, None)
    for date, value in (("2025-03-10", 1.2), ("2025-09-12", 1.1)):
        L.append(lab(f"rnd-ada-lab-creatinine-{date.replace('-', '')}", p, "2160-0",
                     "Creatinine [Mass/volume] in Serum or Plasma", "Creatinine", dt(date, "09:30"),
                     ("q", value, "mg/dL", "mg/dL"), rr(0.6, 1.1, "mg/dL", "mg/dL"), None,
                     encounter=enc[date], issued=dt(date, "12:00")))
    L.append(lab("rnd-ada-lab-egfr-20261020", p, "62238-1",
                 "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood "
                 "by Creatinine-based formula (CKD-EPI)", "eGFR", dt(oct20, "09:30"),
                 ("q", 52, "mL/min/{1.73_m2}", "mL/min/{1.73_m2}"),
                 rr(low=60, unit="mL/min/{1.73_m2}", ucum="mL/min/{1.73_m2}"), None, encounter=enc[oct20],
                 issued=dt(oct20, "12:10")))
    L.append(lab("rnd-ada-lab-troponin-20250110", p, "10839-9", "Troponin I.cardiac [Mass/volume] in Serum or Plasma",
                 "Troponin I", dt("2025-01-10", "14:30"), ("q", 0.02, "ng/mL", "ng/mL"),
                 rr(text="<0.04 ng/mL"), None, encounter=ADA_ENC_ED, issued=dt("2025-01-10", "15:20")))
    L.append(lab("rnd-ada-lab-tsh-20261020", p, "3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", "TSH",
                 dt(oct20, "09:30"), ("q", 0.005, "mIU/L", "m[IU]/L"), rr(0.4, 4.0, "mIU/L", "m[IU]/L"), "LL",
                 encounter=enc[oct20], issued=dt(oct20, "14:45")))
    L.append(lab("rnd-ada-lab-urine-culture-20260901", p, "630-4", "Bacteria identified in Urine by Culture",
                 "Urine culture", dt("2026-09-01", "10:00"),
                 ("cc", {"coding": [coding(SNOMED, "112283007", "Escherichia coli")],
                         "text": "Escherichia coli >100,000 CFU/mL"}), None, "A",
                 issued=dt("2026-09-03", "11:20")))
    L.append(lab("rnd-ada-lab-hiv-20250310", p, "31201-7", "HIV 1+2 Ab [Presence] in Serum",
                 "HIV 1+2 antibody screen", dt("2025-03-10", "09:30"), ("s", "Negative"), None, "N",
                 encounter=enc["2025-03-10"], issued=dt("2025-03-11", "10:00")))
    L.append(lab("rnd-ada-lab-lactate-20260901", p, "2524-7", "Lactate [Moles/volume] in Serum or Plasma", "Lactate",
                 dt("2026-09-01", "10:00"),
                 ("dar", {"coding": [coding(THO + "data-absent-reason", "error", "Error")],
                          "text": "Specimen hemolyzed"}), rr(0.5, 2.2, "mmol/L", "mmol/L"), None,
                 issued=dt("2026-09-01", "11:05")))
    L.append(lab("rnd-ada-lab-b12-20261020", p, "2132-9", "Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma",
                 "Vitamin B12", dt(oct20, "09:30"), ("q", 412, "pg/mL", "pg/mL"), None, None,
                 encounter=enc[oct20], issued=dt(oct20, "16:00")))
    L.append(lab("rnd-ada-lab-crp-20261020", p, "1988-5", "C reactive protein [Mass/volume] in Serum or Plasma",
                 "C-reactive protein", dt(oct20, "09:30"), ("q", 0.3, "mg/L", "mg/L", "<"),
                 rr(high=5, unit="mg/L", ucum="mg/L"), None, encounter=enc[oct20], issued=dt(oct20, "12:10")))
    L.append(lab("rnd-ada-lab-hemoglobin-20261120-prelim", p, "718-7", "Hemoglobin [Mass/volume] in Blood",
                 "Hemoglobin", dt("2026-11-20", "08:15"), ("q", 11.2, "g/dL", "g/dL"),
                 rr(12.0, 15.5, "g/dL", "g/dL"), None, status="preliminary", issued=dt("2026-11-20", "09:00")))
    return L


ADA_VITALS = {
    # date: (time, bp, hr, rr, temp, spo2, weight, height, bmi)
    "2025-03-10": ("09:10", (150, 92), 82, 16, 36.8, 97, 86.0, 165, 31.6),
    "2025-09-12": ("09:10", (138, 86), 74, 14, 36.6, 98, 84.2, 165, 30.9),
    "2026-10-20": ("08:50", (142, 88), 78, 16, 37.1, 96, 82.5, 165, 30.3),
}


def ada_vitals():
    out = []
    for date, (hm, bp, hr, rrate, temp, spo2, weight, height, bmi) in ADA_VITALS.items():
        when, enc, d = dt(date, hm), ADA_ENC_OFFICE[date], date.replace("-", "")
        newest = date == "2026-10-20"
        out.append(vital(f"rnd-ada-vs-bp-{d}", ADA, "bp", when, bp, enc, systolic_interp="H" if newest else None))
        for key, value in (("hr", hr), ("rr", rrate), ("temp", temp), ("spo2", spo2), ("weight", weight),
                           ("height", height), ("bmi", bmi)):
            out.append(vital(f"rnd-ada-vs-{key}-{d}", ADA, key, when, value, enc))
    return out


def ada_resources():
    p = ADA
    res = [
        patient(p, [{"use": "official", "family": "Testwell", "given": ["Ada", "Quinn"], "prefix": ["Mrs."]}],
                "female", "1958-03-04", "RND100101",
                extra_identifiers=[{"system": ENTERPRISE_SYSTEM, "value": "E-7700101"}],
                telecom=[{"system": "phone", "value": "555-0101", "use": "home"},
                         {"system": "email", "value": "ada.testwell@example.org"}],
                address=address("12 Imaginary Lane", "Riverside Falls", "00001"), gp=OKAFOR, org=ORG_FP,
                marital=("M", "Married")),
        pract_okafor(), org_fp(), org_hosp(),
        {"resourceType": "Medication", "id": "rnd-med-metformin-500", "meta": meta(),
         "code": cc(RXNORM, "861007", "metformin hydrochloride 500 MG Oral Tablet",
                    "Metformin hydrochloride 500 MG Oral Tablet"),
         "status": "active", "form": copy.deepcopy(TABLET_FORM),
         "ingredient": [{"itemCodeableConcept": cc(RXNORM, "6809", "metformin", "Metformin"), "isActive": True,
                         "strength": {"numerator": qty(500, "mg"), "denominator": tablets(1)}}]},
    ]

    # -- encounters
    res += [
        encounter(ADA_ENC_OFFICE["2026-10-20"], p, "AMB", "ambulatory", "185349003", "Encounter for check up (procedure)",
                  "Office visit", dt("2026-10-20", "08:45"), dt("2026-10-20", "09:40"), participant=OKAFOR,
                  reason=cc(SNOMED, "44054006", "Diabetes mellitus type 2", "Diabetes follow-up"), provider=ORG_FP),
        encounter(ADA_ENC_OFFICE["2025-09-12"], p, "AMB", "ambulatory", "185349003", "Encounter for check up (procedure)",
                  "Office visit", dt("2025-09-12", "09:00"), dt("2025-09-12", "09:35"), participant=OKAFOR,
                  reason=cc(SNOMED, "59621000", "Essential hypertension", "Blood pressure check"), provider=ORG_FP),
        encounter(ADA_ENC_OFFICE["2025-03-10"], p, "AMB", "ambulatory", "185349003", "Encounter for check up (procedure)",
                  "Office visit", dt("2025-03-10", "09:00"), dt("2025-03-10", "09:45"), participant=OKAFOR,
                  reason=cc(SNOMED, "44054006", "Diabetes mellitus type 2", "Diabetes follow-up"), provider=ORG_FP),
        encounter(ADA_ENC_ED, p, "EMER", "emergency", "50849002", "Emergency room admission (procedure)",
                  "Emergency department visit", dt("2025-01-10", "14:05"), dt("2025-01-10", "18:40"),
                  reason=cc(SNOMED, "267036007", "Dyspnea", "Fever, cough and shortness of breath"),
                  provider=ORG_HOSP, location="Riverside General Hospital (synthetic), Emergency Department, Bay 7"),
        encounter(ADA_ENC_IP, p, "IMP", "inpatient encounter", "32485007", "Hospital admission (procedure)",
                  "Hospital admission", dt("2025-01-10", "18:40"), dt("2025-01-14", "11:00"),
                  reason=cc(SNOMED, "385093006", "Community acquired pneumonia", "Community acquired pneumonia"),
                  provider=ORG_HOSP, location="Riverside General Hospital (synthetic), 4 West, Room 412, Bed A",
                  diagnosis=[{"condition": ref("Condition", "rnd-ada-cond-cap"),
                              "use": {"coding": [coding(THO + "diagnosis-role", "DD", "Discharge diagnosis")]},
                              "rank": 1}],
                  hospitalization={"admitSource": {"coding": [coding(THO + "admit-source", "emd",
                                                                     "From accident/emergency department")]},
                                   "dischargeDisposition": {"coding": [coding(THO + "discharge-disposition", "home",
                                                                              "Home")], "text": "Home"}}),
    ]

    # -- allergies
    def allergy(rid, code, text, clinical, verification, atype, category, criticality, recorded, reaction=None):
        r = {"resourceType": "AllergyIntolerance", "id": rid, "meta": meta()}
        if clinical:
            r["clinicalStatus"] = clinical_status("allergy", clinical)
        r["verificationStatus"] = verification_status("allergy", verification)
        r["type"] = atype
        r["category"] = [category]
        r["criticality"] = criticality
        r["code"] = {"coding": code, "text": text}
        r["patient"] = ref("Patient", p)
        r["recordedDate"] = recorded
        r["recorder"] = ref("Practitioner", OKAFOR[0], OKAFOR[1])
        if reaction:
            r["reaction"] = [reaction]
        return r

    def reaction(sct, display, text, severity, onset=None):
        out = {"manifestation": [cc(SNOMED, sct, display, text)], "severity": severity}
        if onset:
            out["onset"] = onset
        return out

    res += [
        allergy("rnd-ada-alg-penicillin", [coding(SNOMED, "764146007", "Penicillin (substance)")], "Penicillin",
                "active", "confirmed", "allergy", "medication", "high", dt("2015-06-01", "10:00"),
                reaction("39579001", "Anaphylaxis", "Anaphylaxis", "severe", "1998")),
        allergy("rnd-ada-alg-latex", [coding(SNOMED, "111088007", "Latex (substance)")], "Latex",
                "active", "confirmed", "allergy", "environment", "low", dt("2019-02-11", "11:30"),
                reaction("126485001", "Urticaria", "Hives", "mild")),
        allergy("rnd-ada-alg-sulfonamide-eie", [coding(SNOMED, "387406002", "Sulfonamide (substance)")],
                "Sulfonamide antibiotics", None, "entered-in-error", "allergy", "medication", "high",
                dt("2024-05-03", "15:00"), reaction("271807003", "Eruption of skin", "Rash", "moderate")),
        allergy("rnd-ada-alg-codeine", [coding(RXNORM, "2670", "codeine"),
                                        coding(SNOMED, "387494007", "Codeine (substance)")], "Codeine",
                "inactive", "confirmed", "intolerance", "medication", "low", dt("2010-09-20", "09:00"),
                reaction("422587007", "Nausea", "Nausea", "moderate")),
    ]

    # -- problems
    res += [
        condition("rnd-ada-cond-t2dm", p, "44054006", "Diabetes mellitus type 2", "Type 2 diabetes mellitus", "active",
                  "confirmed", onset="2012-05-14", recorded="2012-05-14",
                  icd=("E11.9", "Type 2 diabetes mellitus without complications")),
        condition("rnd-ada-cond-htn", p, "59621000", "Essential hypertension", "Essential hypertension", "active",
                  "confirmed", onset="2015-09-01", recorded="2015-09-01", icd=("I10", "Essential (primary) hypertension")),
        condition("rnd-ada-cond-ckd3", p, "433144002", "Chronic kidney disease stage 3",
                  "Chronic kidney disease stage 3", "active", "provisional", onset=dt("2026-10-20", "09:40"),
                  recorded=dt("2026-10-20", "09:40"), icd=("N18.30", "Chronic kidney disease, stage 3 unspecified"),
                  encounter=ADA_ENC_OFFICE["2026-10-20"]),
        condition("rnd-ada-cond-cap", p, "385093006", "Community acquired pneumonia", "Community acquired pneumonia",
                  "resolved", "confirmed", onset="2025-01-10", abatement="2025-02-02",
                  recorded=dt("2025-01-10", "16:00"), icd=("J18.9", "Pneumonia, unspecified organism"),
                  encounter=ADA_ENC_ED),
        condition("rnd-ada-cond-asthma-eie", p, "195967001", "Asthma", "Asthma", None, "entered-in-error",
                  onset="2020-03-03", recorded=dt("2024-05-03", "15:05"),
                  icd=("J45.909", "Unspecified asthma, uncomplicated")),
        condition("rnd-ada-cond-rhinitis", p, "367498001", "Seasonal allergic rhinitis", "Seasonal allergic rhinitis",
                  "active", "confirmed", onset_string="Childhood", recorded="2012-05-14",
                  icd=("J30.2", "Other seasonal allergic rhinitis")),
    ]

    # -- medications
    okafor = ref("Practitioner", OKAFOR[0], OKAFOR[1])
    res += [
        medreq("rnd-ada-mr-metformin", p, "active", dt("2024-03-02", "10:15"),
               med_ref=ref("Medication", "rnd-med-metformin-500", "Metformin hydrochloride 500 MG Oral Tablet"),
               requester=okafor,
               dosage=[{"sequence": 1, "text": "Take 1 tablet by mouth twice daily with meals",
                        "timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d", "when": ["C"]},
                                   "code": cc(THO + "v3-GTSAbbreviation", "BID", "BID", "twice daily")},
                        "route": copy.deepcopy(ROUTE_ORAL),
                        "doseAndRate": [{"type": {"coding": [coding(THO + "dose-rate-type", "ordered", "Ordered")]},
                                         "doseQuantity": tablets(1)}]}],
               dispense={"numberOfRepeatsAllowed": 3, "quantity": tablets(180),
                         "expectedSupplyDuration": qty(90, "days", "d")}),
        medreq("rnd-ada-mr-lisinopril", p, "active", dt("2025-09-12", "09:30"),
               contained=[{"resourceType": "Medication", "id": "med-lisinopril",
                           "code": cc(RXNORM, "314076", "lisinopril 10 MG Oral Tablet", "Lisinopril 10 mg tablet"),
                           "form": copy.deepcopy(TABLET_FORM)}],
               med_ref={"reference": "#med-lisinopril"}, requester=okafor, encounter=ADA_ENC_OFFICE["2025-09-12"],
               dosage=[{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                        "route": copy.deepcopy(ROUTE_ORAL),
                        "doseAndRate": [{"doseQuantity": qty(10, "mg")}]}],
               dispense={"numberOfRepeatsAllowed": 3, "quantity": tablets(90)}),
        medreq("rnd-ada-mr-oxycodone", p, "active", dt("2026-10-20", "09:35"),
               med_cc=cc(RXNORM, "1049621", "oxycodone hydrochloride 5 MG Oral Tablet", "Oxycodone 5 mg tablet"),
               requester=okafor, encounter=ADA_ENC_OFFICE["2026-10-20"],
               dosage=[{"timing": {"repeat": {"frequency": 1, "period": 6, "periodUnit": "h"}},
                        "asNeededCodeableConcept": {"text": "pain"},
                        "route": copy.deepcopy(ROUTE_ORAL),
                        "doseAndRate": [{"doseQuantity": tablets(0.5)}]}],
               dispense={"numberOfRepeatsAllowed": 0, "quantity": tablets(10)}),
        medreq("rnd-ada-mr-atorvastatin", p, "stopped", dt("2023-01-15", "10:00"),
               status_reason="Muscle aches",
               med_cc=cc(RXNORM, "617311", "atorvastatin 40 MG Oral Tablet", "Atorvastatin 40 mg tablet"),
               requester={"display": "Dr. Hal Formerly-Seen (outside prescriber)"},
               dosage=[{"text": "Take 1 tablet at bedtime"}]),
        medreq("rnd-ada-mr-insulin-glargine", p, "on-hold", dt("2025-03-10", "09:40"),
               status_reason="Held after low blood sugars; review at next visit",
               med_cc=cc(RXNORM, "274783", "insulin glargine", "Insulin glargine 100 unit/mL pen"),
               requester=okafor, encounter=ADA_ENC_OFFICE["2025-03-10"],
               dosage=[{"timing": {"code": {"text": "at bedtime"}},
                        "route": copy.deepcopy(ROUTE_SUBCUT),
                        "doseAndRate": [{"doseQuantity": qty(12, "units", "[iU]")}]}],
               dispense={"numberOfRepeatsAllowed": 3, "quantity": qty(15, "mL")}),
        medreq("rnd-ada-mr-azithromycin", p, "completed", dt("2025-01-14", "10:30"), category="discharge",
               med_cc=cc(RXNORM, "308460", "azithromycin 250 MG Oral Tablet", "Azithromycin 250 mg tablet"),
               requester=okafor, encounter=ADA_ENC_IP,
               dosage=[{"text": "Take 1 tablet by mouth once daily for 3 more days to complete the course"}],
               dispense={"numberOfRepeatsAllowed": 0, "quantity": tablets(3)}),
        medreq("rnd-ada-mr-vitamin-d", p, "active", dt("2024-11-05", "11:00"),
               med_ref=ref("Medication", "med-not-in-bundle-0001", "Vitamin D3 1000 unit capsule"),
               requester=okafor, dosage=[{"text": "Take 1 capsule by mouth daily"}]),
        medreq("rnd-ada-mr-potassium-chloride", p, "active", dt("2024-08-20", "14:00"),
               med_cc=cc(RXNORM, "8591", "potassium chloride", "Potassium chloride 20 mEq/15 mL oral solution"),
               requester=okafor,
               dosage=[{"timing": {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d"}},
                        "route": copy.deepcopy(ROUTE_ORAL),
                        "doseAndRate": [{"doseQuantity": qty(5.0, "mmol")}]}]),
    ]

    res += ada_labs()
    res += ada_vitals()

    # -- immunizations
    res += [
        {"resourceType": "Immunization", "id": "rnd-ada-imm-flu-20261020", "meta": meta(), "status": "completed",
         "vaccineCode": cc(CVX, "158", "influenza, injectable, quadrivalent, contains preservative",
                           "Influenza vaccine, quadrivalent"),
         "patient": ref("Patient", p), "encounter": ref("Encounter", ADA_ENC_OFFICE["2026-10-20"]),
         "occurrenceDateTime": dt("2026-10-20", "09:20"), "recorded": dt("2026-10-20", "09:22"),
         "primarySource": True, "manufacturer": {"display": "Example Biologics (synthetic)"},
         "lotNumber": "SYNFLU-2026-A1", "expirationDate": "2027-06-30",
         "site": cc(THO + "v3-ActSite", "LA", "left arm", "Left arm"),
         "route": cc(THO + "v3-RouteOfAdministration", "IM", "Injection, intramuscular", "Intramuscular"),
         "doseQuantity": qty(0.5, "mL"),
         "performer": [{"function": {"coding": [coding(THO + "v2-0443", "AP", "Administering Provider")]},
                        "actor": ref("Practitioner", OKAFOR[0], OKAFOR[1])}]},
        {"resourceType": "Immunization", "id": "rnd-ada-imm-covid-20251001", "meta": meta(), "status": "completed",
         "vaccineCode": cc(CVX, "309", "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, "
                                        "tris-sucrose, 30 mcg/0.3 mL dose", "COVID-19 mRNA vaccine"),
         "patient": ref("Patient", p), "occurrenceDateTime": dt("2025-10-01", "13:15"),
         "primarySource": False,
         "reportOrigin": cc(THO + "immunization-origin", "record", "Written Record", "Pharmacy record"),
         "lotNumber": "SYNCOV-25-0042",
         "site": cc(THO + "v3-ActSite", "RA", "right arm", "Right arm"),
         "route": cc(THO + "v3-RouteOfAdministration", "IM", "Injection, intramuscular", "Intramuscular"),
         "doseQuantity": qty(0.3, "mL"),
         "protocolApplied": [{"targetDisease": [cc(SNOMED, "840539006", "Disease caused by severe acute respiratory "
                                                                       "syndrome coronavirus 2", "COVID-19")],
                              "doseNumberPositiveInt": 5}]},
        {"resourceType": "Immunization", "id": "rnd-ada-imm-ppsv23-notdone", "meta": meta(), "status": "not-done",
         "statusReason": cc(THO + "v3-ActReason", "PATOBJ", "patient objection", "Patient declined"),
         "vaccineCode": cc(CVX, "33", "pneumococcal polysaccharide vaccine, 23 valent",
                           "Pneumococcal polysaccharide vaccine (PPSV23)"),
         "patient": ref("Patient", p), "encounter": ref("Encounter", ADA_ENC_OFFICE["2026-10-20"]),
         "occurrenceDateTime": dt("2026-10-20", "09:25"), "primarySource": True},
    ]

    # -- notes and reports
    okafor_author = ref("Practitioner", OKAFOR[0], OKAFOR[1])
    res += [
        docref("rnd-ada-doc-progress-20261020", p, "11506-3", "Progress note", "Progress note",
               dt("2026-10-20", "10:05"), okafor_author, "Diabetes and hypertension follow-up",
               attachment("text/plain; charset=utf-8", PROGRESS_NOTE, "Progress note - 2026-10-20",
                          dt("2026-10-20", "10:05")),
               encounter=ADA_ENC_OFFICE["2026-10-20"],
               period={"start": dt("2026-10-20", "08:45"), "end": dt("2026-10-20", "09:40")}),
        docref("rnd-ada-doc-discharge-20250114", p, "18842-5", "Discharge summary", "Discharge summary",
               dt("2025-01-14", "15:00"), okafor_author, "Discharge summary - community acquired pneumonia",
               attachment("text/html", DISCHARGE_HTML, "Discharge summary - 2025-01-14", dt("2025-01-14", "15:00")),
               encounter=ADA_ENC_IP, period={"start": dt("2025-01-10", "18:40"), "end": dt("2025-01-14", "11:00")}),
        docref("rnd-ada-doc-cardiology-consult-pdf", p, "11488-4", "Consult note", "Consult note",
               dt("2025-06-16", "14:20"), {"display": "Dr. Rene Heartfield-Sample (outside cardiology)"},
               "Outside cardiology consult (scanned)",
               {"contentType": "application/pdf", "language": "en-US",
                "url": "https://ehr.example.org/fhir/R4/Binary/rnd-ada-bin-cardiology-consult",
                "size": 48213, "title": "Cardiology consult - 2025-06-16 (scanned PDF)",
                "creation": dt("2025-06-16", "14:20")}),
    ]
    lab_cat = [{"coding": [coding(THO + "v2-0074", "LAB", "Laboratory")]}]
    res += [
        {"resourceType": "DiagnosticReport", "id": "rnd-ada-dr-cxr-20250110", "meta": meta(), "status": "final",
         "category": [{"coding": [coding(THO + "v2-0074", "RAD", "Radiology")]},
                      {"coding": [coding(LOINC, "LP29684-5", "Radiology")]}],
         "code": cc(LOINC, "36643-5", "XR Chest 2 Views", "XR chest 2 views"),
         "subject": ref("Patient", p), "encounter": ref("Encounter", ADA_ENC_ED),
         "effectiveDateTime": dt("2025-01-10", "15:10"), "issued": dt("2025-01-10", "15:52"),
         "performer": [ref("Organization", ORG_HOSP[0], ORG_HOSP[1])],
         "resultsInterpreter": [{"display": "Dr. Noor Radiant-Sample (radiology)"}],
         "conclusion": CXR_CONCLUSION,
         "conclusionCode": [cc(SNOMED, "233604007", "Pneumonia", "Pneumonia")],
         "presentedForm": [attachment("text/plain", CXR_REPORT, "XR chest 2 views - report",
                                      dt("2025-01-10", "15:52"))]},
        {"resourceType": "DiagnosticReport", "id": "rnd-ada-dr-bmp-20261020", "meta": meta(), "status": "final",
         "category": copy.deepcopy(lab_cat),
         "code": cc(LOINC, "51990-0", "Basic metabolic panel - Blood", "Basic metabolic panel"),
         "subject": ref("Patient", p), "encounter": ref("Encounter", ADA_ENC_OFFICE["2026-10-20"]),
         "effectiveDateTime": dt("2026-10-20", "09:30"), "issued": dt("2026-10-20", "12:10"),
         "performer": [ref("Organization", ORG_HOSP[0], ORG_HOSP[1])],
         "result": [ref("Observation", "rnd-ada-lab-sodium-20261020", "Sodium"),
                    ref("Observation", "rnd-ada-lab-potassium-20261020", "Potassium"),
                    ref("Observation", "rnd-ada-lab-creatinine-20261020", "Creatinine"),
                    ref("Observation", "rnd-ada-lab-glucose-20261020", "Glucose")]},
        {"resourceType": "DiagnosticReport", "id": "rnd-ada-dr-lipid-20250912", "meta": meta(),
         "text": {"status": "generated", "div": LIPID_DIV}, "status": "final",
         "category": copy.deepcopy(lab_cat),
         "code": cc(LOINC, "57698-3", "Lipid panel with direct LDL - Serum or Plasma", "Lipid panel"),
         "subject": ref("Patient", p), "encounter": ref("Encounter", ADA_ENC_OFFICE["2025-09-12"]),
         "effectiveDateTime": dt("2025-09-12", "09:30"), "issued": dt("2025-09-12", "13:40")},
    ]
    return res


# ---------------------------------------------------------------------------
# Patient 2: Ben Otto Nkaman (infant)

BEN = "rnd-ben-nkaman"
BEN_ENC = "rnd-ben-enc-20261102-wellchild"


def ben_resources():
    p = BEN
    when = dt("2026-11-02", "10:15")
    return [
        patient(p, [{"use": "official", "family": "Nkaman", "given": ["Ben", "Otto"]}], "male", "2025-12-01",
                "RND100102", telecom=[{"system": "phone", "value": "555-0102", "use": "home"}],
                address=address("3 Placeholder Court", "Riverside Falls", "00002"), gp=LITTLEFIELD, org=ORG_FP,
                contact=[{"relationship": [cc(THO + "v2-0131", "N", "Next-of-Kin", "Mother")],
                          "name": {"use": "official", "family": "Nkaman", "given": ["Abena"]},
                          "telecom": [{"system": "phone", "value": "555-0103", "use": "mobile"}]}]),
        pract_littlefield(), org_fp(),
        encounter(BEN_ENC, p, "AMB", "ambulatory", "410620009", "Well child visit (procedure)", "Well child visit",
                  dt("2026-11-02", "10:00"), dt("2026-11-02", "10:40"), participant=LITTLEFIELD,
                  reason=cc(SNOMED, "410620009", "Well child visit", "11 month well child check"), provider=ORG_FP),
        {"resourceType": "AllergyIntolerance", "id": "rnd-ben-alg-nka", "meta": meta(),
         "clinicalStatus": clinical_status("allergy", "active"),
         "verificationStatus": verification_status("allergy", "confirmed"),
         "code": cc(SNOMED, "716186003", "No known allergy", "No Known Allergies"),
         "patient": ref("Patient", p), "recordedDate": dt("2026-06-01", "10:30"),
         "recorder": ref("Practitioner", LITTLEFIELD[0], LITTLEFIELD[1])},
        condition("rnd-ben-cond-atopic-dermatitis", p, "24079001", "Atopic dermatitis", "Atopic dermatitis (eczema)",
                  "active", "confirmed", onset="2026-04-15", recorded=dt("2026-06-01", "10:35"),
                  icd=("L20.9", "Atopic dermatitis, unspecified"), recorder=LITTLEFIELD),
        vital("rnd-ben-vs-weight-20261102", p, "weight", when, 9450, BEN_ENC, unit="g"),
        vital("rnd-ben-vs-height-20261102", p, "height", when, 73.5, BEN_ENC),
        vital("rnd-ben-vs-headcirc-20261102", p, "headcirc", when, 45.2, BEN_ENC),
        vital("rnd-ben-vs-hr-20261102", p, "hr", when, 118, BEN_ENC),
        vital("rnd-ben-vs-temp-20261102", p, "temp", when, 36.9, BEN_ENC),
        {"resourceType": "Immunization", "id": "rnd-ben-imm-hepb-20261102", "meta": meta(), "status": "completed",
         "vaccineCode": cc(CVX, "08", "hepatitis B vaccine, pediatric or pediatric/adolescent dosage",
                           "Hepatitis B vaccine, pediatric"),
         "patient": ref("Patient", p), "encounter": ref("Encounter", BEN_ENC),
         "occurrenceDateTime": dt("2026-11-02", "10:30"), "primarySource": True,
         "lotNumber": "SYNHEPB-26-117", "expirationDate": "2027-09-30",
         "site": cc(THO + "v3-ActSite", "LT", "left thigh", "Left thigh"),
         "route": cc(THO + "v3-RouteOfAdministration", "IM", "Injection, intramuscular", "Intramuscular"),
         "doseQuantity": qty(0.5, "mL"),
         "performer": [{"function": {"coding": [coding(THO + "v2-0443", "AP", "Administering Provider")]},
                        "actor": ref("Practitioner", LITTLEFIELD[0], LITTLEFIELD[1])}],
         "protocolApplied": [{"doseNumberPositiveInt": 3, "seriesDosesPositiveInt": 3}]},
    ]


# ---------------------------------------------------------------------------
# Patient 3: Cora May Lastday (deceased, no allergy information)

CORA = "rnd-cora-lastday"
CORA_ENC = "rnd-cora-enc-20260210-inpatient"


def cora_resources():
    p = CORA
    ev = ref("Practitioner", EVERGREEN[0], EVERGREEN[1])
    feb10 = "2026-02-10"

    def cora_lab(rid, loinc, display, text, date, hm, value, unit, low, high, interp, encounter=None):
        return lab(rid, p, loinc, display, text, dt(date, hm), ("q", value, unit, unit),
                   rr(low, high, unit, unit), interp, encounter=encounter, issued=dt(date, "14:00"))

    def stopped(rid, rx, rx_display, text, authored, sig):
        return medreq(rid, p, "stopped", authored, med_cc=cc(RXNORM, rx, rx_display, text), requester=ev,
                      status_reason="Patient deceased", dosage=[{"text": sig}])

    return [
        patient(p, [{"use": "official", "family": "Lastday", "given": ["Cora", "May"], "prefix": ["Mrs."]}],
                "female", "1931-11-30", "RND100103", address=address("9 Fictional Row", "Riverside Falls", "00003"),
                deceased="2026-02-14T09:30:00-05:00", gp=EVERGREEN, org=ORG_HOSP, marital=("W", "Widowed")),
        pract_evergreen(), org_hosp(),
        encounter(CORA_ENC, p, "IMP", "inpatient encounter", "32485007", "Hospital admission (procedure)",
                  "Hospital admission", dt(feb10, "16:20"), "2026-02-14T09:30:00-05:00", participant=EVERGREEN,
                  reason=cc(SNOMED, "42343007", "Congestive heart failure", "Worsening heart failure"),
                  provider=ORG_HOSP, location="Riverside General Hospital (synthetic), 3 East, Room 305",
                  hospitalization={"admitSource": {"coding": [coding(THO + "admit-source", "emd",
                                                                     "From accident/emergency department")]},
                                   "dischargeDisposition": {"coding": [coding(THO + "discharge-disposition", "exp",
                                                                              "Expired")], "text": "Expired"}}),
        condition("rnd-cora-cond-chf", p, "42343007", "Congestive heart failure", "Congestive heart failure", "active",
                  "confirmed", onset="2019-04-02", recorded="2019-04-02", icd=("I50.9", "Heart failure, unspecified"),
                  recorder=EVERGREEN),
        condition("rnd-cora-cond-afib", p, "49436004", "Atrial fibrillation", "Atrial fibrillation", "active",
                  "confirmed", onset="2017-08-15", recorded="2017-08-15",
                  icd=("I48.91", "Unspecified atrial fibrillation"), recorder=EVERGREEN),
        condition("rnd-cora-cond-dementia", p, "52448006", "Dementia", "Dementia", "active", "confirmed",
                  onset="2021-01-20", recorded="2021-01-20",
                  icd=("F03.90", "Unspecified dementia without behavioral disturbance"), recorder=EVERGREEN),
        condition("rnd-cora-cond-hip-fracture", p, "5913000", "Fracture of neck of femur",
                  "Fracture of neck of left femur", "resolved", "confirmed", onset="2023-08-11",
                  abatement="2023-12-01", recorded="2023-08-11", recorder=EVERGREEN),
        stopped("rnd-cora-mr-furosemide", "4603", "furosemide", "Furosemide 40 mg tablet", dt("2025-05-06", "11:00"),
                "Take 1 tablet by mouth every morning"),
        stopped("rnd-cora-mr-apixaban", "1364430", "apixaban", "Apixaban 2.5 mg tablet", dt("2024-02-11", "10:00"),
                "Take 1 tablet by mouth twice daily"),
        stopped("rnd-cora-mr-donepezil", "135447", "donepezil", "Donepezil 5 mg tablet", dt("2021-02-03", "09:30"),
                "Take 1 tablet by mouth at bedtime"),
        cora_lab("rnd-cora-lab-bnp-20251103", "30934-4", "Natriuretic peptide B [Mass/volume] in Serum or Plasma",
                 "BNP", "2025-11-03", "10:00", 680, "pg/mL", None, 100, "H"),
        cora_lab("rnd-cora-lab-bnp-20260210", "30934-4", "Natriuretic peptide B [Mass/volume] in Serum or Plasma",
                 "BNP", feb10, "17:05", 1250, "pg/mL", None, 100, "H", CORA_ENC),
        cora_lab("rnd-cora-lab-sodium-20260210", "2951-2", "Sodium [Moles/volume] in Serum or Plasma", "Sodium",
                 feb10, "17:05", 131, "mmol/L", 136, 145, "L", CORA_ENC),
        cora_lab("rnd-cora-lab-creatinine-20260210", "2160-0", "Creatinine [Mass/volume] in Serum or Plasma",
                 "Creatinine", feb10, "17:05", 1.8, "mg/dL", 0.6, 1.1, None, CORA_ENC),
    ]


# ---------------------------------------------------------------------------
# Patient 4: Dee Sparse (minimal record)

DEE = "rnd-dee-sparse"


def dee_resources():
    p = DEE
    return [
        {"resourceType": "Patient", "id": p, "meta": meta(), "identifier": [mrn_identifier("RND100104")],
         "name": [{"text": "Dee Sparse"}]},
        {"resourceType": "AllergyIntolerance", "id": "rnd-dee-alg-1", "meta": meta(),
         "code": {"text": "Shellfish"}, "patient": ref("Patient", p)},
        {"resourceType": "Observation", "id": "rnd-dee-obs-1", "meta": meta(), "status": "final",
         "category": copy.deepcopy(CAT_LAB), "code": {"text": "Glucose, capillary (meter)"},
         "subject": ref("Patient", p), "valueQuantity": {"value": 7}},
        {"resourceType": "MedicationRequest", "id": "rnd-dee-mr-1", "meta": meta(), "status": "active",
         "intent": "order", "medicationCodeableConcept": {"text": "Ibuprofen 200 mg tablet"},
         "subject": ref("Patient", p)},
    ]


# ---------------------------------------------------------------------------
# Patient 5: a different Ada Quinn Testwell (same name and birth date)

ADA2 = "rnd-ada-testwell-lookalike"


def ada2_resources():
    p = ADA2
    return [
        patient(p, [{"use": "official", "family": "Testwell", "given": ["Ada", "Quinn"], "prefix": ["Mrs."]}],
                "female", "1958-03-04", "RND100105",
                telecom=[{"system": "phone", "value": "555-0105", "use": "home"}],
                address=address("77 Hypothetical Street", "Lakeview Flats", "00005"), org=ORG_FP),
        org_fp(),
        condition("rnd-ada2-cond-knee-oa", p, "239873007", "Osteoarthritis of knee", "Osteoarthritis of right knee",
                  "active", "confirmed", onset="2020-06-30", recorded="2020-06-30",
                  icd=("M17.11", "Unilateral primary osteoarthritis, right knee"), recorder=None),
    ]


PATIENTS = [
    ("01-ada-testwell.json", ADA, ada_resources),
    ("02-ben-nkaman.json", BEN, ben_resources),
    ("03-cora-lastday.json", CORA, cora_resources),
    ("04-dee-sparse.json", DEE, dee_resources),
    ("05-ada-testwell-lookalike.json", ADA2, ada2_resources),
]


# ---------------------------------------------------------------------------
# bundles

def key_of(resource):
    return f"{resource['resourceType']}/{resource['id']}"


def walk_refs(node, fn):
    """Call fn(dict) for every dict that has a string 'reference' key."""
    if isinstance(node, dict):
        if isinstance(node.get("reference"), str):
            fn(node)
        for v in node.values():
            walk_refs(v, fn)
    elif isinstance(node, list):
        for v in node:
            walk_refs(v, fn)


def transaction(resources):
    seen = set()
    entries = []
    for r in resources:
        k = key_of(r)
        assert k not in seen, f"duplicate {k}"
        seen.add(k)
        entries.append({"fullUrl": "urn:uuid:" + fixed_uuid(k), "resource": r,
                        "request": {"method": "PUT", "url": k}})
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def collection(resources, bundle_id, timestamp):
    keys = {key_of(r): "urn:uuid:" + fixed_uuid(key_of(r)) for r in resources}
    entries = []
    for r in resources:
        r = copy.deepcopy(r)

        def rewrite(node):
            if node["reference"] in keys:
                node["reference"] = keys[node["reference"]]
        walk_refs(r, rewrite)
        entries.append({"fullUrl": keys[key_of(r)], "resource": r})
    return {"resourceType": "Bundle", "id": bundle_id, "type": "collection", "timestamp": timestamp,
            "entry": entries}


def searchset(resources, bundle_id, timestamp, self_url):
    entries = []
    for r in resources:
        r = copy.deepcopy(r)

        def rewrite(node):
            if re.fullmatch(r"[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}", node["reference"]):
                node["reference"] = f"{SEARCHSET_BASE}/{node['reference']}"
        walk_refs(r, rewrite)
        entries.append({"fullUrl": f"{SEARCHSET_BASE}/{key_of(r)}", "resource": r, "search": {"mode": "match"}})
    return {"resourceType": "Bundle", "id": bundle_id, "type": "searchset", "timestamp": timestamp,
            "total": len(entries), "link": [{"relation": "self", "url": self_url}], "entry": entries}


def dumps(obj):
    return json.dumps(obj, indent=1, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------
# validation

ALLOWED_DANGLING = {"Medication/med-not-in-bundle-0001"}
REL_REF = re.compile(r"^([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})$")


def validate_transaction(path):
    errors = []
    with open(path, encoding="utf-8") as fh:
        bundle = json.load(fh)
    if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
        return [f"{path}: not a transaction Bundle"]
    keys = set()
    fulls = set()
    for i, e in enumerate(bundle["entry"]):
        r = e["resource"]
        k = key_of(r)
        if e["request"] != {"method": "PUT", "url": k}:
            errors.append(f"{path}#{i}: request {e['request']} does not match {k}")
        if not re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                            e["fullUrl"]):
            errors.append(f"{path}#{i}: bad fullUrl {e['fullUrl']}")
        if k in keys or e["fullUrl"] in fulls:
            errors.append(f"{path}#{i}: duplicate {k}")
        keys.add(k)
        fulls.add(e["fullUrl"])
    patient_ids = {k for k in keys if k.startswith("Patient/")}
    for i, e in enumerate(bundle["entry"]):
        r = e["resource"]
        k = key_of(r)
        contained = {"#" + c["id"] for c in r.get("contained", [])}

        def check(node, i=i, contained=contained):
            v = node["reference"]
            if v.startswith("#"):
                if v not in contained:
                    errors.append(f"{path}#{i}: unresolved contained reference {v}")
            elif not REL_REF.match(v):
                errors.append(f"{path}#{i}: reference {v} is not Type/id")
            elif v not in keys and v not in ALLOWED_DANGLING:
                errors.append(f"{path}#{i}: unresolved reference {v}")
        walk_refs(r, check)
        if r["resourceType"] not in ("Patient", "Practitioner", "Organization", "Medication"):
            owner = r.get("patient") or r.get("subject")
            if not owner or owner.get("reference") not in patient_ids:
                errors.append(f"{path}#{i}: {k} does not point at its patient")
    return errors


def validate_collection(path):
    errors = []
    with open(path, encoding="utf-8") as fh:
        bundle = json.load(fh)
    fulls = {e["fullUrl"] for e in bundle["entry"]}
    for i, e in enumerate(bundle["entry"]):
        def check(node, i=i):
            v = node["reference"]
            if not v.startswith("#") and v not in fulls:
                errors.append(f"{path}#{i}: unresolved reference {v}")
        walk_refs(e["resource"], check)
    return errors


def validate_searchset(path):
    errors = []
    with open(path, encoding="utf-8") as fh:
        bundle = json.load(fh)
    fulls = {e["fullUrl"] for e in bundle["entry"]}
    for i, e in enumerate(bundle["entry"]):
        if e["fullUrl"] != f"{SEARCHSET_BASE}/{key_of(e['resource'])}":
            errors.append(f"{path}#{i}: fullUrl does not match the resource")

        def check(node, i=i):
            if node["reference"] not in fulls:
                errors.append(f"{path}#{i}: unresolved reference {node['reference']}")
        walk_refs(e["resource"], check)
    return errors


def validate_all():
    errors = []
    for name, _, _ in PATIENTS:
        errors += validate_transaction(os.path.join(CLINICAL, name))
    errors += validate_collection(os.path.join(BUNDLES, "collection-cora-lastday.json"))
    errors += validate_searchset(os.path.join(BUNDLES, "searchset-ben-nkaman.json"))
    with open(os.path.join(BUNDLES, "not-fhir.json"), encoding="utf-8") as fh:
        if "resourceType" in json.load(fh):
            errors.append("not-fhir.json looks like FHIR")
    try:
        with open(os.path.join(BUNDLES, "broken.json"), encoding="utf-8") as fh:
            json.load(fh)
        errors.append("broken.json parses")
    except ValueError:
        pass
    return errors


# ---------------------------------------------------------------------------
# README (expected values), computed from the same resources

def q_text(q):
    unit = q.get("unit", "")
    return f"{q.get('comparator', '')}{json.dumps(q['value'])} {unit}".strip()


def cc_text(c):
    if not c:
        return ""
    if c.get("text"):
        return c["text"]
    return next((x.get("display") for x in c.get("coding", []) if x.get("display")), "")


def status_code(c):
    return c["coding"][0]["code"] if c else "(absent)"


def range_text(r):
    if not r.get("referenceRange"):
        return "(none)"
    rng = r["referenceRange"][0]
    if "low" in rng and "high" in rng:
        return f"{json.dumps(rng['low']['value'])}-{json.dumps(rng['high']['value'])} {rng['low']['unit']}"
    if "low" in rng:
        return f"low {json.dumps(rng['low']['value'])} {rng['low']['unit']} (no high)"
    if "high" in rng:
        return f"high {json.dumps(rng['high']['value'])} {rng['high']['unit']} (no low)"
    return f"text only: `{rng['text']}`"


def obs_value(r):
    if "valueQuantity" in r:
        return q_text(r["valueQuantity"])
    if "valueCodeableConcept" in r:
        return f"valueCodeableConcept: `{cc_text(r['valueCodeableConcept'])}`"
    if "valueString" in r:
        return f"valueString: `{r['valueString']}`"
    if "dataAbsentReason" in r:
        d = r["dataAbsentReason"]
        return f"no value; dataAbsentReason `{d['coding'][0]['code']}` \"{d['text']}\""
    if "component" in r:
        return "/".join(json.dumps(c["valueQuantity"]["value"]) for c in r["component"]) + " mm[Hg]"
    return "(none)"


def expected_flag(r):
    """What a client should flag: the sent interpretation, else computed from value vs range."""
    if r.get("interpretation"):
        return r["interpretation"][0]["coding"][0]["code"], "sent"
    q = r.get("valueQuantity")
    rng = (r.get("referenceRange") or [{}])[0]
    if not q or not ("low" in rng or "high" in rng):
        return "(none)", "no range to compute from" if q else "not numeric"
    v = q["value"]
    if "low" in rng and v < rng["low"]["value"] and q.get("comparator") not in (">", ">="):
        return "L", "computed"
    if "high" in rng and v > rng["high"]["value"] and q.get("comparator") not in ("<", "<="):
        return "H", "computed"
    return "N", "computed"


def date_of(s):
    return s[:10] if s else "(none)"


def readme(all_resources):
    out = []
    w = out.append
    w("# Clinical fixtures: hand-made synthetic FHIR R4 patients\n")
    w("Generated by `scripts/make-clinical-fixtures.py` (standard-library Python; re-running it gives the same "
      "bytes). **Do not edit the JSON by hand**: change the script and re-run it. Every name, address, phone "
      "number and identifier is made up; no real person is described.\n")
    w("These five patients cover data shapes the Synthea fixtures in `../synthea/` lack, written the way US EHRs "
      "(Epic, Oracle Health, athenahealth) send FHIR R4 / US Core: entered-in-error records, provisional and "
      "resolved problems, `onsetString`, Medication resources (in the bundle, contained, and missing), "
      "structured-only dosage, PRN dosage, comparators, text-only reference ranges, `dataAbsentReason`, "
      "base64 notes (plain text with UTF-8, HTML, URL-only PDF), an infant, a deceased patient with no "
      "allergy list, a sparse record and a look-alike patient.\n")
    w("## Files\n")
    w("- `NN-*.json`: one FHIR R4 **transaction** Bundle per patient. Each entry has "
      "`request: {method: PUT, url: <Type>/<id>}` and `fullUrl: urn:uuid:<uuid>` (a fixed uuid4-form value "
      "derived from `<Type>/<id>`); references between entries are written `<Type>/<id>`. "
      "`../../scripts/fhir-server load` loads them (it loads `fixtures/synthea` and `fixtures/clinical`). "
      "Practitioner and Organization resources appear in every bundle that references them (same id, same "
      "content, so loading twice or in any order is harmless).")
    w("- `../bundles/collection-cora-lastday.json`: patient 3's resources as a Bundle of type `collection`; "
      "`fullUrl`s are the same `urn:uuid:` values and **every reference between entries is a `urn:uuid:`** "
      "(resource ids are kept but differ from the uuids, so a reader must resolve through `fullUrl`).")
    w(f"- `../bundles/searchset-ben-nkaman.json`: patient 2's resources as a `searchset` (`total` = number of "
      f"entries, every `search.mode` = `match`), `fullUrl`s and references absolute: "
      f"`{SEARCHSET_BASE}/<Type>/<id>`.")
    w("- `../bundles/not-fhir.json`: valid JSON, not FHIR (`{\"hello\": \"world\"}`).")
    w("- `../bundles/broken.json`: the first 300 bytes of the searchset file (truncated JSON, does not parse).\n")
    w("Every resource carries `meta.tag` "
      f"`{FIXTURE_TAG['system']}|{FIXTURE_TAG['code']}` (search with "
      f"`_tag={FIXTURE_TAG['system']}|{FIXTURE_TAG['code']}`). All dateTimes carry the US Eastern offset of "
      "their day (`-04:00` in summer time, `-05:00` otherwise); all clinical times are between 07:30 and "
      "18:40 local, so the local date and the UTC date agree. \"Today\" for ages is **2026-11-22**.\n")
    w("Common systems: MRN identifier `system` = `urn:oid:1.2.36.146.595.217.0.1` with `type.coding` "
      "`http://terminology.hl7.org/CodeSystem/v2-0203|MR`. Numbers below are written as in the JSON "
      "(`5.0` is the JSON literal `5.0`).\n")

    for name, pid, _ in PATIENTS:
        res = all_resources[name]
        pat = next(r for r in res if r["resourceType"] == "Patient")
        by_type = {}
        for r in res:
            by_type.setdefault(r["resourceType"], []).append(r)
        w(f"## `{name}`\n")
        w("| field | value |\n|---|---|")
        w(f"| Patient id | `{pid}` |")
        nm = pat["name"][0]
        if "family" in nm:
            w(f"| name | family `{nm['family']}`, given `{' '.join(nm['given'])}`"
              + (f", prefix `{nm['prefix'][0]}`" if nm.get("prefix") else "") + " (no `name.text`) |")
        else:
            w(f"| name | only `name[0].text` = `{nm['text']}` (no family, no given) |")
        w(f"| gender | {pat.get('gender', '(absent)')} |")
        w(f"| birthDate | {pat.get('birthDate', '(absent)')} |")
        if pat.get("deceasedDateTime"):
            w(f"| deceasedDateTime | `{pat['deceasedDateTime']}` |")
        mrn = next(i["value"] for i in pat["identifier"] if i.get("type"))
        w(f"| MRN | `{mrn}` |")
        others = [i for i in pat["identifier"] if not i.get("type")]
        for i in others:
            w(f"| other identifier (no `type`, listed **before** the MRN) | `{i['system']}` `{i['value']}` |")
        w(f"| entries | {len(res)}: " + ", ".join(f"{t} {len(v)}" for t, v in by_type.items()) + " |")
        w("")
        section = {
            "01-ada-testwell.json": ada_readme,
            "02-ben-nkaman.json": ben_readme,
            "03-cora-lastday.json": cora_readme,
            "04-dee-sparse.json": dee_readme,
            "05-ada-testwell-lookalike.json": ada2_readme,
        }[name]
        section(w, res, by_type)
    return "\n".join(out).rstrip() + "\n"


def allergy_table(w, allergies):
    w("| id | substance (code.text) | clinicalStatus | verificationStatus | type | category | criticality | "
      "reaction (severity) | counted? |")
    w("|---|---|---|---|---|---|---|---|---|")
    for a in allergies:
        clinical = status_code(a.get("clinicalStatus"))
        ver = status_code(a.get("verificationStatus"))
        counted = "yes" if clinical == "active" and ver != "entered-in-error" else "no"
        if ver == "entered-in-error":
            counted = "**no, entered-in-error: never show or count**"
        elif clinical == "inactive":
            counted = "no (inactive)"
        reac = "; ".join(f"{cc_text(m)} ({x.get('severity', '-')})" for x in a.get("reaction", [])
                         for m in x["manifestation"]) or "-"
        w(f"| `{a['id']}` | {cc_text(a['code'])} | {clinical} | {ver} | {a.get('type', '-')} | "
          f"{', '.join(a.get('category', [])) or '-'} | {a.get('criticality', '-')} | {reac} | {counted} |")
    w("")


def condition_table(w, conds):
    w("| id | code.text | SNOMED | clinicalStatus | verificationStatus | onset | abatement | show? |")
    w("|---|---|---|---|---|---|---|---|")
    for c in conds:
        clinical = status_code(c.get("clinicalStatus"))
        ver = status_code(c.get("verificationStatus"))
        onset = c.get("onsetDateTime") or (f"onsetString `{c['onsetString']}`" if c.get("onsetString") else "-")
        show = {"active": "active list", "resolved": "resolved/past"}.get(clinical, "-")
        if ver == "entered-in-error":
            show = "**never (entered-in-error)**"
        elif ver == "provisional":
            show += " (mark provisional)"
        w(f"| `{c['id']}` | {c['code']['text']} | {c['code']['coding'][0]['code']} | {clinical} | {ver} | "
          f"{onset} | {c.get('abatementDateTime', '-')} | {show} |")
    w("")


def lab_tables(w, obs, title="Laboratory"):
    labs = [o for o in obs if o["category"][0]["coding"][0]["code"] == "laboratory"]
    w(f"{title} observations, every one (newest first):\n")
    w("| id | code.text | LOINC | effective | status | value | referenceRange | interpretation sent | "
      "expected flag |")
    w("|---|---|---|---|---|---|---|---|---|")
    for o in sorted(labs, key=lambda o: o.get("effectiveDateTime", ""), reverse=True):
        sent = o["interpretation"][0]["coding"][0]["code"] if o.get("interpretation") else "-"
        flag, why = expected_flag(o)
        if o["status"] == "entered-in-error":
            flag, why = "**ignore: entered-in-error**", ""
        w(f"| `{o['id']}` | {o['code']['text']} | {o['code']['coding'][0]['code'] if o['code'].get('coding') else '-'}"
          f" | {o.get('effectiveDateTime', '(none)')} | {o['status']} | {obs_value(o)} | {range_text(o)} | {sent} | "
          f"{flag}{' (' + why + ')' if why else ''} |")
    w("")
    latest = {}
    for o in labs:
        if o["status"] == "entered-in-error":
            continue
        k = o["code"]["text"]
        if k not in latest or o["effectiveDateTime"] > latest[k]["effectiveDateTime"]:
            latest[k] = o
    w("Newest value per test (entered-in-error excluded), alphabetical by `code.text`:\n")
    w("| test | date | value | range | flag |")
    w("|---|---|---|---|---|")
    for k in sorted(latest):
        o = latest[k]
        flag, why = expected_flag(o)
        w(f"| {k} | {date_of(o['effectiveDateTime'])} | {obs_value(o)} | {range_text(o)} | {flag} ({why}) |")
    w("")


def vitals_table(w, obs):
    vit = [o for o in obs if o["category"][0]["coding"][0]["code"] == "vital-signs"]
    dates = sorted({o["effectiveDateTime"] for o in vit}, reverse=True)
    names = []
    for o in vit:
        if o["code"]["text"] not in names:
            names.append(o["code"]["text"])
    w("Vital signs (category `vital-signs`), newest date first; unit shown is `valueQuantity.unit` "
      "(= UCUM code):\n")
    w("| vital | LOINC | " + " | ".join(date_of(d) for d in dates) + " |")
    w("|---|---|" + "---|" * len(dates))
    for n in names:
        row = []
        loinc = ""
        for d in dates:
            o = next((x for x in vit if x["code"]["text"] == n and x["effectiveDateTime"] == d), None)
            if o is None:
                row.append("-")
                continue
            loinc = o["code"]["coding"][0]["code"]
            v = obs_value(o)
            if "component" in o and o["component"][0].get("interpretation"):
                v += " (systolic interpretation H)"
            row.append(v)
        w(f"| {n} | {loinc} | " + " | ".join(row) + " |")
    w("")


def med_table(w, meds, res):
    by_key = {key_of(r): r for r in res}
    w("| # | id | status | authoredOn | medication (as a client should name it) | how the medication is given | "
      "dosage | requester |")
    w("|---|---|---|---|---|---|---|---|")
    ordered = sorted(meds, key=lambda m: m.get("authoredOn", ""), reverse=True)
    for n, m in enumerate(ordered, 1):
        if "medicationCodeableConcept" in m:
            how = "medicationCodeableConcept"
            nm = cc_text(m["medicationCodeableConcept"])
        else:
            target = m["medicationReference"]["reference"]
            if target.startswith("#"):
                med = next(c for c in m["contained"] if "#" + c["id"] == target)
                how = f"medicationReference `{target}` (contained Medication)"
                nm = cc_text(med["code"])
            elif target in by_key:
                how = f"medicationReference `{target}` (in bundle)"
                nm = cc_text(by_key[target]["code"])
            else:
                how = f"medicationReference `{target}` **not in bundle**; only `display`"
                nm = m["medicationReference"]["display"]
        d = (m.get("dosageInstruction") or [None])[0]
        if d is None:
            dosage = "(no dosageInstruction)"
        elif d.get("text"):
            dosage = f"text: \"{d['text']}\""
        else:
            dosage = "structured only: " + sig_parts(d)
        req = m.get("requester")
        req = "-" if not req else (req["display"] + (" (display only, no reference)" if "reference" not in req
                                                      else ""))
        w(f"| {n} | `{m['id']}` | {m['status']} | {m.get('authoredOn', '(absent)')} | {nm} | {how} | {dosage} | "
          f"{req} |")
    w("")


def sig_parts(d):
    parts = []
    for dr in d.get("doseAndRate", []):
        q = dr["doseQuantity"]
        parts.append(f"doseQuantity `{json.dumps(q['value'])}` unit `{q['unit']}` (code `{q['code']}`)")
    if d.get("route"):
        parts.append(f"route `{d['route']['coding'][0]['display']}`")
    t = d.get("timing", {})
    if t.get("repeat"):
        rp = t["repeat"]
        parts.append(f"timing frequency {rp['frequency']} per {rp['period']} {rp['periodUnit']}")
    if t.get("code"):
        parts.append(f"timing.code.text `{t['code']['text']}`")
    if d.get("asNeededCodeableConcept"):
        parts.append(f"asNeededCodeableConcept.text `{d['asNeededCodeableConcept']['text']}`")
    return "; ".join(parts)


def imm_table(w, imms):
    w("| id | vaccine (vaccineCode.text) | CVX | status | occurrence | details |")
    w("|---|---|---|---|---|---|")
    for i in sorted(imms, key=lambda i: i["occurrenceDateTime"], reverse=True):
        det = []
        if i.get("statusReason"):
            det.append(f"statusReason `{i['statusReason']['coding'][0]['code']}` ({cc_text(i['statusReason'])})")
        if i.get("lotNumber"):
            det.append(f"lot `{i['lotNumber']}`")
        if i.get("site"):
            det.append(f"site {i['site']['coding'][0]['display']}")
        if i.get("route"):
            det.append(f"route {i['route']['coding'][0]['code']}")
        if i.get("doseQuantity"):
            det.append(f"dose {q_text(i['doseQuantity'])}")
        for pa in i.get("protocolApplied", []):
            det.append(f"doseNumberPositiveInt {pa['doseNumberPositiveInt']}")
        w(f"| `{i['id']}` | {cc_text(i['vaccineCode'])} | {i['vaccineCode']['coding'][0]['code']} | {i['status']} | "
          f"{i['occurrenceDateTime']} | {'; '.join(det)} |")
    w("")


def enc_table(w, encs):
    w("| id | class | type.text | period | location / notes |")
    w("|---|---|---|---|---|")
    for e in sorted(encs, key=lambda e: e["period"]["start"], reverse=True):
        notes = []
        if e.get("location"):
            notes.append(f"location display `{e['location'][0]['location']['display']}`")
        if e.get("participant"):
            notes.append(f"participant {e['participant'][0]['individual']['display']}")
        if e.get("serviceProvider"):
            notes.append(f"serviceProvider {e['serviceProvider']['display']}")
        if e.get("hospitalization", {}).get("dischargeDisposition"):
            notes.append(f"dischargeDisposition `{e['hospitalization']['dischargeDisposition']['coding'][0]['code']}`")
        w(f"| `{e['id']}` | {e['class']['code']} | {e['type'][0]['text']} | {e['period']['start']} to "
          f"{e['period']['end']} | {'; '.join(notes)} |")
    w("")


def ada_readme(w, res, by_type):
    w("Age on 2026-11-22: **68**. General practitioner: Dr. Imani Okafor-Sample (`Practitioner/rnd-pract-okafor`); "
      "managingOrganization Riverside Family Practice (synthetic).\n")
    w("### Allergies\n")
    allergy_table(w, by_type["AllergyIntolerance"])
    w("Expected: **2 active allergies counted** (Penicillin, Latex); **highest criticality `high`** (Penicillin, "
      "anaphylaxis, severe). Codeine is inactive (an intolerance); Sulfonamide is entered-in-error and must not "
      "appear anywhere. Note: entered-in-error records carry no `clinicalStatus` (R4 invariants ait-2, con-5).\n")
    w("### Problems (all category `problem-list-item`)\n")
    condition_table(w, by_type["Condition"])
    w("Expected active problems: Type 2 diabetes mellitus, Essential hypertension, Chronic kidney disease stage 3 "
      "(provisional), Seasonal allergic rhinitis (onset \"Childhood\"). Resolved: Community acquired pneumonia "
      "(2025-01-10 to 2025-02-02). Never: Asthma.\n")
    w("### Medications (MedicationRequest, intent `order`), authoredOn newest first\n")
    med_table(w, by_type["MedicationRequest"], res)
    w("Expected **active** medications, authoredOn newest first (5): Oxycodone 5 mg tablet (2026-10-20), "
      "Lisinopril 10 mg tablet (2025-09-12), Vitamin D3 1000 unit capsule (2024-11-05; its Medication is not in "
      "the bundle), Potassium chloride 20 mEq/15 mL oral solution (2024-08-20), Metformin hydrochloride 500 MG "
      "Oral Tablet (2024-03-02). Not active: Insulin glargine (`on-hold`), Azithromycin (`completed`), "
      "Atorvastatin (`stopped`).\n")
    w("Built sigs (from structured dosage, no text):\n")
    w("| medication | dose | route | frequency | as needed |")
    w("|---|---|---|---|---|")
    w("| Lisinopril 10 mg tablet | 10 mg | oral (`Oral route`) | once daily (1 per 1 d) | - |")
    w("| Oxycodone 5 mg tablet | 0.5 tablet (leading zero kept: `0.5`, not `.5`) | oral | every 6 hours "
      "(1 per 6 h) | as needed for pain |")
    w("| Insulin glargine 100 unit/mL pen | 12 units (unit `units`, UCUM `[iU]`) | subcutaneous | at bedtime "
      "(timing.code.text only) | - |")
    w("| Potassium chloride 20 mEq/15 mL oral solution | **5 mmol** (JSON `5.0`: no trailing `.0` shown) | oral | "
      "twice daily (2 per 1 d) | - |")
    w("")
    w("Metformin also has structured fields (1 tablet, oral, 2 per 1 d, when `C`, timing.code BID) but its "
      "`dosageInstruction.text` \"Take 1 tablet by mouth twice daily with meals\" should be shown. Metformin's "
      "Medication (`Medication/rnd-med-metformin-500`, RxNorm 861007, form Tablet, ingredient metformin 500 mg per "
      "1 tablet) is a separate bundle entry; `MedicationRequest?patient=rnd-ada-testwell&_include="
      "MedicationRequest:medication` returns it. Lisinopril's Medication is contained (`#med-lisinopril`, RxNorm "
      "314076). Insulin's `dispenseRequest.numberOfRepeatsAllowed` = 3. Atorvastatin's requester is only "
      "`{display: \"Dr. Hal Formerly-Seen (outside prescriber)\"}`.\n")
    w("### Laboratory\n")
    lab_tables(w, by_type["Observation"])
    w("Notes: HbA1c trend 8.4 (2025-03-10) -> 7.9 (2025-09-12) -> 7.2 (2026-10-20); creatinine trend 1.2 -> 1.1 -> "
      "1.4. Potassium: 6.8 `HH` (critical) on 2026-06-01, 5.0 `N` on 2026-10-20, and a **newer** 2.1 `LL` on "
      "2026-10-21 with status `entered-in-error` that must be ignored (so the newest potassium is 5.0). "
      "Hemoglobin 11.2 is `preliminary` (show it, marked preliminary). TSH unit is `mIU/L` (UCUM `m[IU]/L`). "
      "CRP is `<0.3 mg/L` (`comparator` `<`).\n")
    w("### Vital signs\n")
    vitals_table(w, by_type["Observation"])
    w("Newest (2026-10-20): BP **142/88 mm[Hg]** (systolic component interpretation `H`; diastolic none), HR 78 "
      "/min, RR 16 /min, temperature 37.1 Cel, SpO2 96 %, weight 82.5 kg, height 165 cm, BMI 30.3 kg/m2. "
      "Weight trend 86.0 -> 84.2 -> 82.5 kg. SpO2 `code.coding` = LOINC 59408-5 and 2708-6.\n")
    w("### Encounters\n")
    enc_table(w, by_type["Encounter"])
    w("### Immunizations\n")
    imm_table(w, by_type["Immunization"])
    w("The pneumococcal record is `not-done` (statusReason v3-ActReason `PATOBJ`): show as declined / not given.\n")
    w("### Notes and reports\n")
    w("| id | resource | type / code | date | title (`attachment.title`) | description / conclusion | content |")
    w("|---|---|---|---|---|---|---|")
    for d in by_type["DocumentReference"]:
        a = d["content"][0]["attachment"]
        content = (f"`{a['contentType']}`, base64 `data` ({a['size']} bytes)" if "data" in a
                   else f"`{a['contentType']}` by `url` only (no data): list it, don't show content")
        w(f"| `{d['id']}` | DocumentReference | {d['type']['text']} (LOINC {d['type']['coding'][0]['code']}) | "
          f"{d['date']} | {a['title']} | {d['description']} | {content} |")
    for d in by_type["DiagnosticReport"]:
        if d.get("presentedForm"):
            a = d["presentedForm"][0]
            content = f"conclusion + presentedForm `{a['contentType']}` base64 ({a['size']} bytes)"
            title = a["title"]
        elif d.get("result"):
            content = "`result` -> " + ", ".join(r["display"] for r in d["result"]) + " (no text, no conclusion)"
            title = "-"
        else:
            content = "only `text.div` (generated XHTML narrative: a table)"
            title = "-"
        w(f"| `{d['id']}` | DiagnosticReport ({d['category'][0]['coding'][0]['code']}) | {d['code']['text']} (LOINC "
          f"{d['code']['coding'][0]['code']}) | {d['effectiveDateTime']} | {title} | {d.get('conclusion', '-')} | "
          f"{content} |")
    w("")
    first = PROGRESS_NOTE.splitlines()
    blanks = [str(n) for n, line in enumerate(first, 1) if not line.strip()]
    w(f"Progress note text (decoded, UTF-8, {len(first)} lines ending in a newline, blank lines at lines "
      f"{', '.join(blanks)}, contains `café`); first line:\n")
    w(f"    {first[0]}\n")
    w("Discharge summary HTML contains `<h1>Discharge Summary</h1>`, two `<h2>`s (\"Hospital course\", "
      "\"Discharge instructions\"), a `<ul>` of 3 `<li>`, and the entities `&amp;` (fever & cough), `&gt;`, "
      "`&nbsp;`, `&deg;`, `&ndash;`. Rendered as text it should read e.g. \"Admitted from the emergency "
      "department with fever & cough.\"\n")
    w(f"Chest X-ray conclusion: \"{CXR_CONCLUSION}\"\n")


def ben_readme(w, res, by_type):
    w("Age on 2026-11-22: **11 months** (born 2025-12-01). Contact: mother Abena Nkaman. "
      "General practitioner Dr. Tova Littlefield-Sample.\n")
    w("- Allergies: one AllergyIntolerance `rnd-ben-alg-nka`, code SNOMED `716186003` \"No known allergy\" "
      "(text \"No Known Allergies\"), clinicalStatus active, verification confirmed, no category/criticality. "
      "Expected display: **\"No known allergies\"** (an assertion of none; count of real allergies = 0).")
    w("- Problems: " + "; ".join(f"{c['code']['text']} ({status_code(c['clinicalStatus'])}, onset "
                                  f"{c['onsetDateTime']})" for c in by_type["Condition"]) + ".")
    w("- Medications: **none** (no MedicationRequest at all).")
    w("- Encounter: " + "; ".join(f"`{e['id']}` {e['class']['code']} {e['type'][0]['text']} {e['period']['start']}"
                                   for e in by_type["Encounter"]) + ".")
    w("- Immunization: " + "; ".join(f"{cc_text(i['vaccineCode'])} (CVX {i['vaccineCode']['coding'][0]['code']}), "
                                     f"{i['status']}, {i['occurrenceDateTime']}, dose number 3 of 3"
                                     for i in by_type["Immunization"]) + ".\n")
    vitals_table(w, by_type["Observation"])
    w("Weight is in grams (`9450 g`, UCUM `g`) - a client that converts should show 9.45 kg. Head circumference "
      "is LOINC 9843-4.\n")


def cora_readme(w, res, by_type):
    w("Deceased: `deceasedDateTime` 2026-02-14T09:30:00-05:00; age at death **94**. A client should show her as "
      "deceased with the date of death. (She would also be 94 on 2026-11-22, so assert the deceased marker / "
      "date, not the number.)\n")
    w("- **No AllergyIntolerance resources at all**: a client must show \"No allergy information\" (unknown), "
      "**not** \"No known allergies\".")
    w("- Encounter: " + "; ".join(f"`{e['id']}` {e['class']['code']} {e['period']['start']} to {e['period']['end']}, "
                                   f"dischargeDisposition `exp` (Expired)" for e in by_type["Encounter"]) + ".\n")
    w("Problems:\n")
    condition_table(w, by_type["Condition"])
    w("Medications (all `stopped`, statusReason text \"Patient deceased\"; none active):\n")
    med_table(w, by_type["MedicationRequest"], res)
    lab_tables(w, by_type["Observation"])


def dee_readme(w, res, by_type):
    w("A minimal record; every optional element a client might rely on is missing.\n")
    w("- Patient: only `id`, `meta`, the MRN identifier and `name[0].text` \"Dee Sparse\". **No gender, no "
      "birthDate** (show unknown, compute no age), no `active`.")
    w("- AllergyIntolerance `rnd-dee-alg-1`: `code.text` \"Shellfish\" only (no coding), **no clinicalStatus, no "
      "verificationStatus, no criticality, no category, no type**. (Strictly, R4 invariant ait-1 wants a "
      "clinicalStatus here; real feeds still send this.) Expected: listed as \"Shellfish\" with unknown "
      "status/criticality.")
    w("- Observation `rnd-dee-obs-1`: status final, category laboratory, `code.text` \"Glucose, capillary "
      "(meter)\" only, `valueQuantity` `{\"value\": 7}` with **no unit/system/code**, **no effective[x]**, no range, "
      "no interpretation. Expected display `7` with no unit and no flag.")
    w("- MedicationRequest `rnd-dee-mr-1`: status active, intent order, `medicationCodeableConcept.text` "
      "\"Ibuprofen 200 mg tablet\" only; **no dosageInstruction, no authoredOn, no requester, no category**.")
    w("- No Condition, Encounter, Immunization or document resources.\n")


def ada2_readme(w, res, by_type):
    w("A **different** patient with the same name, gender and birth date as patient 1 (`rnd-ada-testwell`, MRN "
      "RND100101). Searching `name=Testwell` or `family=Testwell&birthdate=1958-03-04` returns both; a client "
      "should warn about look-alikes and tell them apart by MRN (and address: 77 Hypothetical Street, Lakeview "
      "Flats vs 12 Imaginary Lane, Riverside Falls).\n")
    w("- Problems: " + "; ".join(f"{c['code']['text']} (SNOMED {c['code']['coding'][0]['code']}, "
                                  f"{status_code(c['clinicalStatus'])}, onset {c['onsetDateTime']})"
                                  for c in by_type["Condition"]) + " (patient 1 has no such problem).")
    w("- No allergies, medications, observations or encounters (no AllergyIntolerance: \"No allergy "
      "information\").\n")


# ---------------------------------------------------------------------------

def main(argv):
    if argv[1:] == ["--check"]:
        errors = validate_all()
        for e in errors:
            print("ERROR", e, file=sys.stderr)
        print("ok" if not errors else f"{len(errors)} errors")
        return 1 if errors else 0
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    os.makedirs(CLINICAL, exist_ok=True)
    os.makedirs(BUNDLES, exist_ok=True)
    written = []

    def write(path, text):
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        written.append(os.path.relpath(path, ROOT))

    all_resources = {}
    for name, _, build in PATIENTS:
        res = build()
        all_resources[name] = res
        write(os.path.join(CLINICAL, name), dumps(transaction(res)))

    stamp = "2026-11-20T12:00:00-05:00"
    write(os.path.join(BUNDLES, "collection-cora-lastday.json"),
          dumps(collection(cora_resources(), "rnd-collection-cora-lastday", stamp)))
    ss = dumps(searchset(ben_resources(), "rnd-searchset-ben-nkaman", stamp,
                         f"{SEARCHSET_BASE}/Patient/{BEN}/$everything"))
    write(os.path.join(BUNDLES, "searchset-ben-nkaman.json"), ss)
    write(os.path.join(BUNDLES, "not-fhir.json"), dumps({"hello": "world"}))
    write(os.path.join(BUNDLES, "broken.json"), ss.encode("utf-8")[:300].decode("utf-8", "ignore"))
    write(os.path.join(CLINICAL, "README.md"), readme(all_resources))

    errors = validate_all()
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    for p in written:
        print("wrote", p)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
