#!/usr/bin/env python3
"""Write rounds' hand-made SYNTHETIC fixture for the chart's newer resource types (issue 11).

    python3 scripts/make-resource-fixtures.py [--check]

Writes (deterministically: re-running gives identical bytes) one FHIR R4 *transaction*
Bundle in the style of scripts/make-clinical-fixtures.py (whose helpers it imports):
every entry `PUT <Type>/<id>`, fullUrl `urn:uuid:<fixed uuid>`, references `<Type>/<id>`,
every resource tagged `https://rounds.example.org/fhir/fixture|clinical-synthetic`:

  fixtures/clinical/11-ida-surgwell.json

Patient `rnd-ida-surgwell` (Ida Zz Surgwell, female, born 1949-05-20, MRN RND100111):

- Flags: active high-priority (flag-priority PH) "Patient immunocompromised (finding)"
  since 2025-06-01; active "Interpreter needed" (admin); inactive "Fall risk"; expired
  "Wandering risk" (period ended 2024-03-01); an entered-in-error flag (never shown).
- Advance directive: a DocumentReference in category LOINC 42348-3, type 84095-9 "Do not
  resuscitate", text/plain; an Observation 75320-2 valued SNOMED 304253006 "Not for
  resuscitation" (no category). Expected postings: the immunocompromised flag (high), then
  "DNR" (both ids), then "Interpreter needed".
- Medications: MedicationStatement of anastrozole 1 mg via a Medication resource (RxNorm
  199224), active since 2021-03 -> a statement row; a MedicationStatement of lisinopril
  10 mg (RxNorm 314076) active since 2023-01 AND an active MedicationRequest of the same
  code from 2024-02-01 -> one row "order + statement"; a not-taken statement of ibuprofen;
  an entered-in-error statement (never shown); a MedicationRequest reportedBoolean true
  (St John's wort) -> "reported"; the lisinopril order's reasonReference names
  Condition "Essential hypertension" -> reason "Essential hypertension".
- Procedures: appendectomy (performedDateTime 1968), laparoscopic cholecystectomy
  (performedPeriod 2012-06-18), pacemaker insertion 2021-11-03 (bodySite, outcome,
  focalDevice -> Device), knee replacement not-done (statusReason "Patient declined"),
  an entered-in-error procedure (never shown). Device: pacemaker, active, with UDI.
- Reports: a radiology DiagnosticReport whose presentedForm is `application/xhtml` (no
  +xml), with a conclusion and a result Observation in category imaging ("Impression");
  a laboratory DiagnosticReport whose results are two lab Observations (sodium 131 mmol/L
  L, potassium 4.2 mmol/L). A DocumentReference `text/plain; charset="ISO-8859-1"`.

--check only validates the file on disk and writes nothing. Standard library only.
"""
import base64
import importlib.util
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "clinical", os.path.join(ROOT, "scripts", "make-clinical-fixtures.py"))
C = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(C)

NAME = "11-ida-surgwell.json"
PATH = os.path.join(C.CLINICAL, NAME)
P = "rnd-ida-surgwell"
RXNORM, SNOMED, LOINC, THO = C.RXNORM, C.SNOMED, C.LOINC, C.THO
PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority"


def subject():
    return C.ref("Patient", P)


def flag(rid, status, text, category, period=None, high=False, display=None):
    r = {"resourceType": "Flag", "id": rid, "meta": C.meta()}
    if high:
        r["extension"] = [{"url": PRIORITY, "valueCodeableConcept": {
            "coding": [C.coding("http://hl7.org/fhir/flag-priority-code", "PH", "High priority")]}}]
    r["status"] = status
    r["category"] = [C.cc(THO + "flag-category", category, category.capitalize(),
                          category.capitalize())]
    r["code"] = {"coding": [C.coding(SNOMED, "370388006", display)], "text": text} if display \
        else {"text": text}
    r["subject"] = subject()
    if period:
        r["period"] = period
    return r


