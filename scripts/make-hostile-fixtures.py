#!/usr/bin/env python3
"""Write rounds' HOSTILE synthetic FHIR R4 fixtures (fixtures/hostile/).

    python3 scripts/make-hostile-fixtures.py [--check]

Writes, deterministically (re-running gives identical bytes):

  fixtures/hostile/NN-*.json        one FHIR R4 *transaction* Bundle per patient, every
                                    entry `PUT <Type>/<id>`, fullUrl `urn:uuid:<fixed>`,
                                    references `<Type>/<id>`; loadable into a server by
                                    `scripts/fhir-server load` and readable by
                                    `rounds --open fixtures/hostile`.  Written with
                                    ensure_ascii, so the files themselves are inert ASCII
                                    (every control, bidi and non-ASCII character is a
                                    \\uXXXX escape): `cat` on them is safe.
  fixtures/hostile/local-only/*.json
                                    files no server accepts, for the local file reader
                                    only (the loader skips this folder): a file with raw
                                    invalid UTF-8 bytes inside a JSON string, a lone UTF-16
                                    surrogate escape, and extensions nested 200 deep.

Every person, identifier and value here is made up.  The payloads are what a hostile or
broken server could send: terminal escape sequences of every kind, 8-bit C1 controls,
bidirectional overrides, zero-width and combining-character floods, megabyte strings,
invalid UTF-8 inside base64 attachments, wrong JSON types, missing required elements,
unknown elements and extensions, deep nesting, and references to another patient.
See fixtures/hostile/README.md for what each exercises and what a client must show.

--check verifies that the files on disk are exactly what this script would write.
Standard library only.
"""
import base64
import hashlib
import json
import os
import sys
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "hostile")
LOCAL_ONLY = os.path.join(OUT, "local-only")

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
THO = "http://terminology.hl7.org/CodeSystem/"
OBS_CAT = THO + "observation-category"
MR_TYPE = {"coding": [{"system": THO + "v2-0203", "code": "MR", "display": "Medical Record Number"}]}
MRN_SYSTEM = "urn:oid:1.2.36.146.595.217.0.1"
FIXTURE_TAG = {"system": "https://rounds.example.org/fhir/fixture", "code": "hostile-synthetic",
               "display": "rounds hostile synthetic fixture"}

# ---------------------------------------------------------------------------
# payloads

ESC = "\x1b"
ST = ESC + "\\"
CLIP = base64.b64encode(b"HOSTILE-CLIP").decode()  # "SE9TVElMRS1DTElQ"

CSI_CLEAR = ESC + "[2J" + ESC + "[3J" + ESC + "[H"           # clear screen and scrollback, home
CSI_SGR = ESC + "[5;31;47m"                                   # blinking red on white
CSI_RESET = ESC + "[0m"
CSI_QUERY = ESC + "[6n" + ESC + "[21t" + ESC + "[c"          # DSR, title report, DA: replies injected as input
CSI_MOVE = ESC + "[1A" + ESC + "[2K" + ESC + "[999;999H"      # cursor up, erase line, jump
OSC52 = ESC + "]52;c;" + CLIP + "\x07"                        # clipboard write (BEL-terminated)
OSC52_ST = ESC + "]52;p;" + CLIP + ST                         # primary selection (ST-terminated)
OSC8 = ESC + "]8;;https://hostile.invalid/phish" + ST + "click-here" + ESC + "]8;;" + ST
OSC_TITLE = ESC + "]0;HOSTILE-TITLE\x07"
DCS = ESC + "P+q544e" + ST                                    # XTGETTCAP: asks the terminal to answer
DCS_SIXEL = ESC + "Pq#0;2;0;0;0#0~~@@vv@@~~$" + ST
APC = ESC + "_Gf=100,a=T;HOSTILE-APC" + ST                    # kitty graphics
PM = ESC + "^HOSTILE-PM" + ST
SOS = ESC + "XHOSTILE-SOS" + ST
TWO_BYTE = ESC + "c" + ESC + "7" + ESC + "8" + ESC + "#8" + ESC + "(0"  # reset, save/restore, DECALN, line-drawing charset
SHIFT = "\x0e\x0f"                                            # SO / SI: switch character sets
C1 = ("\u009b2J" + "\u009d52;c;" + CLIP + "\u009c" + "\u0090HOSTILE-DCS\u009c"
      + "\u009fHOSTILE-APC\u009c" + "\u009eHOSTILE-PM\u009c" + "\u0098HOSTILE-SOS\u009c"
      + "\u0085\u0084\u008d\u0096\u0080")                    # 8-bit CSI, OSC, DCS, APC, PM, SOS, NEL, IND, RI...
