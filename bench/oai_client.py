"""A minimal OAI-PMH harvester for bench/oai.sh: one full ListRecords pass over
BASE (http://HOST:PORT) in metadataPrefix PREFIX, following resumption tokens on one
kept-alive connection. Prints "RECORDS SECONDS PAGES BYTES"."""
import http.client
import re
import sys
import time
import urllib.parse

TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")


def main():
    base, prefix = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "oai_dc"
    host = urllib.parse.urlsplit(base).netloc
    connection = http.client.HTTPConnection(host, timeout=600)
    query = "verb=ListRecords&metadataPrefix=" + prefix
    records = pages = size = 0
    started = time.monotonic()
    while query:
        connection.request("GET", "/oai?" + query)
        reply = connection.getresponse()
        body = reply.read()
        if reply.status != 200 or b"<error" in body:
            sys.exit("harvest failed: %d %s" % (reply.status, body[:500]))
        records += body.count(b"<record>")
        pages += 1
        size += len(body)
        match = TOKEN.search(body)
        query = ("verb=ListRecords&resumptionToken=" + urllib.parse.quote(match.group(1).decode())
                 if match else None)
    print(records, "%.3f" % (time.monotonic() - started), pages, size)


if __name__ == "__main__":
    main()