def statement(rid, status, med, start=None, dosage=None):
    r = {"resourceType": "MedicationStatement", "id": rid, "meta": C.meta(), "status": status}
    r.update(med)
    r["subject"] = subject()
    if start:
        r["effectivePeriod"] = {"start": start}
    r["dateAsserted"] = C.dt("2026-10-01", "09:00")
    r["informationSource"] = C.ref("Patient", P)
    if dosage:
        r["dosage"] = [{"text": dosage}]
    return r


def rx(code, display, text):
    return {"medicationCodeableConcept": C.cc(RXNORM, code, display, text)}


def procedure(rid, status, code, display, text, **extra):
    r = {"resourceType": "Procedure", "id": rid, "meta": C.meta(), "status": status,
         "category": C.cc(SNOMED, "387713003", "Surgical procedure"),
         "code": C.cc(SNOMED, code, display, text), "subject": subject()}
    r.update(extra)
    return r


def lab(rid, loinc, text, value, unit, low, high, interp=None):
    r = {"resourceType": "Observation", "id": rid, "meta": C.meta(), "status": "final",
         "category": [dict(c) for c in C.CAT_LAB], "code": C.cc(LOINC, loinc, text, text),
         "subject": subject(), "effectiveDateTime": C.dt("2026-09-14", "08:30"),
         "valueQuantity": C.qty(value, unit),
         "referenceRange": [{"low": C.qty(low, unit), "high": C.qty(high, unit)}]}
    if interp:
        r["interpretation"] = [C.cc(C.INTERP, interp, C.INTERP_DISPLAY[interp])]
    return r


XR_HTML = ("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h2>XR chest, one view</h2>"
           "<p>Indication: cough.</p><p>Findings: lungs clear; pacemaker leads in place.</p>"
           "<p>Impression: no acute abnormality. Synthetic test report.</p></body></html>")
DNR_TEXT = ("DO NOT RESUSCITATE. Synthetic test document: in the event of cardiopulmonary arrest, "
            "do not attempt CPR. Signed by the patient and her physician.\n")
LETTER = "Letter from the clinic in Montr\u00e9al: allergy review, no change. Synthetic.\n"


