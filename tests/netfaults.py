"""Real network faults on 127.0.0.1 for the drift tests (no boto3 fakes).

    closed_port()                 a port nothing listens on (connection refused)
    SilentServer()                accepts connections and never answers (a hung endpoint)
    HtmlServer()                  answers every request with an HTML error page (a wrong endpoint)
    CuttingProxy(upstream, n)     forwards to `upstream` (moto) and drops every connection, and
                                  refuses new ones, once `n` HTTP requests have gone through
"""
from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Listener:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.conns: list[socket.socket] = []
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn: socket.socket) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def close(self) -> None:
        self.closed.set()
        try:
            self.sock.close()
        except OSError:
            pass
        for c in list(self.conns):
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class SilentServer(_Listener):
    def serve(self, conn: socket.socket) -> None:
        try:
            while conn.recv(65536):
                pass  # read the request, never answer
        except OSError:
            pass


class HtmlServer(_Listener):
    PAGE = (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
            b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n")
    STATUS = b"404 Not Found"

    def serve(self, conn: socket.socket) -> None:
        try:
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                conn.sendall(b"HTTP/1.1 " + self.STATUS + b"\r\nContent-Type: text/html\r\nContent-Length: "
                             + str(len(self.PAGE)).encode() + b"\r\n\r\n" + self.PAGE)
        except OSError:
            pass


class BrokenHtmlServer(HtmlServer):
    """A 500 with an HTML page that is not even XML (unclosed tags): botocore cannot parse it."""

    PAGE = (b"<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n"
            b"<h1>Internal Server Error</h1>\n<p>The server encountered an internal error.</p>\n")
    STATUS = b"500 Internal Server Error"


class CuttingProxy(_Listener):
    def __init__(self, upstream: str, cut_after: int) -> None:
        u = urlparse(upstream)
        self.upstream = (u.hostname, u.port)
        self.cut_after = cut_after
        self.requests = 0
        self.lock = threading.Lock()
        super().__init__()

    def serve(self, conn: socket.socket) -> None:
        try:
            up = socket.create_connection(self.upstream)
        except OSError:
            conn.close()
            return
        self.conns.append(up)
        threading.Thread(target=self._pipe, args=(up, conn, False), daemon=True).start()
        self._pipe(conn, up, True)

    def _pipe(self, src: socket.socket, dst: socket.socket, counting: bool) -> None:
        try:
            while not self.closed.is_set():
                data = src.recv(65536)
                if not data:
                    break
                if counting:
                    with self.lock:
                        self.requests += data.count(b" HTTP/1.1\r\n")
                        if self.requests > self.cut_after:
                            self.close()  # the network goes away: this request never arrives
                            return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass
