#!/usr/bin/env python3
"""Browser tests: the real server, the real page, Debian's headless Chromium driven by Selenium.

Usage: run_browser_tests.py --binary .build/release/ganlab [--only NAME ...] [--list] [--strict]
                            [--screenshots DIR | --update-screenshots]

Prints one line per test (PASS, FAIL or PENDING with the reason), measured timings, and a closing
"N passed, N failed, N pending" line. Exits non-zero on any failure (and, with --strict, on any pending
test). Screenshots go to a fresh temporary directory unless --screenshots names one; --update-screenshots
writes the README's copies (docs/screenshot-lab.png at 1280×800, docs/screenshot-phone.png at 390×844).
Settings follow shared/tools/browser-testing.md (run with Debian's /usr/bin/python3).
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from page_tests import TESTS as PAGE_TESTS, Pending  # noqa: E402
from feature_tests import TESTS as FEATURE_TESTS  # noqa: E402
from audit_tests import TESTS as AUDIT_TESTS  # noqa: E402

# The draw-time measurement (and the lab screenshot) last, when the other tests' runs are paused or gone.
TESTS = PAGE_TESTS[:-1] + FEATURE_TESTS + AUDIT_TESTS + PAGE_TESTS[-1:]


class Server:
    """`ganlab serve` on `host` (127.0.0.1): started on port 0, restarted on the same port and data directory."""

    def __init__(self, binary, host="127.0.0.1", persistent=True):
        self.binary = binary
        self.host = host
        self.persistent = persistent
        self.proc = None
        self.port = 0
        self.base = None
        self.log_path = os.path.join(tempfile.gettempdir(), f"ganlab-browser-{os.getpid()}.log")
        help_text = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True, timeout=30)
        self.has_data_dir = "--data-dir" in (help_text.stdout + help_text.stderr)
        self.data_dir = tempfile.mkdtemp(prefix="ganlab-browser-data-") if self.has_data_dir and persistent else None

    def start(self):
        args = [self.binary, "serve", "--host", self.host, "--port", str(self.port), "--public", os.path.join(ROOT, "Public")]
        if self.data_dir:
            args += ["--data-dir", self.data_dir]
        elif not self.persistent:
            args += ["--in-memory"]
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            log.write(line)
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                self.port = int(match.group(1).rstrip("/").rsplit(":", 1)[1])
                # A wildcard server is reached on loopback like the others (the browser maps every other name away).
                self.base = f"http://127.0.0.1:{self.port}"
                # Keep draining stdout so the server never blocks on a full pipe.
                subprocess.Popen(["cat"], stdin=self.proc.stdout, stdout=log)
                return self.base
        self.proc.kill()
        raise RuntimeError(f"server did not report its address within 60 s (log: {self.log_path})")

    def stop(self):
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self):
        self.stop()
        return self.start()


def make_driver(width=1280, height=800, mobile=False, scale=1):
    """A headless Chromium whose viewport is exactly width × height CSS pixels."""
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height + 140}",
                 # The page uses only 2-D canvases (no WebGL): software compositing and software canvases. Reading
                 # pixels back is then milliseconds, not seconds (a GPU readback through SwiftShader), animation
                 # frames keep coming on a loaded machine, and the measured draw time includes rasterising.
                 "--disable-gpu", "--disable-accelerated-2d-canvas",
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                 "--disable-backgrounding-occluded-windows",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile})
    if mobile:
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    driver.set_script_timeout(30)
    return driver


class Context:
    """What a test gets: the server, the main browser, more browsers on demand, a place for screenshots."""

    def __init__(self, server, screenshots):
        self.server = server
        self.screenshots = screenshots
        self.driver = make_driver()
        self.extra = []
        self.extra_servers = []
        self.notes = []

    @property
    def base(self):
        return self.server.base

    def new_driver(self, **kwargs):
        driver = make_driver(**kwargs)
        self.extra.append(driver)
        return driver

    def extra_server(self, host):
        """Another `ganlab serve` (in memory) for one test; stopped after the test."""
        server = Server(self.server.binary, host=host, persistent=False)
        server.start()
        self.extra_servers.append(server)
        return server

    def close_extra(self):
        for driver in self.extra:
            try:
                driver.quit()
            except Exception:  # a browser that already died: nothing left to close
                pass
        self.extra = []
        for server in self.extra_servers:
            server.stop()
        self.extra_servers = []

    def note(self, text):
        """A measurement to report (timings are reported, never asserted)."""
        self.notes.append(text)
        print(f"  measured: {text}", flush=True)

    def screenshot_path(self, name):
        if not self.screenshots:
            return None
        os.makedirs(self.screenshots, exist_ok=True)
        return os.path.join(self.screenshots, name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--only", nargs="*", help="run only the tests with these names")
    parser.add_argument("--list", action="store_true", help="print the test names and exit")
    parser.add_argument("--screenshots", default=None,
                        help="directory for the screenshots (default: a new temporary directory; '' for none)")
    parser.add_argument("--update-screenshots", action="store_true",
                        help="write the README's screenshots, docs/screenshot-lab.png and docs/screenshot-phone.png")
    parser.add_argument("--strict", action="store_true", help="count pending tests as failures")
    args = parser.parse_args()
    if args.list:
        print("\n".join(test.__name__ for test in TESTS))
        return
    unknown = set(args.only or []) - {test.__name__ for test in TESTS}
    if unknown:
        parser.error(f"no such test: {', '.join(sorted(unknown))} (--list shows the names)")
    if args.update_screenshots:
        args.screenshots = os.path.join(ROOT, "docs")
    elif args.screenshots is None:
        args.screenshots = tempfile.mkdtemp(prefix="ganlab-screenshots-")
    if args.screenshots:
        print(f"screenshots: {args.screenshots}", flush=True)

    server = Server(args.binary)
    server.start()
    passed, failed, pending = [], [], []
    ctx = None
    try:
        ctx = Context(server, args.screenshots)
        for test in TESTS:
            if args.only and test.__name__ not in args.only:
                continue
            started = time.time()
            ctx.driver.get_log("browser")  # each test sees only its own console entries
            try:
                test(ctx)
                passed.append(test.__name__)
                print(f"PASS {test.__name__} ({time.time() - started:.1f}s)", flush=True)
            except Pending as waiting:
                pending.append((test.__name__, str(waiting)))
                print(f"PENDING {test.__name__}: {waiting}", flush=True)
            except Exception:  # a failed check or a browser error: report it, run the rest
                failed.append(test.__name__)
                print(f"FAIL {test.__name__} ({time.time() - started:.1f}s)\n{traceback.format_exc()}", flush=True)
                try:
                    path = os.path.join(tempfile.gettempdir(), f"ganlab-fail-{test.__name__}.png")
                    ctx.driver.save_screenshot(path)
                    print(f"  screenshot of the failure: {path}")
                except Exception:  # the browser itself is gone
                    pass
            finally:
                ctx.close_extra()
                if server.proc is None or server.proc.poll() is not None:
                    print("  (the server had stopped; starting it again)")
                    server.start()
    finally:
        if ctx is not None:
            ctx.driver.quit()
            ctx.close_extra()
        server.stop()
        if server.data_dir:
            shutil.rmtree(server.data_dir, ignore_errors=True)
    for name, reason in pending:
        print(f"pending: {name} — {reason}")
    if ctx is not None and ctx.notes:
        print("measurements:\n  " + "\n  ".join(ctx.notes))
    print(f"browser: {len(passed)} passed, {len(failed)} failed, {len(pending)} pending")
    sys.exit(1 if failed or (args.strict and pending) else 0)


if __name__ == "__main__":
    main()
