#!/usr/bin/env python3
"""Paced provider callbacks for the soak: replays bench/webhooks/Signer's pre-signed Twilio status callbacks
("signature<TAB>body" per line, in the order written) one every PAUSE seconds until STOP_FILE exists or they run out.
One line per request to OUT: start_seconds end_seconds callback status (0: no answer).
Usage: callbacks.py BASE PATH SIGNED_FILE PAUSE STOP_FILE OUT"""
import http.client, os, sys, time, urllib.parse

base, path, signed, pause, stop_file, out_path = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5], sys.argv[6]
url = urllib.parse.urlparse(base)
conn = None
with open(out_path, "w", buffering=1) as out:
    for line in open(signed):
        if os.path.exists(stop_file): break
        signature, body = line.rstrip("\n").split("\t", 1)
        started = time.time()
        try:
            if conn is None: conn = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
            conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
            response = conn.getresponse(); response.read(); status = response.status
        except Exception:
            status, conn = 0, None
        out.write(f"{started:.3f} {time.time():.3f} callback {status}\n")
        time.sleep(max(0.0, pause - (time.time() - started)))
