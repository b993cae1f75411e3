#!/usr/bin/env python3
"""faulty_server.py - a FHIR "lab" that fails on purpose, for
tests/lab/test_lab_faults.sh: each way a lab or the network between can
go wrong, chosen by the first segment of the request path (or for every
path by the MODE argument).

    faulty_server.py [--tls CERT KEY] [MODE]

Binds 127.0.0.1 on a free port and prints the port as its first line.
Modes (state per request path, query included, so each request of a
sync meets the fault once):
  ok             200, an empty searchset Bundle (a transaction-response to
                 POST), with a Set-Cookie a client must not send back
  hang           accepts, never answers (until the client goes away)
  flaky          500 first, then 200 with the empty Bundle
  busy           429 with Retry-After: 1 first, then 200
  down           503 every time
  garbage        200 with a body that is not JSON
  huge           200, 100 MB with Content-Length declared
  huge-chunked   200, 100 MB chunked
  reset          headers and half the body, then a TCP reset (SO_LINGER 0)
  redirect       302 to http://other.invalid:PORT/ok/...
  same-redirect  302 to /ok/... on this server
  refuse         422 with an OperationOutcome
GET /_hits answers {"MODE": {"hits": N, "ok": N, "failed": N}, ...,
"paths": {PATH: N}, "headers": {MODE: {...}}}: how often each mode was
asked, answered well and failed on purpose, how often each request path
came, and the Authorization, Accept, Content-Type, User-Agent and Cookie
headers of each mode's last request. Python standard library only; exits on SIGTERM.
"""
import json
import select
import signal
import socket
import ssl
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMPTY = b'{"resourceType":"Bundle","type":"searchset","total":0}'
TX_RESPONSE = b'{"resourceType":"Bundle","type":"transaction-response","entry":[]}'
OUTCOME = json.dumps({"resourceType": "OperationOutcome", "issue": [{
    "severity": "error", "code": "invalid",
    "details": {"text": "Specimen.subject is required"}}]}).encode()
GARBAGE = b'{"resourceType": "Bundle", "type": "searchset", "total": 0, "entry": [{'
HUGE = 100 * 1024 * 1024
FHIR_JSON = "application/fhir+json"

lock = threading.Lock()
hits = {}       # mode -> {"hits", "ok", "failed"}
paths = {}      # request path -> times asked
last = {}       # mode -> some headers of its last request
fixed_mode = None


def count(mode, what):
    with lock:
        c = hits.setdefault(mode, {"hits": 0, "ok": 0, "failed": 0})
        c[what] += 1


