"""The page checks, each a function (driver, base_url) that raises on failure."""
import json
import time
import urllib.request


def wait_until(condition, timeout=10.0, interval=0.1):
    """Polls `condition` until it returns a truthy value (returned) or `timeout` seconds pass (None)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None


def shown_epoch(driver):
    text = driver.find_element("id", "epoch").text.replace(",", "")
    return int(text) if text.isdigit() else None


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


def read_run(base):
    with urllib.request.urlopen(base + "/api/run", timeout=5) as response:
        return json.loads(response.read())


def post(base, command):
    request = urllib.request.Request(f"{base}/api/run/{command}", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def canvas_colour_counts(driver):
    """Counts canvas pixels close to the real (green) and fake (purple) dot colours."""
    return driver.execute_script("""
        const c = document.getElementById('field');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let green = 0, purple = 0;
        for (let i = 0; i < d.length; i += 4) {
            const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
            if (g > r + 40 && g > b + 20 && r < 90) green++;
            if (r > g + 40 && b > g + 40 && g < 100) purple++;
        }
        return [green, purple];
    """)


def canvas_shows_real_and_fake_samples(driver, base):
    post(base, "play")
    driver.get(base + "/")
    counts = wait_until(lambda: (lambda c: c if c[0] > 200 and c[1] > 200 else None)(canvas_colour_counts(driver)))
    assert counts, f"too few real/fake sample pixels: {canvas_colour_counts(driver)}"
    assert not severe_console_entries(driver)


def epoch_counter_advances_while_playing(driver, base):
    post(base, "play")
    driver.get(base + "/")
    first = wait_until(lambda: shown_epoch(driver))
    assert first is not None, "no epoch shown"
    assert wait_until(lambda: shown_epoch(driver) > first), f"epoch stuck at {first}"


def pause_button_stops_training_and_step_trains_one_epoch(driver, base):
    post(base, "play")
    driver.get(base + "/")
    assert wait_until(lambda: driver.find_element("id", "play").text == "Pause"), "page never showed a playing run"
    driver.find_element("id", "play").click()
    assert wait_until(lambda: driver.find_element("id", "play").text == "Play"), "Pause did not take effect"
    paused = read_run(base)
    assert paused["running"] is False
    time.sleep(0.6)
    assert read_run(base)["epoch"] == paused["epoch"], "epochs advanced while paused"
    driver.find_element("id", "step").click()
    assert wait_until(lambda: read_run(base)["epoch"] == paused["epoch"] + 1), "Step did not train one epoch"
    time.sleep(0.4)
    assert read_run(base)["epoch"] == paused["epoch"] + 1, "Step trained more than one epoch"
    assert wait_until(lambda: shown_epoch(driver) == paused["epoch"] + 1), "the page did not show the stepped epoch"
    canvas_before = driver.execute_script("return document.getElementById('field').toDataURL()")
    driver.find_element("id", "play").click()
    assert wait_until(lambda: read_run(base)["epoch"] > paused["epoch"] + 20), "Play did not resume training"
    assert wait_until(lambda: driver.execute_script(
        "return document.getElementById('field').toDataURL()") != canvas_before), "the canvas did not change while training"


TESTS += [
    canvas_shows_real_and_fake_samples,
    epoch_counter_advances_while_playing,
    pause_button_stops_training_and_step_trains_one_epoch,
]