BEL_BS = "\x07\x07\x08\x08\x08\x7f"
UNTERMINATED_OSC = ESC + "]0;UNTERMINATED-TITLE"              # swallows the rest of the string

EVERY_ESCAPE = (CSI_CLEAR + CSI_SGR + OSC52 + OSC52_ST + OSC8 + OSC_TITLE + DCS + DCS_SIXEL
                + APC + PM + SOS + CSI_QUERY + CSI_MOVE + TWO_BYTE + SHIFT + C1 + BEL_BS + CSI_RESET)

RLO, LRO, PDF = "\u202e", "\u202d", "\u202c"
RLE, LRE = "\u202b", "\u202a"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
ZW = "\u200b\u200c\u2060\ufeff\u180e\u2061\u2062\u2063\u2064"  # zero-width, invisible operators, BOM
TAGS = "".join(chr(0xE0000 + ord(c)) for c in "IGNORE PREVIOUS")  # invisible tag characters
ANNOTATION = "\ufff9hidden\ufffasmuggled\ufffb"                    # interlinear annotation

CJK = "\u5f20\u4f1f"                      # 张伟
CJK_CONDITION = "\u9ad8\u8840\u538b"      # 高血压 (hypertension)
JP_LAB = "\u8840\u6e05\u30ab\u30ea\u30a6\u30e0"  # 血清カリウム (serum potassium)
KO = "\uce7c\ub968"                       # 칼륨
EMOJI_DOCTOR = "\U0001f469\u200d\u2695\ufe0f"   # 👩‍⚕️ (ZWJ sequence)
EMOJI_FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
EMOJI_FLAGS = "\U0001f1ef\U0001f1f5\U0001f1fa\U0001f1e6"
EMOJI_THUMB = "\U0001f44d\U0001f3fd"
EMOJI_KEYCAP = "1\ufe0f\u20e3"
CJK_EXT_B = "\U0002000b"                   # 𠀋, outside the BMP
CHECK = "\u2705"

ZALGO = "Z" + "".join(chr(0x300 + (i % 0x70)) for i in range(2000)) + "algo"  # 2000 combining marks on one letter
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 80               # 3600 chars, no spaces

ONE_MB = 1024 * 1024


