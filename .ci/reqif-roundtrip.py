#!/usr/bin/env python3
"""The ReqIF write-back read by an independent reader (issue #20, item 3).

    reqif-roundtrip.py INPUT OUTPUT [--attribute NAME ...]

INPUT is a ReqIF or ReqIFz export, OUTPUT what `opsplan trace --format reqif-update`
wrote from it. Both are parsed with StrictDoc's `reqif` package (pinned by .ci/run) and
compared: the header, datatypes, spec types, specifications and their hierarchy, relations
and every SPEC-OBJECT's identifier, type, names and attribute values must be the same,
except the values of the write-back attributes (default `OPS Coverage` and `OPS Covered
By`) and the LAST-CHANGE of an object whose write-back values differ. Prints what
changed; exit 1 on any other difference, 2 on bad usage.
"""

import io
import sys
import zipfile

from reqif.parser import ReqIFParser


def bundles(path):
    """(member name, bundle) of each .reqif of a ReqIF or ReqIFz file."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"PK\x03\x04"):
        out = []
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                if name.lower().endswith(".reqif"):
                    out.append((name, ReqIFParser.parse_from_string(z.read(name).decode("utf-8"))))
        return out
    return [(None, ReqIFParser.parse(path))]


def members_of(path):
    """The non-.reqif members of a ReqIFz with their bytes (compared as they are)."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"PK\x03\x04"):
        return {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if not n.lower().endswith(".reqif")}


def plain(value):
    """A value as comparable data: lists, strings and numbers, never lxml nodes."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return str(value)


def fields(obj, skip=()):
    out = {}
    for k, v in vars(obj).items():
        if k in skip or k == "xml_node" or k.startswith("_"):
            continue
        if hasattr(v, "__dict__") and not isinstance(v, (str, int, float, bool)):
            out[k] = fields(v)
        elif isinstance(v, list):
            out[k] = [fields(x) if hasattr(x, "__dict__") else plain(x) for x in v]
        else:
            out[k] = plain(v)
    return out


def writeback_definitions(content, names):
    """The identifiers of the attribute definitions named `names`, in every spec type."""
    ids = set()
    for t in content.spec_types or []:
        for a in getattr(t, "attribute_definitions", None) or []:
            if a.long_name in names:
                ids.add(a.identifier)
    return ids


def compare(member, a, b, names, report):
    where = f"{member}: " if member else ""
    ok = True
    if fields(a.req_if_header) != fields(b.req_if_header):
        report.append(f"{where}the header differs")
        ok = False
    ca, cb = a.core_content.req_if_content, b.core_content.req_if_content
    for part in ("data_types", "spec_types", "specifications", "spec_relations", "spec_relation_groups"):
        if [fields(x) for x in getattr(ca, part) or []] != [fields(x) for x in getattr(cb, part) or []]:
            report.append(f"{where}{part} differ")
            ok = False
    if (a.core_content is None) != (b.core_content is None):
        report.append(f"{where}CORE-CONTENT differs")
        ok = False
    wb = writeback_definitions(ca, names)
    if len(wb) == 0:
        report.append(f"{where}no write-back attribute definition named {sorted(names)}")
        ok = False
    oa, ob = ca.spec_objects or [], cb.spec_objects or []
    if [o.identifier for o in oa] != [o.identifier for o in ob]:
        report.append(f"{where}the SPEC-OBJECTs differ (identifiers or order)")
        return False
    changed = 0
    for x, y in zip(oa, ob):
        fx = fields(x, skip=("attributes", "attribute_map", "last_change"))
        fy = fields(y, skip=("attributes", "attribute_map", "last_change"))
        if fx != fy:
            report.append(f"{where}SPEC-OBJECT {x.identifier} differs outside its values")
            ok = False
        keep = lambda o: [(at.definition_ref, plain(at.value)) for at in o.attributes if at.definition_ref not in wb]
        if keep(x) != keep(y):
            report.append(f"{where}SPEC-OBJECT {x.identifier}: a value other than the write-back ones differs")
            ok = False
        wx = {at.definition_ref: plain(at.value) for at in x.attributes if at.definition_ref in wb}
        wy = {at.definition_ref: plain(at.value) for at in y.attributes if at.definition_ref in wb}
        if wx != wy:
            changed += 1
        elif x.last_change != y.last_change:
            report.append(f"{where}SPEC-OBJECT {x.identifier}: LAST-CHANGE changed, its write-back values did not")
            ok = False
    report.append(f"{where}{len(oa)} objects, {changed} with write-back values changed")
    return ok


def main(argv):
    args = argv[1:]
    names = []
    paths = []
    while args:
        a = args.pop(0)
        if a == "--attribute" and args:
            names.append(args.pop(0))
        else:
            paths.append(a)
    if len(paths) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    names = set(names or ["OPS Coverage", "OPS Covered By"])
    a, b = bundles(paths[0]), bundles(paths[1])
    report = []
    ok = [m for m, _ in a] == [m for m, _ in b]
    if not ok:
        report.append("the archives' .reqif members differ")
    if members_of(paths[0]) != members_of(paths[1]):
        report.append("the archives' other members differ")
        ok = False
    for (m, x), (_, y) in zip(a, b):
        ok = compare(m, x, y, names, report) and ok
    print(f"{paths[1]} against {paths[0]}: " + "; ".join(report))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
