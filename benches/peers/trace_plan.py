#!/usr/bin/env python3
"""A plan tracing to the requirements of gen_reqif.py (../shared/bench): N requirements
OPS-REQ-000001..N; one activity per two requirements, each covering both, except that
every tenth requirement is left uncovered (a realistic gap list). Deterministic, stdlib.

Usage: trace_plan.py N OUT.plan
"""
import sys

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    lines = [
        'plan PEER-TRACE "Plan tracing to the generated module" {',
        "  horizon 2030/001 00:00 .. 2031/001 00:00",
        "  roles FD, GC",
    ]
    day, minute = 1, 0
    for k, first in enumerate(range(1, n + 1, 2)):
        ids = [i for i in (first, first + 1) if i <= n and i % 10 != 0]
        if not ids:
            continue
        when = f"2030/{day:03d} {minute // 60:02d}:{minute % 60:02d}"
        covers = ", ".join(f"OPS-REQ-{i:06d}" for i in ids)
        lines.append(f'  activity A{k + 1} "Operations step {k + 1}" {{')
        lines.append(f"    at {when}   lasts 10m   by {'FD' if k % 2 else 'GC'}")
        lines.append(f"    covers {covers}")
        lines.append("  }")
        minute += 15
        if minute >= 24 * 60:
            day, minute = day + 1, 0
    lines.append("}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()
