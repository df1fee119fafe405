#!/usr/bin/env python3
"""A webhook receiver for the kill drill: answers 204 to every POST after a short pause (so a burst takes a while to
deliver), and appends "path webhook-id" to the log for each delivery it got, one line per request, flushed at once.
Usage: receiver.py PORT LOG [DELAY_SECONDS]"""
import http.server, sys, threading, time

port, log_path = int(sys.argv[1]), sys.argv[2]
delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.02
log = open(log_path, "a", buffering=1)
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        time.sleep(delay)
        with lock:
            log.write(f"{self.path} {self.headers.get('webhook-id')}\n")
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a killed instance's keep-alive connections reset: not a delivery, nothing to log


Server(("127.0.0.1", port), Handler).serve_forever()
