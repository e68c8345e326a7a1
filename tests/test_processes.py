"""Worker processes (site_builder/processes.py): a process that runs other threads never forks
(a lock another thread holds would stay locked in the child forever); workers get their input
as an explicit payload, and give the same output however they were started."""
import subprocess
import sys

from site_builder.build import build
from site_builder.model.config import load_config

from conftest import page, tree, write_site

START_METHOD = """
import threading
from site_builder.processes import start_method
print(start_method())
stop = threading.Event()
t = threading.Thread(target=stop.wait)
t.start()
print(start_method())
stop.set()
"""


def test_fork_only_while_this_is_the_only_thread():
    r = subprocess.run([sys.executable, "-c", START_METHOD], capture_output=True, text=True, timeout=60)
    assert r.stdout.split() == ["fork", "forkserver"], r.stderr


NO_FORK = """
import os, sys, threading
from pathlib import Path
from site_builder.build import build
from site_builder.model.config import load_config

def refuse():
    raise AssertionError("os.fork() called while another thread runs")

os.fork = refuse  # what the multiprocessing fork start method calls (a fork server is a new program)
stop = threading.Event()
t = threading.Thread(target=stop.wait)  # as the dev server's web server, indexer and cache writer
t.start()
try:
    result = build(load_config(Path(sys.argv[1])), out=Path(sys.argv[2]), jobs=2)
    print(result.rendered)
finally:
    stop.set()
"""


def test_a_process_with_threads_renders_on_workers_it_did_not_fork(tmp_path):
    """Reading (256 pages or more) and rendering (64 routes or more) both use worker processes."""
    files = {f"content/s{i % 3}/p{i}.md": page(f"P{i}", f"Text [next](p{(i + 3) % 300}.md) *{i}*.", date="2024-01-01")
             for i in range(300)}
    root = write_site(tmp_path / "site", files)
    r = subprocess.run([sys.executable, "-c", NO_FORK, str(root), str(tmp_path / "threaded")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    # 300 pages; 3 sections of 100 pages, 10 a page (paginate's default) so 10 list pages each;
    # home, about and 404 (the site has no tags)
    assert r.stdout.split() == ["333"]
    build(load_config(root), out=tmp_path / "serial", jobs=1, use_cache=False)
    assert tree(tmp_path / "threaded") == tree(tmp_path / "serial")