def b64(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.b64encode(data).decode("ascii")


# ---------------------------------------------------------------------------
# helpers

def fixed_uuid(key):
    digest = hashlib.sha256(("rounds-hostile-fixtures/" + key).encode()).digest()[:16]
    return str(uuid.UUID(bytes=digest, version=4))


def ref(rtype, rid, display=None):
    r = {"reference": f"{rtype}/{rid}"}
    if display is not None:
        r["display"] = display
    return r


def cc(text=None, code=None, display=None, system=SNOMED):
    out = {}
    if code is not None or display is not None:
        c = {"system": system}
        if code is not None:
            c["code"] = code
        if display is not None:
            c["display"] = display
        out["coding"] = [c]
    if text is not None:
        out["text"] = text
    return out


def status_cc(kind, code):
    return {"coding": [{"system": THO + kind, "code": code}]}


def category(code):
    return [{"coding": [{"system": OBS_CAT, "code": code}]}]


def qty(value, unit, code=None):
    q = {"value": value, "unit": unit, "system": UCUM}
    if code is not None:
        q["code"] = code
    return q


def patient(pid, family, given, birth, gender, mrn, **extra):
    p = {"resourceType": "Patient", "id": pid, "meta": {"tag": [dict(FIXTURE_TAG)]},
         "identifier": [{"use": "usual", "type": MR_TYPE, "system": MRN_SYSTEM, "value": mrn}],
         "active": True, "name": [{"use": "official", "family": family, "given": given}],
         "gender": gender, "birthDate": birth}
    p.update(extra)
    return p


class Chart:
    """The resources of one patient, numbered ids `<pid>-<kind>-<n>`."""

    def __init__(self, pid):
        self.pid = pid
        self.resources = []
        self.n = 0

    def subject(self):
        return ref("Patient", self.pid)

    def add(self, rtype, body, rid=None):
        self.n += 1
        rid = rid or f"{self.pid}-{rtype.lower()[:4]}-{self.n}"
        r = {"resourceType": rtype, "id": rid}
        r.update(body)
        self.resources.append(r)
        return rid

    def condition(self, text, **kw):
        body = {"clinicalStatus": status_cc("condition-clinical", "active"),
                "verificationStatus": status_cc("condition-ver-status", "confirmed"),
                "category": [{"coding": [{"system": THO + "condition-category", "code": "problem-list-item"}]}],
                "code": text if isinstance(text, dict) else cc(text),
                "subject": self.subject(), "onsetDateTime": "2019-04-01", "recordedDate": "2019-04-02"}
        body.update(kw)
        return self.add("Condition", body)

    def allergy(self, text, reaction, **kw):
        body = {"clinicalStatus": status_cc("allergyintolerance-clinical", "active"),
                "verificationStatus": status_cc("allergyintolerance-verification", "confirmed"),
                "type": "allergy", "category": ["medication"], "criticality": "high",
                "code": cc(text), "patient": self.subject(), "recordedDate": "2018-02-03",
                "reaction": [{"manifestation": [cc(reaction)], "severity": "severe"}]}
        body.update(kw)
        return self.add("AllergyIntolerance", body)

    def med(self, text, sig, **kw):
        body = {"status": "active", "intent": "order", "medicationCodeableConcept": cc(text),
                "subject": self.subject(), "authoredOn": "2026-09-01",
                "dosageInstruction": [{"text": sig}]}
        body.update(kw)
        return self.add("MedicationRequest", body)

    def lab(self, code, value, when="2026-11-20T08:00:00Z", **kw):
        body = {"status": "final", "category": category("laboratory"), "code": code,
                "subject": self.subject(), "effectiveDateTime": when}
        body.update(value)
        body.update(kw)
        return self.add("Observation", body)

    def vital(self, loinc, text, value, when="2026-11-20T08:00:00Z", **kw):
        body = {"status": "final", "category": category("vital-signs"),
                "code": {"coding": [{"system": LOINC, "code": loinc}], "text": text},
                "subject": self.subject(), "effectiveDateTime": when, "valueQuantity": value}
        body.update(kw)
        return self.add("Observation", body)

    def encounter(self, kind, who, where, reason, start="2026-11-20T08:00:00Z", **kw):
        body = {"status": "finished",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB",
                          "display": "ambulatory"},
                "type": [cc(kind)], "subject": self.subject(),
                "participant": [{"individual": who}], "period": {"start": start, "end": start},
                "reasonCode": [cc(reason)], "location": [{"location": {"display": where}}]}
        body.update(kw)
        return self.add("Encounter", body)

    def immunization(self, vaccine, lot, site, **kw):
        body = {"status": "completed", "vaccineCode": cc(vaccine), "patient": self.subject(),
                "occurrenceDateTime": "2026-10-01T10:00:00Z", "primarySource": True,
                "lotNumber": lot, "site": cc(site), "doseQuantity": qty(0.5, "mL", "mL")}
        body.update(kw)
        return self.add("Immunization", body)

    def document(self, title, attachments, date="2026-11-21T10:00:00Z", **kw):
        body = {"status": "current", "docStatus": "final", "type": cc(title, system=LOINC),
                "subject": self.subject(), "date": date,
                "content": [{"attachment": a} for a in attachments]}
        body.update(kw)
        return self.add("DocumentReference", body)

    def report(self, title, date="2026-11-21T11:00:00Z", **kw):
        body = {"status": "final", "code": cc(title, system=LOINC), "subject": self.subject(),
                "effectiveDateTime": date, "issued": date}
        body.update(kw)
        return self.add("DiagnosticReport", body)


def transaction(resources):
    entries = []
    for r in resources:
        key = f"{r['resourceType']}/{r['id']}"
        entries.append({"fullUrl": "urn:uuid:" + fixed_uuid(key), "resource": r,
                        "request": {"method": "PUT", "url": key}})
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def attachment(content_type, data=None, title=None):
    a = {"contentType": content_type}
    if data is not None:
        a["data"] = data
    if title is not None:
        a["title"] = title
    return a


def deep_extension(depth, leaf="leaf"):
    e = {"url": "https://rounds.example.org/fhir/ext/leaf", "valueString": leaf}
    for i in range(depth - 1):
        e = {"url": f"https://rounds.example.org/fhir/ext/level-{depth - 1 - i}", "extension": [e]}
    return e


# ---------------------------------------------------------------------------
# 01: escape sequences everywhere

