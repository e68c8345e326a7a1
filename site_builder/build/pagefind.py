"""Pagefind in its service mode (``pagefind --service``): one process makes the bundles of any
number of shards, one after the other, so a build that remakes several shards starts Pagefind
once, and once loads what it loads for a language (for Chinese, its word dictionary: about
0.15 s of CPU, paid by each process whose pages have Chinese text).

The protocol is the one Pagefind's own Python and Node.js wrappers speak: each message a JSON
object, base64-encoded and followed by a comma, both ways; a reply carries the ``message_id``
of its request. Its Python client (``pagefind.service``) is not used: it polls the process's
output every 0.1 s, a tenth of a second per reply and four replies a shard (on a 1,000-article
site, it made the index of one added article slower, not faster). ``tests/test_pins.py``
checks the messages used here against the installed Pagefind."""
from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from ..errors import SiteError

# Pagefind's thread pools default to far more threads than a small machine has cores
# (on 2 cores that made it 2-4x slower, from futex contention)
THREADS = {"TOKIO_WORKER_THREADS": "1", "RAYON_NUM_THREADS": "1"}


def failed(detail: str) -> SiteError:
    return SiteError("site.yaml", None, f"Pagefind could not index the site: {detail}")


class Service:
    """One Pagefind process; ``bundle`` makes one index from a folder of pages and writes it."""

    def __init__(self, command: tuple[str, ...]):
        self.sent = 0
        try:
            self.proc = subprocess.Popen([*command, "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env={**os.environ, **THREADS})
        except OSError as e:
            raise failed(f"cannot start {command[0]}: {e.strerror}") from None

    def send(self, **payload: Any) -> dict:
        """Send one request and wait for its reply (the reply's payload)."""
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode()
        data = b""
        try:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.write(base64.b64encode(message) + b",")
            self.proc.stdin.flush()
            while not data.endswith(b","):
                chunk = self.proc.stdout.read1(1 << 16)
                if not chunk:
                    raise failed(f"Pagefind stopped (exit {self.proc.wait()})")
                data += chunk
            reply = json.loads(base64.b64decode(data[:-1]))
        except (OSError, ValueError) as e:
            raise failed(f"no answer from Pagefind ({e})") from None
        answer = reply.get("payload") or {}
        if answer.get("type") == "Error":
            lines = str(answer.get("message", "")).strip().splitlines()
            raise failed(lines[-1] if lines else "an error without a message")
        if reply.get("message_id") != self.sent:
            raise failed(f"a reply to message {reply.get('message_id')}, not {self.sent}")
        return answer

    def bundle(self, pages: Path, output: Path) -> None:
        """Index every page in ``pages`` (as ``pagefind --site pages`` would) into a bundle in
        ``output``, then free the index's memory."""
        index = self.send(type="NewIndex", config=None)["index_id"]
        self.send(type="AddDir", index_id=index, path=str(pages), glob=None)
        self.send(type="WriteFiles", index_id=index, output_path=str(output))
        self.send(type="DeleteIndex", index_id=index)

    def close(self) -> None:
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        except OSError:
            pass
        self.proc.terminate()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