def resources():
    p = P
    ada_doc = C.attachment("text/plain", DNR_TEXT, "DNR order", C.dt("2025-06-02", "10:00"))
    letter = {"contentType": "text/plain; charset=\"ISO-8859-1\"", "language": "en-US",
              "data": base64.b64encode(LETTER.encode("latin-1")).decode("ascii"),
              "title": "Clinic letter"}
    xr = {"contentType": "application/xhtml", "data": base64.b64encode(XR_HTML.encode()).decode(),
          "title": "XR chest report"}
    return [
        C.patient(p, [{"use": "official", "family": "Surgwell", "given": ["Ida", "Zz"]}], "female",
                  "1949-05-20", "RND100111",
                  address=C.address("11 Fictional Row", "Lakeview Flats", "00011")),
        flag("rnd-ida-flag-immuno", "active", "Patient immunocompromised (finding)", "clinical",
             {"start": "2025-06-01"}, high=True, display="Patient immunocompromised (finding)"),
        flag("rnd-ida-flag-interpreter", "active", "Interpreter needed", "admin",
             {"start": "2024-01-10"}),
        flag("rnd-ida-flag-fall", "inactive", "Fall risk", "safety",
             {"start": "2020-01-05", "end": "2021-02-01"}),
        flag("rnd-ida-flag-wander", "active", "Wandering risk", "behavioral",
             {"start": "2023-01-01", "end": "2024-03-01"}),
        flag("rnd-ida-flag-eie", "entered-in-error", "Wrong patient's flag", "clinical"),
        {"resourceType": "DocumentReference", "id": "rnd-ida-doc-dnr", "meta": C.meta(),
         "status": "current", "docStatus": "final",
         "type": C.cc(LOINC, "84095-9", "Do not resuscitate", "Do Not Resuscitate"),
         "category": [C.cc(LOINC, "42348-3", "Advance healthcare directives", "Advance Directives")],
         "subject": subject(), "date": C.dt("2025-06-02", "10:00"),
         "author": [C.ref("Practitioner", C.OKAFOR[0], C.OKAFOR[1])],
         "content": [{"attachment": ada_doc}]},
        {"resourceType": "Observation", "id": "rnd-ida-obs-code-status", "meta": C.meta(),
         "status": "final", "code": C.cc(LOINC, "75320-2", "Advance directive", "Advance directive"),
         "subject": subject(), "effectiveDateTime": C.dt("2025-06-02", "10:05"),
         "valueCodeableConcept": C.cc(SNOMED, "304253006", "Not for resuscitation",
                                      "DNR - Do not resuscitate")},
        C.pract_okafor(),
        {"resourceType": "Condition", "id": "rnd-ida-cond-htn", "meta": C.meta(),
         "clinicalStatus": C.clinical_status("condition", "active"),
         "verificationStatus": C.verification_status("condition", "confirmed"),
         "category": [dict(c) for c in C.CAT_PROBLEM],
         "code": C.cc(SNOMED, "59621000", "Essential hypertension", "Essential hypertension"),
         "subject": subject(), "onsetDateTime": "2022-11-01"},
        {"resourceType": "Medication", "id": "rnd-med-anastrozole-1",
         "meta": C.meta(), "code": C.cc(RXNORM, "199224", "anastrozole 1 MG Oral Tablet",
                                        "Anastrozole 1 mg tablet")},
        statement("rnd-ida-ms-anastrozole", "active",
                  {"medicationReference": C.ref("Medication", "rnd-med-anastrozole-1")},
                  "2021-03", "1 tablet by mouth once daily"),
        statement("rnd-ida-ms-lisinopril", "active",
                  rx("314076", "lisinopril 10 MG Oral Tablet", "Lisinopril 10 mg tablet"),
                  "2023-01", "1 tablet every morning"),
        statement("rnd-ida-ms-ibuprofen", "not-taken",
                  rx("310965", "ibuprofen 200 MG Oral Tablet", "Ibuprofen 200 mg tablet"),
                  "2026-01"),
        statement("rnd-ida-ms-eie", "entered-in-error",
                  rx("197361", "amlodipine 5 MG Oral Tablet", "Amlodipine 5 mg tablet")),
        {"resourceType": "MedicationRequest", "id": "rnd-ida-mr-lisinopril", "meta": C.meta(),
         "status": "active", "intent": "order",
         **rx("314076", "lisinopril 10 MG Oral Tablet", "Lisinopril 10 mg tablet"),
         "subject": subject(), "authoredOn": C.dt("2024-02-01", "09:30"),
         "requester": C.ref("Practitioner", C.OKAFOR[0], C.OKAFOR[1]),
         "reasonReference": [C.ref("Condition", "rnd-ida-cond-htn")],
         "dosageInstruction": [{"text": "Take 1 tablet by mouth every morning"}]},
        {"resourceType": "MedicationRequest", "id": "rnd-ida-mr-st-johns-wort", "meta": C.meta(),
         "status": "active", "intent": "plan", "reportedBoolean": True,
         "medicationCodeableConcept": {"text": "St John's wort 300 mg capsule"},
         "subject": subject(), "authoredOn": C.dt("2025-11-03", "11:00"),
         "requester": C.ref("Patient", p, "Ida Surgwell (self)"),
         "dosageInstruction": [{"text": "1 capsule daily"}]},
        procedure("rnd-ida-proc-appendectomy", "completed", "80146002", "Appendectomy",
                  "Appendectomy", performedDateTime="1968"),
        procedure("rnd-ida-proc-chole", "completed", "45595009", "Laparoscopic cholecystectomy",
                  "Laparoscopic cholecystectomy",
                  performedPeriod={"start": C.dt("2012-06-18", "08:10"),
                                   "end": C.dt("2012-06-18", "09:40")}),
        procedure("rnd-ida-proc-pacemaker", "completed", "175135009",
                  "Insertion of cardiac pacemaker", "Permanent pacemaker insertion",
                  performedDateTime=C.dt("2021-11-03", "10:00"),
                  bodySite=[C.cc(SNOMED, "80891009", "Heart structure", "Heart")],
                  outcome=C.cc(SNOMED, "385669000", "Successful", "Successful"),
                  focalDevice=[{"manipulated": C.ref("Device", "rnd-ida-device-pacemaker")}]),
        procedure("rnd-ida-proc-knee", "not-done", "609588000", "Total knee replacement",
                  "Total knee replacement, right",
                  statusReason={"text": "Patient declined"},
                  performedDateTime=C.dt("2026-02-10", "08:00")),
        procedure("rnd-ida-proc-eie", "entered-in-error", "80146002", "Appendectomy",
                  "Appendectomy (duplicate entry)", performedDateTime="1968"),
        {"resourceType": "Device", "id": "rnd-ida-device-pacemaker", "meta": C.meta(),
         "udiCarrier": [{"deviceIdentifier": "00999999000111",
                         "carrierHRF": "(01)00999999000111(17)311231(10)ZZLOT11(21)ZZSN0111"}],
         "status": "active", "manufacturer": "Zz Synthetic Devices", "lotNumber": "ZZLOT11",
         "serialNumber": "ZZSN0111",
         "deviceName": [{"name": "Zz dual-chamber pacemaker", "type": "user-friendly-name"}],
         "type": C.cc(SNOMED, "14106009", "Cardiac pacemaker, device", "Cardiac pacemaker"),
         "patient": subject()},
        {"resourceType": "Observation", "id": "rnd-ida-obs-xr-impression", "meta": C.meta(),
         "status": "final",
         "category": [C.cc(THO + "observation-category", "imaging", "Imaging", "Imaging")],
         "code": C.cc(LOINC, "19005-8", "Radiology Imaging study [Impression] (narrative)",
                      "Impression"),
         "subject": subject(), "effectiveDateTime": C.dt("2026-09-14", "11:00"),
         "valueString": "No acute abnormality"},
        {"resourceType": "DiagnosticReport", "id": "rnd-ida-dr-xr-chest", "meta": C.meta(),
         "status": "final",
         "category": [C.cc("http://loinc.org", "LP29684-5", "Radiology", "Radiology")],
         "code": C.cc(LOINC, "36554-4", "XR Chest Single view", "XR chest, one view"),
         "subject": subject(), "effectiveDateTime": C.dt("2026-09-14", "11:00"),
         "conclusion": "No acute cardiopulmonary abnormality.",
         "result": [C.ref("Observation", "rnd-ida-obs-xr-impression")],
         "presentedForm": [xr]},
        lab("rnd-ida-lab-sodium", "2951-2", "Sodium", 131, "mmol/L", 136, 145, "L"),
        lab("rnd-ida-lab-potassium", "2823-3", "Potassium", 4.2, "mmol/L", 3.5, 5.1),
        {"resourceType": "DiagnosticReport", "id": "rnd-ida-dr-lytes", "meta": C.meta(),
         "status": "final",
         "category": [C.cc(THO + "v2-0074", "LAB", "Laboratory", "Laboratory")],
         "code": C.cc(LOINC, "55231-5", "Electrolytes panel", "Electrolytes panel"),
         "subject": subject(), "effectiveDateTime": C.dt("2026-09-14", "08:30"),
         "result": [C.ref("Observation", "rnd-ida-lab-sodium"),
                    C.ref("Observation", "rnd-ida-lab-potassium")]},
        {"resourceType": "DocumentReference", "id": "rnd-ida-doc-letter", "meta": C.meta(),
         "status": "current", "docStatus": "final",
         "type": C.cc(LOINC, "11506-3", "Progress note", "Clinic letter"),
         "category": [dict(c) for c in C.DOC_CATEGORY], "subject": subject(),
         "date": C.dt("2026-08-03", "14:00"),
         "author": [C.ref("Practitioner", C.OKAFOR[0], C.OKAFOR[1])],
         "content": [{"attachment": letter}]},
    ]


def main(argv):
    if argv[1:] not in ([], ["--check"]):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1:] == []:
        with open(PATH, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(C.dumps(C.transaction(resources())))
        print("wrote", os.path.relpath(PATH, ROOT))
    errors = C.validate_transaction(PATH)
    for e in errors:
        print("ERROR", e, file=sys.stderr)
    print("ok" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
