#!/usr/bin/env python3
"""Browser tests: the real server, the real page, Debian's headless Chromium driven by Selenium.

Usage: run_browser_tests.py --binary .build/release/ganlab [--screenshot docs/screenshot.png]
Prints one line per test and a closing "N passed, N failed" line; exits non-zero on any failure.
Settings follow shared/tools/browser-testing.md (run with Debian's /usr/bin/python3).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
import traceback
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from page_tests import TESTS  # noqa: E402


def start_server(binary):
    """Starts `ganlab serve --port 0` and returns (process, base URL) once it prints its address."""
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0", "--public", os.path.join(ROOT, "Public")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return proc, match.group(1).rstrip("/")
    proc.kill()
    raise RuntimeError("server did not report its address within 30 s")


def make_driver():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                 "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--screenshot")
    args = parser.parse_args()

    proc, base = start_server(args.binary)
    driver = None
    passed = failed = 0
    try:
        driver = make_driver()
        for test in TESTS:
            started = time.time()
            try:
                test(driver, base)
                passed += 1
                print(f"PASS {test.__name__} ({time.time() - started:.1f}s)", flush=True)
            except Exception:  # a failed check or a browser error: report it, run the rest
                failed += 1
                print(f"FAIL {test.__name__}\n{traceback.format_exc()}", flush=True)
        if args.screenshot:
            driver.get(base + "/")
            time.sleep(3)
            driver.save_screenshot(args.screenshot)
            print(f"screenshot: {args.screenshot}")
    finally:
        if driver is not None:
            driver.quit()
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"browser: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
