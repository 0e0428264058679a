"""uvicorn's HTTP protocol, answering requests it cannot parse in JSON like every other error."""

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class JSONErrorHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn refuses malformed requests (broken chunked framing, bad headers) itself, before
    the app sees them, with a plain-text 400; this one says the same in a JSON `detail`."""

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"detail": msg.removesuffix(".")}).encode()
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head += [
            b"content-type: application/json\r\n",
            b"x-content-type-options: nosniff\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