def bump(path):
    """Counts a request for path (query included); returns its number, 1 first."""
    with lock:
        paths[path] = paths.get(path, 0) + 1
        return paths[path]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faulty-lab/1"

    def log_message(self, fmt, *args):
        pass

    def mode_and_rest(self):
        segs = self.path.lstrip("/").split("/", 1)
        head = segs[0].split("?", 1)[0]
        if fixed_mode is not None and head != "_hits":
            return fixed_mode, self.path.lstrip("/")
        return head, segs[1] if len(segs) > 1 else ""

    def send(self, status, body, ctype=FHIR_JSON, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def do_GET(self):
        self.handle_mode()

    def do_POST(self):
        self.read_body()
        self.handle_mode()

    def handle_mode(self):
        mode, rest = self.mode_and_rest()
        if mode == "_hits":
            with lock:
                doc = dict(hits)
                doc["paths"] = dict(paths)
                doc["headers"] = dict(last)
            self.send(200, json.dumps(doc).encode(), "application/json")
            return
        fn = MODES.get(mode)
        if fn is None:
            self.send(404, b'{"resourceType":"OperationOutcome","issue":[{"severity":"error",'
                      b'"code":"not-found","details":{"text":"no such mode"}}]}')
            return
        count(mode, "hits")
        self.nth = bump(self.path)
        with lock:
            last[mode] = {k: self.headers.get(k, "") for k in
                          ("Authorization", "Accept", "Content-Type", "User-Agent", "Cookie")}
        fn(self, mode, rest)

    # --- the modes -------------------------------------------------------

    def m_ok(self, mode, rest):
        count(mode, "ok")
        self.send(200, TX_RESPONSE if self.command == "POST" else EMPTY,
                  extra=[("Set-Cookie", "lab_session=s1; Path=/")])

    def m_hang(self, mode, rest):
        count(mode, "failed")
        self.close_connection = True
        while True:  # until the client closes its end
            r, _, _ = select.select([self.connection], [], [], 0.5)
            if r:
                try:
                    if self.connection.recv(1, socket.MSG_PEEK) == b"":
                        return
                except OSError:
                    return

    def m_flaky(self, mode, rest):
        if self.nth == 1:
            count(mode, "failed")
            self.send(500, b'{"resourceType":"OperationOutcome","issue":[{"severity":"error",'
                      b'"code":"exception","diagnostics":"try again"}]}')
        else:
            self.m_ok(mode, rest)

    def m_busy(self, mode, rest):
        if self.nth == 1:
            count(mode, "failed")
            self.send(429, b"", "text/plain", [("Retry-After", "1")])
        else:
            self.m_ok(mode, rest)

    def m_down(self, mode, rest):
        count(mode, "failed")
        self.send(503, b"down for maintenance", "text/plain")

    def m_garbage(self, mode, rest):
        count(mode, "failed")
        self.send(200, GARBAGE)

    def stream_huge(self, chunked):
        block = b" " * 65536
        self.send_response(200)
        self.send_header("Content-Type", FHIR_JSON)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(HUGE))
        self.end_headers()
        self.close_connection = True
        try:
            for _ in range(HUGE // len(block)):
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                else:
                    self.wfile.write(block)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client stopped reading: what it should do

    def m_huge(self, mode, rest):
        count(mode, "failed")
        self.stream_huge(False)

    def m_huge_chunked(self, mode, rest):
        count(mode, "failed")
        self.stream_huge(True)

    def m_reset(self, mode, rest):
        count(mode, "failed")
        body = EMPTY + b" " * 4096
        self.send_response(200)
        self.send_header("Content-Type", FHIR_JSON)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()  # its reference would keep the socket open
        self.connection.close()

    def m_redirect(self, mode, rest):
        count(mode, "failed")
        port = self.server.server_address[1]
        self.send(302, b"", "text/plain", [("Location", "http://other.invalid:%d/ok/%s" % (port, rest))])

    def m_same_redirect(self, mode, rest):
        count(mode, "ok")
        self.send(302, b"", "text/plain", [("Location", "/ok/" + rest)])

    def m_refuse(self, mode, rest):
        count(mode, "failed")
        self.send(422, OUTCOME)


MODES = {
    "ok": Handler.m_ok, "hang": Handler.m_hang, "flaky": Handler.m_flaky,
    "busy": Handler.m_busy, "down": Handler.m_down, "garbage": Handler.m_garbage,
    "huge": Handler.m_huge, "huge-chunked": Handler.m_huge_chunked,
    "reset": Handler.m_reset, "redirect": Handler.m_redirect,
    "same-redirect": Handler.m_same_redirect, "refuse": Handler.m_refuse,
}


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up mid-answer is the point of this server


def main(argv):
    global fixed_mode
    tls = None
    args = argv[1:]
    if args[:1] == ["--tls"]:
        if len(args) < 3:
            print("usage: faulty_server.py [--tls CERT KEY] [MODE]", file=sys.stderr)
            return 2
        tls, args = (args[1], args[2]), args[3:]
    if args:
        if args[0] not in MODES:
            print("faulty_server.py: unknown mode %r" % args[0], file=sys.stderr)
            return 2
        fixed_mode = args[0]
    server = Server(("127.0.0.1", 0), Handler)
    if tls is not None:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls[0], tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except (KeyboardInterrupt, SystemExit):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
