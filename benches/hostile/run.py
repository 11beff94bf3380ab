#!/usr/bin/env python3
"""The hostile-input families of issue 15, regenerated and run through the binary.

    python3 benches/hostile/run.py [--bin target/release/opsplan] [--only NAME...]

Each case builds its inputs in a fresh temporary folder, runs one opsplan command under
/usr/bin/time (when present) with a 2 GiB address-space limit, and prints the exit code,
the wall time, the peak RSS and the first line of stderr, then checks what the issue asks:
every case ends in under 5 s and 1 GiB or is refused with a located error, and no input
is modified. Exit status 1 when a case fails its expectation. BENCHMARKS.md records a run.

The team's own red-team inputs are kept aside; these are the same families, written from
the issue text, so a newcomer can see each one handled.
"""

import argparse
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
import warnings

warnings.filterwarnings("ignore", message="Duplicate name")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLAN_HEAD = 'plan P "hostile" {\n  horizon 2025/001 00:00 .. 2025/365 00:00\n  roles FD\n'
LIMIT_KIB = 2 * 1024 * 1024


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def digest_tree(folder):
    out = {}
    for base, _dirs, files in os.walk(folder):
        for name in files:
            p = os.path.join(base, name)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                out[os.path.relpath(p, folder)] = hashlib.sha256(f.read()).hexdigest()
    return out


