"""Converts docs/openapi.yaml to the JSON that bioex serves at /api/v1/openapi.json.

Run by make with Debian's python3 and python3-yaml: yaml2json.py IN.yaml OUT.json
"""
import json
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as source:
    document = yaml.safe_load(source)
with open(sys.argv[2], "w", encoding="utf-8") as target:
    json.dump(document, target, ensure_ascii=False, separators=(",", ":"))
