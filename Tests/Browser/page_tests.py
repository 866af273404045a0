"""The page checks, each a function (driver, base_url) that raises on failure."""
import json
import time
import urllib.request


def severe_console_entries(driver):
    """Drains the browser console and returns its SEVERE entries."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def page_loads_without_console_errors(driver, base):
    driver.get(base + "/")
    assert "ganlab" in driver.title.lower(), f"unexpected title {driver.title!r}"
    time.sleep(1)
    errors = severe_console_entries(driver)
    assert not errors, f"console errors: {errors}"


def healthz_reports_ok(driver, base):
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        assert response.status == 200
        body = json.loads(response.read())
    assert body.get("status") == "ok", body


def websocket_echo_round_trips_from_the_page(driver, base):
    driver.get(base + "/")
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws/echo');
        ws.binaryType = 'arraybuffer';
        ws.onopen = () => ws.send('héllo ✓');
        ws.onmessage = (e) => { done(e.data); ws.close(); };
        ws.onerror = () => done('error');
        setTimeout(() => done('timeout'), 5000);
    """)
    assert result == "héllo ✓", result


TESTS = [
    page_loads_without_console_errors,
    healthz_reports_ok,
    websocket_echo_round_trips_from_the_page,
]
