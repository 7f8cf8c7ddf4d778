"""Turns the benchmark's queries (queries.py) into bioex search URLs, one path a line:

  /api/v1/records?q=<q, percent-encoded as UTF-8>&size=20
      &facets=type,instrument,country,region,target,subject,language,year
      [&type=...][&country=...][&instrument=...]

usage: urls.py QUERIES.ndjson > URLS.txt
"""
import json
import sys
import urllib.parse

FACETS = "type,instrument,country,region,target,subject,language,year"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: urls.py QUERIES.ndjson > URLS.txt")
    with open(sys.argv[1], encoding="utf-8") as source:
        for line in source:
            query = json.loads(line)
            parameters = [("q", query["q"]), ("size", "20"), ("facets", FACETS)]
            parameters += sorted(query.get("filters", {}).items())
            print("/api/v1/records?" + urllib.parse.urlencode(parameters, quote_via=urllib.parse.quote, safe=","))


if __name__ == "__main__":
    main()
