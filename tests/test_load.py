"""The dev server under load and attack: 200 concurrent clients for 10 seconds on 127.0.0.1
(bounded: it stops by itself), traversal attempts mixed in. Zero errors; p99 is reported."""
import http.client
import json
import random
import statistics
import threading
import time

from conftest import ROOT
from test_serve import Server, seed_site  # noqa: F401 - the fixture

CLIENTS, SECONDS = 200, 10.0
ATTACKS = ["/../site.yaml", "/%2e%2e/site.yaml", "/%2E%2E%2Fsite.yaml", "/..%5csite.yaml", "/%00", "/..\\site.yaml",
           "//etc/passwd", "/innovation/%2e%2e/%2e%2e/site.yaml", "/static/../../site.yaml"]


def test_two_hundred_clients_for_ten_seconds(seed_site):  # noqa: F811
    server = Server(seed_site)
    pages = ["/", "/innovation/", "/overview/", "/style.css", "/favicon.svg", "/terms/", "/about/", "/feed.xml",
             "/sitemap.xml", "/industrial-clusters/", "/sources/"]
    latencies: list[float] = []
    errors: list[str] = []
    counts = {"pages": 0, "attacks": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS
    start = threading.Barrier(CLIENTS)

    def client(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        start.wait()
        mine, bad = [], []
        while time.monotonic() < deadline:
            attack = rng.random() < 0.05
            path = rng.choice(ATTACKS if attack else pages)
            t0 = time.perf_counter()
            try:
                conn.putrequest("GET", path, skip_accept_encoding=True)
                conn.endheaders()
                r = conn.getresponse()
                body = r.read()
            except Exception as e:  # a dropped connection is an error
                bad.append(f"{path}: {type(e).__name__}: {e}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                continue
            mine.append(time.perf_counter() - t0)
            if attack and (r.status not in (400, 404) or b"base_url" in body):
                bad.append(f"{path}: {r.status}")
            elif not attack and r.status != 200:
                bad.append(f"{path}: {r.status}")
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 60)
    code, output = server.stop()
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100)
    report = {"clients": CLIENTS, "seconds": SECONDS, "requests": len(ms), "errors": len(errors),
              "requests_per_s": round(len(ms) / SECONDS), "p50_ms": round(q[49], 1), "p99_ms": round(q[98], 1),
              "max_ms": round(ms[-1], 1)}
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "load.json").write_text(json.dumps(report, indent=1))
    print("\nload:", report)
    assert errors == [], errors[:10]
    assert not any(t.is_alive() for t in threads)
    assert len(ms) > CLIENTS and code == 0 and "Traceback" not in output