def escapes():
    pid = "hostile-escapes"
    c = Chart(pid)
    pat = patient(
        pid,
        family="Hostile" + CSI_CLEAR + OSC52 + "Escapes" + ESC,   # ends in a lone ESC...
        given=["[1;1HSplit" + OSC8 + "Mallory" + BEL_BS, C1 + "Eve" + UNTERMINATED_OSC],  # ...and the next part starts like a CSI
        # A gender code outside the value set, with escapes in it: shown (cleaned) as sent.
        birth="1970-01-01", gender="fe" + CSI_CLEAR + "male" + OSC52,
        mrn="HX" + CSI_SGR + "0001" + CSI_RESET + OSC_TITLE,
    )
    pat["name"][0]["prefix"] = ["Dr." + DCS]
    pat["name"][0]["suffix"] = [APC + "III" + PM + SOS]
    pat["text"] = {"status": "generated",
                   "div": '<div xmlns="http://www.w3.org/1999/xhtml">Hostile &#27;[2J patient</div>'}
    c.resources.append(pat)
    c.allergy("Penicillin" + "\x08" * 10 + "none      " + OSC52, "Anaphylaxis" + CSI_CLEAR + OSC8)
    c.condition("Asthma\rHEALTHY" + DCS_SIXEL + TWO_BYTE, note=[{"text": "Note" + EVERY_ESCAPE + "end"}],
                onsetString=None)
    c.condition(cc(None, code="195967001" + CSI_SGR + C1, display=None))          # label from a hostile code
    c.condition(cc(None, code="38341003", display="Hypertension" + OSC8 + SHIFT))  # label from a hostile display
    c.med("Salbutamol" + CSI_SGR + " inhaler" + CSI_RESET, "Two puffs" + CSI_MOVE + " as needed" + OSC52_ST,
          requester=ref("Practitioner", "dr" + OSC52 + "x", "Dr." + OSC_TITLE + " Eve"))
    c.med("Unresolved drug", "Once daily" + C1,
          medicationCodeableConcept=None,
          medicationReference={"reference": "Medication/hx" + CSI_CLEAR, "display": "Warfarin" + APC + " 5 mg"})
    c.lab(cc("Potassium" + CSI_SGR, code="2823-3" + CSI_QUERY, system=LOINC),
          {"valueQuantity": qty(6.9, "mmol/L" + OSC52, "mmol/L")},
          interpretation=[{"coding": [{"system": THO + "v3-ObservationInterpretation", "code": "HH"}],
                           "text": "critical" + PM}],
          referenceRange=[{"low": qty(3.5, "mmol/L" + SOS), "high": qty(5.1, "mmol/L" + DCS),
                           "text": "3.5-5.1" + OSC8}])
    c.lab(cc("Culture" + OSC_TITLE), {"valueString": "POSITIVE\rNEGATIVE" + ESC + "[K"},
          when="2026-11-19T08:00:00Z", note=[{"text": "CR trick" + EVERY_ESCAPE}])
    c.lab(cc(None, code="HX-CODE" + CSI_CLEAR, system="urn:hostile" + OSC52),  # no text, no display: the code is the label
          {"valueCodeableConcept": cc(None, code="pos", display="Detected" + C1)}, when="2026-11-18T08:00:00Z")
    c.vital("8867-4", "Heart rate" + CSI_SGR, qty(88, "/min" + OSC8, "/min"))
    c.vital("85354-9", "Blood pressure" + OSC52, None,
            valueQuantity=None,
            component=[{"code": {"coding": [{"system": LOINC, "code": "8480-6"}]}, "valueQuantity": qty(150, "mm[Hg]" + C1, "mm[Hg]")},
                       {"code": {"coding": [{"system": LOINC, "code": "8462-4"}]}, "valueQuantity": qty(95, "mm[Hg]" + DCS, "mm[Hg]")}])
    c.encounter("Office visit" + CSI_CLEAR, ref("Practitioner", "dr" + OSC8, "Dr." + C1 + " Eve"),
                "Room" + OSC52 + " 101", "Wheeze" + APC,
                serviceProvider=ref("Organization", "org" + ESC + "[31m", "Clinic" + OSC_TITLE))
    c.immunization("Influenza" + CSI_SGR + " vaccine", "LOT" + OSC52 + "42", "Left arm" + C1,
                   note=[{"text": "Given" + EVERY_ESCAPE}])
    c.document("Progress note" + OSC8, [
        attachment("text/plain; charset=utf-8",
                   b64("Line one" + EVERY_ESCAPE + "\r\nLine two: vitals OK\rLine two: CRITICAL\n"
                       + "tab\there\n" + "Clipboard" + OSC52 + "\nLink " + OSC8 + "\nend" + UNTERMINATED_OSC)),
        attachment("application/pdf", None, title="Scan" + OSC52) | {"url": "https://example.org/scan.pdf"},
    ], author=[ref("Practitioner", "dr" + CSI_CLEAR, "Dr." + OSC8 + " Eve")], description="Follow-up" + C1)
    c.document("Discharge summary" + CSI_SGR, [
        attachment("text/html",
                   b64("<div><h2>Discharge" + OSC52 + "</h2><p>K <3.5 mmol/L &amp; Na >150 mmol/L</p><p>Stable &#27;[2J &#x9b;31m &#8238;reversed "
                       + "&#x1b;]52;c;" + CLIP + "&#7;</p><script>" + EVERY_ESCAPE + "alert(1)</script>"
                       + "<style>p{}" + CSI_CLEAR + "</style><ul><li>Rest" + CSI_SGR + "</li></ul></div>")),
    ], date="2026-11-20T10:00:00Z")
    c.report("Chest X-ray" + OSC_TITLE, conclusion="No acute findings" + EVERY_ESCAPE,
             performer=[ref("Organization", "rad" + OSC52, "Radiology" + DCS)],
             result=[ref("Observation", "hx" + CSI_CLEAR, "Finding" + C1)])
    c.report("Narrative only", date="2026-11-19T11:00:00Z",
             text={"status": "generated",
                   "div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>Entity escapes: &#27;[2J&#27;]52;c;'
                          + CLIP + '&#7; &#x9B;31m &#x202E;gnirts &#x2066;iso&#x2069; &#0;nul</p>'
                          + '<p>Raw: ' + CSI_CLEAR + OSC8 + '</p><![CDATA[' + OSC52 + ']]></div>'})
    # A property set to None above means "leave it out".
    for r in c.resources:
        for k in [k for k, v in r.items() if v is None]:
            del r[k]
    return c.resources