def xlsx(path, sheet_xml, shared=None):
    """A minimal workbook: one sheet, optional shared strings."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            + ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' if shared is not None else "")
            + "</Types>"))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' if shared is not None else "")
            + "</Relationships>"))
        z.writestr("xl/worksheets/sheet1.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + sheet_xml + "</sheetData></worksheet>"))
        if shared is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in shared)
            z.writestr("xl/sharedStrings.xml", (
                '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{len(shared)}" uniqueCount="{len(shared)}">{items}</sst>'))


def cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = '<row r="1">' + cell("A1", "Object Identifier") + cell("B1", "Object Text") + "</row>"


def reqif(spec_objects, hierarchy):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd">'
        '<THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><TITLE>t</TITLE></REQ-IF-HEADER></THE-HEADER>'
        "<CORE-CONTENT><REQ-IF-CONTENT><DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER=\"dt\" MAX-LENGTH=\"1000\" LONG-NAME=\"T\"/></DATATYPES>"
        '<SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="st" LONG-NAME="Req"><SPEC-ATTRIBUTES>'
        '<ATTRIBUTE-DEFINITION-STRING IDENTIFIER="ad" LONG-NAME="ReqIF.Text"><TYPE><DATATYPE-DEFINITION-STRING-REF>dt</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>'
        "</SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE></SPEC-TYPES>"
        f"<SPEC-OBJECTS>{spec_objects}</SPEC-OBJECTS>"
        f'<SPECIFICATIONS><SPECIFICATION IDENTIFIER="s"><CHILDREN>{hierarchy}</CHILDREN></SPECIFICATION></SPECIFICATIONS>'
        "</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>\n")


def spec_object(i, text):
    return (f'<SPEC-OBJECT IDENTIFIER="o{i}"><TYPE><SPEC-OBJECT-TYPE-REF>st</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>'
            f'<ATTRIBUTE-VALUE-STRING THE-VALUE="{text}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>ad</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>'
            "</VALUES></SPEC-OBJECT>")


# --- the cases: (name, build(dir) -> (argv, expectation)) ------------------------------
# An expectation: "refused" (exit 2, nothing written), "findings" (exit 1), "ok" (exit 0),
# "finish" (any of 0/1/2, but in bounds), plus an optional substring of stderr+stdout.

CASES = []


def case(name):
    def register(f):
        CASES.append((name, f))
        return f
    return register


def small_plan(d):
    write(f"{d}/p.plan", PLAN_HEAD + '  activity A1 "x" { at 2025/010 10:00 lasts 1h by FD }\n}\n')


@case("o-replaces-plan")
def _(d):
    small_plan(d)
    return ["report", "consistency", "p.plan", "-o", "p.plan"], ("refused", "input")


@case("o-replaces-rules-yaml")
def _(d):
    write(f"{d}/opsplan.yaml", "inputs:\n  - p.plan\nrules:\n  - flight-rules.yaml\n")
    write(f"{d}/flight-rules.yaml", "rules: []\n")
    small_plan(d)
    return ["report", "consistency", ".", "-o", "flight-rules.yaml"], ("refused", None)


@case("o-replaces-trace-export")
def _(d):
    small_plan(d)
    shutil.copy(f"{ROOT}/requirements/atv-ops-requirements.csv", f"{d}/reqs.csv")
    return ["trace", "p.plan", "-r", "reqs.csv", "--format", "csv", "-o", "reqs.csv"], ("refused", None)


@case("o-hard-link-of-input")
def _(d):
    small_plan(d)
    os.link(f"{d}/p.plan", f"{d}/link.html")
    return ["report", "consistency", "p.plan", "-o", "link.html"], ("refused", None)


@case("o-fifo")
def _(d):
    small_plan(d)
    os.mkfifo(f"{d}/fifo")
    return ["report", "consistency", "p.plan", "-o", "fifo"], ("refused", None)


@case("o-char-device")
def _(d):
    small_plan(d)
    if os.geteuid() == 0:
        os.mknod(f"{d}/null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        return ["report", "consistency", "p.plan", "-o", "null"], ("refused", None)
    return ["report", "consistency", "p.plan", "-o", "/dev/null"], ("refused", None)


def chain(n):
    lines = [PLAN_HEAD, '  activity A0 "c" { at 2025/010 00:00 lasts 1s by FD }\n']
    for i in range(1, n):
        lines.append(f'  activity A{i} "c" {{ at A{i-1}.end lasts 1s by FD }}\n')
    lines.append("}\n")
    return "".join(lines)


@case("chain-22000-activities")
def _(d):
    write(f"{d}/p.plan", chain(22_000))
    return ["check", "p.plan"], ("finish", None)


@case("chain-22000-calls")
def _(d):
    n = 22_000
    procs = []
    for i in range(n):
        call = f"    call X{i+1} v1.0\n" if i + 1 < n else '    manual FD "done"\n'
        procs.append(f'procedure X{i} "x" {{\n  version 1.0\n  roles FD\n  step 1 "s" {{\n{call}  }}\n}}\n')
    write(f"{d}/lib.proc", "".join(procs))
    write(f"{d}/p.plan", PLAN_HEAD + '  activity A1 "x" { at 2025/010 10:00 lasts 1h by FD procedure X0 v1.0 }\n}\n')
    return ["check", "."], ("finish", None)


@case("xlsx-a1-and-xfd1048576")
def _(d):
    small_plan(d)
    xlsx(f"{d}/r.xlsx", HEADER_ROW + '<row r="2">' + cell("A2", "R-1") + cell("B2", "t") + "</row>"
         + '<row r="1048576">' + cell("XFD1048576", "x") + "</row>")
    return ["trace", "p.plan", "-r", "r.xlsx"], ("finish", None)


@case("xlsx-shared-string-1mb-x2000")
def _(d):
    small_plan(d)
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>R-{r}</t></is></c><c r="B{r}" t="s"><v>0</v></c></row>'
                   for r in range(2, 2002))
    xlsx(f"{d}/r.xlsx", HEADER_ROW + rows, shared=["y" * (1024 * 1024)])
    return ["trace", "p.plan", "-r", "r.xlsx", "--format", "json", "-o", "out.json"], ("finish", None)


@case("xlsx-shared-string-1mb-x20000")
def _(d):
    small_plan(d)
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>R-{r}</t></is></c><c r="B{r}" t="s"><v>0</v></c></row>'
                   for r in range(2, 20002))
    xlsx(f"{d}/r.xlsx", HEADER_ROW + rows, shared=["y" * (1024 * 1024)])
    return ["trace", "p.plan", "-r", "r.xlsx", "--format", "json", "-o", "out.json"], ("refused", None)


@case("xlsx-huge-cell-reference")
def _(d):
    small_plan(d)
    xlsx(f"{d}/r.xlsx", HEADER_ROW + '<row r="2">' + cell("ZZZZZZZ99999999999", "x") + "</row>")
    return ["trace", "p.plan", "-r", "r.xlsx"], ("finish", "Q001")


@case("csv-10000-heading-levels")
def _(d):
    small_plan(d)
    rows = ["Object Identifier,Object Heading,Object Text,Object Level"]
    rows += [f"H-{i},Heading {i},,{i}" for i in range(1, 10_001)]
    rows.append("R-1,,the requirement,10001")
    write(f"{d}/r.csv", "\n".join(rows) + "\n")
    return ["trace", "p.plan", "-r", "r.csv", "--format", "json", "-o", "out.json"], ("finish", None)


@case("csv-100000-heading-levels")
def _(d):
    small_plan(d)
    rows = ["Object Identifier,Object Heading,Object Text,Object Level"]
    rows += [f"H-{i},Heading {i},,{i}" for i in range(1, 100_001)]
    rows.append("R-1,,the requirement,100001")
    write(f"{d}/r.csv", "\n".join(rows) + "\n")
    return ["trace", "p.plan", "-r", "r.csv", "--format", "json", "-o", "out.json"], ("finish", None)


@case("reqif-100000-heading-levels")
def _(d):
    small_plan(d)
    n = 100_000
    objs = "".join(spec_object(i, f"heading {i}") for i in range(n))
    hier = "".join(f'<SPEC-HIERARCHY IDENTIFIER="h{i}"><OBJECT><SPEC-OBJECT-REF>o{i}</SPEC-OBJECT-REF></OBJECT><CHILDREN>' for i in range(n))
    hier += "</CHILDREN></SPEC-HIERARCHY>" * n
    write(f"{d}/r.reqif", reqif(objs, hier))
    return ["trace", "p.plan", "-r", "r.reqif", "--format", "json", "-o", "out.json"], ("refused", "nested more than")


@case("reqif-10000-heading-levels")
def _(d):
    small_plan(d)
    n = 10_000
    objs = "".join(spec_object(i, f"heading {i}") for i in range(n))
    hier = "".join(f'<SPEC-HIERARCHY IDENTIFIER="h{i}"><OBJECT><SPEC-OBJECT-REF>o{i}</SPEC-OBJECT-REF></OBJECT><CHILDREN>' for i in range(n))
    hier += "</CHILDREN></SPEC-HIERARCHY>" * n
    write(f"{d}/r.reqif", reqif(objs, hier))
    return ["trace", "p.plan", "-r", "r.reqif", "--format", "json", "-o", "out.json"], ("finish", None)


@case("scenario-3000-injects-over-3000-activities")
def _(d):
    n = 3000
    acts = "".join(f'  activity A{i} "x" {{ at 2025/010 00:00 lasts 10d by FD procedure X v1.0 }}\n' for i in range(n))
    write(f"{d}/p.plan", PLAN_HEAD + acts + "}\n")
    write(f"{d}/x.proc", 'procedure X "x" {\n  version 1.0\n  roles FD\n  step 1 "s" {\n    manual FD "go"\n  }\n}\n')
    injects = "".join(f'  inject E{i} "e" at 2025/011 {i // 60 % 24:02d}:{i % 60:02d} {{\n    expect X v1.0\n  }}\n' for i in range(n))
    write(f"{d}/s.scn", 'scenario S "s" {\n  plan P\n  trainees FD\n' + injects + "}\n")
    return ["check", "."], ("finish", None)


@case("yaml-100k-deep-flow")
def _(d):
    small_plan(d)
    write(f"{d}/opsplan.yaml", "inputs:\n  - p.plan\nrules:\n  - r.yaml\n")
    write(f"{d}/r.yaml", "rules: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return ["check", "."], ("finish", None)


@case("yaml-16000-rules")
def _(d):
    small_plan(d)
    write(f"{d}/opsplan.yaml", "inputs:\n  - p.plan\nrules:\n  - r.yaml\n")
    rules = "".join(f"  - id: R{i}\n    title: rule {i}\n    kind: min_separation\n    select: {{ role: FD }}\n    min: 1m\n" for i in range(16_000))
    write(f"{d}/r.yaml", "rules:\n" + rules)
    return ["check", "."], ("finish", None)


@case("yaml-deep-opsplan")
def _(d):
    small_plan(d)
    write(f"{d}/opsplan.yaml", "inputs: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return ["check", "."], ("finish", None)


@case("findings-8000-on-one-line")
def _(d):
    # One physical line holding 8,000 undefined references (R001).
    refs = " ".join(f"after A{i}" for i in range(2, 8002))
    write(f"{d}/p.plan", PLAN_HEAD + f'  activity A1 "x" {{ at 2025/010 10:00 lasts 1h by FD {refs} }}\n}}\n')
    return ["check", "p.plan"], ("findings", None)


@case("findings-100000-on-a-17mb-line")
def _(d):
    # One physical line of about 17 MB holding 100,000 undefined references (R001).
    refs = " ".join(f"after A{i}-{'x' * 150}" for i in range(2, 100_002))
    write(f"{d}/p.plan", PLAN_HEAD + f'  activity A1 "x" {{ at 2025/010 10:00 lasts 1h by FD {refs} }}\n}}\n')
    return ["check", "p.plan", "--format", "json"], ("findings", None)


@case("report-of-100000-findings")
def _(d):
    # The consistency report of a plan with 100,000 findings (one per line).
    acts = "".join(f'  activity A{i} "x" {{ at 2025/010 10:00 lasts 1h by FD after B{i} }}\n' for i in range(1, 100_001))
    write(f"{d}/p.plan", PLAN_HEAD + acts + "}\n")
    return ["report", "consistency", "p.plan", "-o", "r.html"], ("findings", None)


@case("use-procedures-proc-self-environ")
def _(d):
    write(f"{d}/p.plan", PLAN_HEAD.replace("roles FD\n", 'roles FD\n  use procedures "/proc/self/environ"\n') + "}\n")
    return ["check", "p.plan"], ("refused-or-findings", "!HOSTILE_SECRET")


@case("use-procedures-etc-passwd")
def _(d):
    write(f"{d}/p.plan", PLAN_HEAD.replace("roles FD\n", 'roles FD\n  use procedures "/etc/passwd"\n') + "}\n")
    return ["check", "p.plan"], ("refused-or-findings", "!root:")


@case("inputs-etc-passwd")
def _(d):
    small_plan(d)
    write(f"{d}/opsplan.yaml", "inputs:\n  - p.plan\n  - /etc/passwd\n")
    return ["check", "."], ("refused-or-findings", "!root:")


@case("control-characters-in-titles")
def _(d):
    write(f"{d}/p.plan", PLAN_HEAD + '  activity A1 "\x1b[2J\x07title\r" { at 2025/010 10:00 lasts 1h by XX }\n}\n')
    return ["check", "p.plan", "--color", "never"], ("findings", "!\x1b")


@case("cr-only-line-ends")
def _(d):
    text = (PLAN_HEAD + '  activity A1 "x" { at 2025/010 10:00 lasts 1h by XX }\n}\n').replace("\n", "\r")
    write(f"{d}/p.plan", text)
    return ["check", "p.plan"], ("findings", "p.plan:4:51")


@case("trace-empty-requirements-folder")
def _(d):
    small_plan(d)
    os.makedirs(f"{d}/reqs")
    return ["trace", "p.plan", "-r", "reqs"], ("refused", None)


@case("trace-requirements-folder-link-loop")
def _(d):
    small_plan(d)
    os.makedirs(f"{d}/reqs")
    write(f"{d}/reqs/r.csv", "Object Identifier,Object Text\nREQ-1,the requirement\n")
    os.symlink("..", f"{d}/reqs/up")
    os.symlink(".", f"{d}/reqs/self")
    return ["trace", "p.plan", "-r", "reqs"], ("finish", None)


@case("reqifz-duplicate-members")
def _(d):
    small_plan(d)
    body = reqif(spec_object(1, "a"), "")
    with zipfile.ZipFile(f"{d}/r.reqifz", "w") as z:
        z.writestr("m.reqif", body)
        z.writestr("m.reqif", body.replace('THE-VALUE="a"', 'THE-VALUE="b"'))
    return ["trace", "p.plan", "-r", "r.reqifz"], ("refused-or-findings", "m.reqif")


@case("csv-mixed-utf8-and-1252")
def _(d):
    small_plan(d)
    data = "Object Identifier,Object Text\nR-1,café déjà vu\nR-2,".encode() + b"caf\xe9\n"
    write(f"{d}/r.csv", data)
    return ["trace", "p.plan", "-r", "r.csv"], ("refused-or-findings", "Q001")


@case("csv-unterminated-quote")
def _(d):
    small_plan(d)
    write(f"{d}/r.csv", 'Object Identifier,Object Text\nR-1,"never closed\n')
    return ["trace", "p.plan", "-r", "r.csv"], ("refused-or-findings", "Q001")


@case("reqif-nul-character-reference")
def _(d):
    small_plan(d)
    write(f"{d}/r.reqif", reqif(spec_object(1, "a&#0;b"), ""))
    return ["trace", "p.plan", "-r", "r.reqif"], ("refused-or-findings", "Q001")


def run_case(binary, name, build):
    d = tempfile.mkdtemp(prefix=f"opsplan-hostile-{name}-")
    try:
        argv, (expect, needle) = build(d)
        before = digest_tree(d)
        timer = ["/usr/bin/time", "-f", "%e %M"] if os.path.exists("/usr/bin/time") else []
        cmd = ["sh", "-c", f'ulimit -v {LIMIT_KIB}; exec "$@"', "sh"] + timer + [binary] + argv
        env = dict(os.environ, HOSTILE_SECRET="s3cr3t-HOSTILE_SECRET", NO_COLOR="1")
        started = time.monotonic()
        try:
            p = subprocess.run(cmd, cwd=d, env=env, capture_output=True, timeout=120)
            code, out, err = p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            code, out, err = None, "", "timeout after 120 s"
        wall = time.monotonic() - started
        rss_mib = None
        if timer and err.strip():
            last = err.strip().splitlines()[-1].split()
            if len(last) == 2:
                try:
                    wall, rss_mib = float(last[0]), int(last[1]) / 1024
                    err = "\n".join(err.strip().splitlines()[:-1])
                except ValueError:
                    pass
        after = digest_tree(d)
        changed = [k for k in before if before[k] != after.get(k)]
        problems = []
        if code is None or code < 0 or code > 3:
            problems.append(f"exit {code}")
        elif expect == "refused" and code != 2:
            problems.append(f"expected exit 2, got {code}")
        elif expect == "findings" and code != 1:
            problems.append(f"expected exit 1, got {code}")
        elif expect == "refused-or-findings" and code not in (1, 2):
            problems.append(f"expected exit 1 or 2, got {code}")
        if code == 3:
            problems.append("internal error")
        if wall > 5:
            problems.append(f"{wall:.1f} s > 5 s")
        if rss_mib is not None and rss_mib > 1024:
            problems.append(f"{rss_mib:.0f} MiB > 1 GiB")
        if changed:
            problems.append("inputs changed: " + ", ".join(changed))
        if needle:
            text = out + err
            if needle.startswith("!"):
                if needle[1:] in text or (needle == "!HOSTILE_SECRET" and "s3cr3t" in text):
                    problems.append(f"output holds {needle[1:]!r}")
            elif needle not in text:
                problems.append(f"output lacks {needle!r}")
        first = next((l for l in err.splitlines()
                      if l.strip() and not l.startswith("Command exited with")), "")[:110]
        rss = f"{rss_mib:7.0f} MiB" if rss_mib is not None else "      ? MiB"
        status = "ok  " if not problems else "FAIL"
        print(f"{status} {name:44} exit {code!s:4} {wall:6.2f} s {rss}  {first}")
        for p in problems:
            print(f"       - {p}")
        return not problems
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/opsplan"))
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    ok = True
    for name, build in CASES:
        if args.only and name not in args.only:
            continue
        ok &= run_case(binary, name, build)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
