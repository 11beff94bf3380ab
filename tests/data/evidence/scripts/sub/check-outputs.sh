#!/bin/ksh
# [covers: OPS-TOR-SCRIPT, OPS-TOR-EXIT]
opsplan trace . --format json > out.json