# ---------------------------------------------------------------------------
# 02: Unicode: bidi, zero-width, combining floods, CJK and emoji that must survive

def unicode_patient():
    pid = "hostile-unicode"
    c = Chart(pid)
    pat = patient(
        pid, family="Hostile-Unicode",
        given=["Zo\u00eb" + LRM + RLM + ALM, CJK, EMOJI_DOCTOR, "Ali" + RLO + "gnp.exe" + PDF, ZALGO],
        birth="1985-06-15", gender="other",
        mrn="HX" + ZW + "0002" + LRI + "\u05d0" + PDI + TAGS,
    )
    pat["name"].append({"use": "usual", "text": EMOJI_FAMILY + " " + CJK})
    c.resources.append(pat)
    c.allergy("Pea" + ZW + "nuts " + EMOJI_THUMB, "Hives " + RLE + "evil" + PDF + LRE + "x" + PDF)
    c.condition(CJK_CONDITION + " (hypertension) " + FSI + "\u0636\u063a\u0637 \u0627\u0644\u062f\u0645" + PDI)
    c.condition("Diabetes " + RLO + "sutillem" + PDF + " type 2 " + ANNOTATION + TAGS)
    c.condition(LONG_WORD)
    c.condition("Zalgo " + ZALGO)
    c.med("Metformin " + EMOJI_KEYCAP + " tablet " + CJK_EXT_B, "\u6bce\u65e5 1\u56de (once daily) " + CHECK)
    c.lab(cc(JP_LAB + " " + KO, code="2823-3", system=LOINC), {"valueQuantity": qty(4.1, "mmol/L", "mmol/L")},
          referenceRange=[{"low": qty(3.5, "mmol/L", "mmol/L"), "high": qty(5.1, "mmol/L", "mmol/L")}])
    c.lab(cc("COVID-19 PCR " + EMOJI_FLAGS), {"valueString": "\u9670\u6027 " + CHECK + " " + ZW + "negative"},
          when="2026-11-19T08:00:00Z")
    c.vital("8310-5", "Body temperature \u4f53\u6e29", qty(37.2, "Cel", "Cel"))
    c.encounter("\u5916\u6765 (outpatient) " + EMOJI_DOCTOR, {"display": "Dr. " + CJK + " " + RLO + "evil" + PDF},
                "\u75c5\u68df " + EMOJI_FAMILY, "Follow-up " + ZALGO[:40])
    c.immunization("Influenza " + EMOJI_THUMB, "LOT" + ZW + "7", "\u5de6\u8155 (left arm)")
    c.document("Progress note " + CJK, [attachment(
        "text/plain; charset=utf-8",
        b64("\u60a3\u8005\u306f\u5b89\u5b9a\u3057\u3066\u3044\u307e\u3059\u3002 " + EMOJI_DOCTOR + " " + CJK + "\n"
            + "Bidi: " + RLO + "!enod si siht" + PDF + " " + RLI + "isolate" + PDI + "\n"
            + "Zero" + ZW + "width\n" + ZALGO + "\n" + LONG_WORD + "\n"
            + "Flags " + EMOJI_FLAGS + " family " + EMOJI_FAMILY + " keycap " + EMOJI_KEYCAP + "\n"))])
    return c.resources


