#!/usr/bin/env python3
# A partner's callback receiver on 127.0.0.1:9000 for the walk-through: prints each POST's path and body.
import http.server
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        print(self.path, body.decode(), flush=True)
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", 9000), Receiver).serve_forever()