# ---------------------------------------------------------------------------
# 03: huge strings

def huge():
    pid = "hostile-huge"
    c = Chart(pid)
    name = "Huge" + ("Abcdefghij" * (ONE_MB // 10 + 1))[: ONE_MB - 4]   # 1 MB, one word
    c.resources.append(patient(pid, family="Hostile-Huge", given=["Hugo", name], birth="1990-02-28",
                               gender="male", mrn="HX0003" + "9" * 5000))
    unit = ("mg/dL" * (100 * 1024 // 5 + 1))[: 100 * 1024]               # 100 KB unit, no spaces
    # The UCUM code keeps hfs 0.2.7 from parsing the unit: a long unit with many "/" and no
    # code overflows its stack (the server process dies).
    c.lab(cc("Glucose", code="2345-7", system=LOINC), {"valueQuantity": qty(5.5, unit, "mg/dL")},
          referenceRange=[{"low": qty(3.9, "mmol/L"), "high": qty(7.8, "mmol/L")}])
    c.lab(cc("Long result"), {"valueString": LONG_WORD * 10}, when="2026-11-19T08:00:00Z")  # 36 KB word
    c.vital("8867-4", "Heart rate", qty(70, "/min" + "x" * 20000, "/min"))
    c.condition("Condition " + "W" * 50_000)
    c.condition(" ".join(["word"] * 20_000))                              # 100 KB of short words
    c.med("Drug " + LONG_WORD * 10, "Take " + "as directed " * 3_000)
    c.encounter("Visit " + "V" * 20_000, {"display": "Dr. " + "D" * 20_000}, "Room " + "R" * 20_000,
                "Reason " + "r" * 20_000)
    text = "\n".join(f"Line {i}: " + ("lorem ipsum " * 8) for i in range(2000))
    text += "\n" + "X" * 100_000 + "\n"
    c.document("Very long note", [attachment("text/plain", b64(text))])
    return c.resources


# ---------------------------------------------------------------------------
# 04: invalid UTF-8 (and other undecodable bytes) inside base64 attachments

INVALID_PLAIN = (b"Invalid UTF-8 follows: [\xff\xfe] [\xc0\xaf overlong /] [\xc0\x9b overlong ESC] "
                 b"[\xed\xa0\x80 surrogate] [\x80\x81 lone continuations] "
                 b"[\x9b31m raw 8-bit CSI byte] [\x1b[2J raw ESC] [\xc2\x9b2J UTF-8 C1 CSI] "
                 b"[\x1b]52;c;" + CLIP.encode() + b"\x07 raw OSC 52]\n"
                 b"valid after: caf\xc3\xa9 \xe5\xbc\xa0\xe4\xbc\x9f end of line\n"
                 b"truncated at the end: \xe4\xbd")
INVALID_HTML = (b"<html><body><p>Latin-1 bytes: caf\xe9 \x9b31m</p><p>overlong tags \xc0\xbcscript\xc0\xbe"
                b"alert(1)\xc0\xbc/script\xc0\xbe</p><script>\x1b]52;c;" + CLIP.encode() + b"\x07</script>"
                b"<p>\xf0\x9f\x98 cut emoji, \xf0\x9f\x98\x80 whole emoji</p></body></html>")
UTF16 = "\ufeffUTF-16 note \u5f20\u4f1f".encode("utf-16-le")


def bytes_patient():
    pid = "hostile-bytes"
    c = Chart(pid)
    c.resources.append(patient(pid, family="Hostile-Bytes", given=["Byron"], birth="1975-11-05",
                               gender="male", mrn="HX0004"))
    c.document("Invalid UTF-8 note", [attachment("text/plain; charset=utf-8", b64(INVALID_PLAIN))])
    c.document("Latin-1 HTML note", [attachment("text/html; charset=iso-8859-1", b64(INVALID_HTML))],
               date="2026-11-20T10:00:00Z")
    c.document("UTF-16 note", [attachment("text/plain; charset=utf-16le", b64(UTF16))],
               date="2026-11-19T10:00:00Z")
    c.document("Not base64", [attachment("text/plain", "!!not*base64\x1b[2J$$", title="Broken data" + OSC52)],
               date="2026-11-18T10:00:00Z", description="Undecodable attachment")
    c.document("Wrapped base64", [attachment("text/plain", "\n".join(
        b64("Base64 with line breaks and no padding " + CJK).rstrip("=")[i:i + 16]
        for i in range(0, 60, 16)))], date="2026-11-17T10:00:00Z")
    c.document("Binary only", [attachment("application/octet-stream", b64(bytes(range(256))), title="Blob")],
               date="2026-11-16T10:00:00Z")
    c.report("Invalid UTF-8 report", presentedForm=[attachment("text/html", b64(INVALID_HTML)),
                                                    attachment("text/plain", b64(INVALID_PLAIN))])
    return c.resources


# ---------------------------------------------------------------------------
# 05: malformed resources; 06: the neighbour they point at

def malformed():
    pid = "hostile-malformed"
    nb = "hostile-neighbour"
    c = Chart(pid)
    c.resources.append(patient(
        pid, family="Hostile-Malformed", given=["Morgan"], birth="1960-07-04", gender="unknown", mrn="HX0005",
        unknownElement={"nested": [1, "two", None, True]},
        extension=[{"url": "https://rounds.example.org/fhir/ext/unknown", "valueString": "x"}],
        modifierExtension=[{"url": "https://rounds.example.org/fhir/ext/unknown-modifier", "valueBoolean": True}],
    ))
    # Readable, but incomplete or decorated.
    c.lab({"text": "No status"}, {"valueQuantity": qty(1.0, "mmol/L", "mmol/L")}, status=None,
          when="2026-11-20T08:00:00Z")
    c.add("Observation", {"category": category("laboratory"), "subject": c.subject(),
                          "effectiveDateTime": "2026-11-20T07:00:00Z", "valueString": "no code, no status"})
    c.add("Observation", {"category": category("laboratory"), "subject": c.subject(), "status": "final",
                          "code": {"text": "No value, no date"}})
    c.lab({"text": "Unknown fields"}, {"valueQuantity": qty(2.0, "mmol/L", "mmol/L")},
          when="2026-11-19T08:00:00Z",
          unknownElement={"a": [1, 2, {"b": None}]}, _status={"extension": []},
          extension=[{"url": "https://rounds.example.org/fhir/ext/x", "valueString": "y"}],
          modifierExtension=[{"url": "https://rounds.example.org/fhir/ext/negated", "valueBoolean": True}])
    c.lab({"text": "Deeply nested extension"}, {"valueQuantity": qty(3.0, "mmol/L", "mmol/L")},
          when="2026-11-18T08:00:00Z", extension=[deep_extension(50, "depth 50")])
    c.lab({"text": "Odd dates and numbers"}, {"valueQuantity": qty(1e308, "mmol/L", "mmol/L")},
          when="2026-13-45T99:99:99Z", issued="not a date",
          referenceRange=[{"low": qty(-0.0, "mmol/L"), "high": qty(1e-300, "mmol/L")}])
    c.lab({"text": "Far future"}, {"valueInteger": 9223372036854775807}, when="9999-12-31T23:59:59Z")
    # Unreadable: wrong JSON types.
    c.lab({"text": "Value as a string"}, {"valueQuantity": {"value": "6.9", "unit": "mmol/L"}})
    c.lab({"text": "Status as a number"}, {"valueQuantity": qty(4.0, "mmol/L", "mmol/L")}, status=42)
    c.lab({"text": "Integer too big"}, {"valueInteger": 99999999999999999999999})
    c.lab(["code", "as", "an", "array"], {"valueBoolean": "yes"})
    c.add("Condition", {"clinicalStatus": "active", "code": {"coding": "not-a-list"}, "subject": c.subject()})
    c.add("MedicationRequest", {"status": "active", "intent": "order", "subject": c.subject(),
                                "medicationCodeableConcept": {"text": "Dose as text"},
                                "dosageInstruction": [{"doseAndRate": [{"doseQuantity": {"value": "two"}}]}]})
    c.condition("Date as a number", recordedDate=20190402)
    # References to another patient.
    c.lab({"text": "Derived from the neighbour"}, {"valueQuantity": qty(5.0, "mmol/L", "mmol/L")},
          when="2026-11-17T08:00:00Z",
          derivedFrom=[ref("Observation", f"{nb}-lab")], hasMember=[ref("Observation", f"{nb}-lab")],
          focus=[ref("Patient", nb)], performer=[ref("Patient", nb)])
    c.report("Report citing the neighbour's result", result=[ref("Observation", f"{nb}-lab")])
    c.encounter("Visit", {"reference": f"Patient/{nb}"}, "Room 5", "Check-up", partOf=ref("Encounter", f"{nb}-visit"))
    # Claims both patients: the element rounds reads (patient) names the neighbour.
    c.add("Immunization", {"status": "completed", "vaccineCode": {"text": "NEIGHBOUR-ONLY vaccine"},
                           "patient": ref("Patient", nb), "subject": c.subject(),
                           "occurrenceDateTime": "2026-10-01"})
    c.add("AllergyIntolerance", {"code": {"text": "NEIGHBOUR-ONLY allergy"}, "patient": ref("Patient", nb),
                                 "subject": c.subject()})
    for r in c.resources:
        for k in [k for k, v in r.items() if v is None]:
            del r[k]

    n = Chart(nb)
    n.resources.append(patient(nb, family="Hostile-Neighbour", given=["Nora"], birth="1961-08-05",
                               gender="other", mrn="HX0006"))
    n.lab({"text": "NEIGHBOUR-ONLY potassium", "coding": [{"system": LOINC, "code": "2823-3"}]},
          {"valueQuantity": qty(3.9, "mmol/L", "mmol/L")}, id=f"{nb}-lab")
    n.encounter("NEIGHBOUR-ONLY visit", {"display": "Dr. Neighbour"}, "Room 6", "Check-up", id=f"{nb}-visit")
    return c.resources, n.resources


# ---------------------------------------------------------------------------
# 07: nesting as deep as the test server takes

SERVER_MAX_DEPTH = 61   # hfs 0.2.7 (serde_json's recursion limit) takes 61 levels in a transaction, not 62


def deep():
    pid = "hostile-deep"
    c = Chart(pid)
    c.resources.append(patient(pid, family="Hostile-Deep", given=["Dana"], birth="1955-03-03",
                               gender="unknown", mrn="HX0007"))
    c.lab({"text": "Shallow lab"}, {"valueQuantity": qty(4.2, "mmol/L", "mmol/L")})
    c.lab({"text": f"Extension nested {SERVER_MAX_DEPTH} deep"}, {"valueQuantity": qty(4.3, "mmol/L", "mmol/L")},
          when="2026-11-19T08:00:00Z", extension=[deep_extension(SERVER_MAX_DEPTH, "deepest")])
    c.condition("Condition beside a deep lab")
    return c.resources


# ---------------------------------------------------------------------------
# local-only files

def local_only():
    files = {}
    pat = {"resourceType": "Patient", "id": "hostile-invalid-utf8", "name": [{"family": "HostileBytes"}]}
    text = json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": pat}]}, indent=1)
    raw = text.encode("ascii").replace(b"HostileBytes", b"Hostile\xff\xfe\xc0\x9b[2J\x80Bytes")
    files["invalid-utf8.json"] = raw
    lone = json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {
        "resourceType": "Patient", "id": "hostile-lone-surrogate", "name": [{"family": "HostileSURROGATE"}]}}]},
        indent=1).replace("SURROGATE", "\\ud800")
    files["lone-surrogate.json"] = lone.encode("ascii")
    deep = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "hostile-deep-200", "name": [{"family": "Hostile-Deep"}]}},
        {"resource": {"resourceType": "Observation", "id": "hostile-deep-200-obs", "status": "final",
                      "category": category("laboratory"), "code": {"text": "Depth 200"},
                      "subject": ref("Patient", "hostile-deep-200"), "extension": [deep_extension(200, "depth 200")]}}]}
    files["deep-nesting.json"] = (json.dumps(deep, separators=(",", ":")) + "\n").encode("ascii")
    return files


# ---------------------------------------------------------------------------

def dump(obj):
    return (json.dumps(obj, indent=1, ensure_ascii=True) + "\n").encode("ascii")


def outputs():
    mal, nb = malformed()
    files = {
        "01-escapes.json": dump(transaction(escapes())),
        "02-unicode.json": dump(transaction(unicode_patient())),
        "03-huge.json": dump(transaction(huge())),
        "04-invalid-utf8-attachments.json": dump(transaction(bytes_patient())),
        "05-malformed.json": dump(transaction(mal)),
        "06-neighbour.json": dump(transaction(nb)),
        "07-deep.json": dump(transaction(deep())),
    }
    for name, data in local_only().items():
        files[os.path.join("local-only", name)] = data
    return files


def main():
    check = "--check" in sys.argv[1:]
    bad = 0
    for name, data in outputs().items():
        path = os.path.join(OUT, name)
        if check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == data
            except OSError:
                same = False
            if not same:
                print(f"out of date: {os.path.relpath(path, ROOT)}", file=sys.stderr)
                bad += 1
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        print(f"wrote {os.path.relpath(path, ROOT)} ({len(data)} bytes)", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
