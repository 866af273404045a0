"""The page checks (issue 10's acceptance list), each a function of the runner's Context that raises on failure.

Every wait polls for a condition (no fixed sleeps); timings are measured and reported, never asserted.
A test whose feature is not on the server it runs against raises Pending, naming what it waits for; the
runner prints it as PENDING (never silently skipped) and fails on it with --strict, as CI runs it.
"""
import base64
import json
import math
import os
import struct
import time
import urllib.error
import urllib.request

from selenium.common.exceptions import JavascriptException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

HERE = os.path.dirname(os.path.abspath(__file__))


class Pending(Exception):
    """The test waits for a feature another engineer is building; the message says which and whose."""


# ---------------------------------------------------------------------------------------------- helpers

def wait(condition, timeout=30.0, message="condition not met", interval=0.05):
    """Polls `condition` until it returns a truthy value (returned); raises AssertionError after `timeout` s."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = condition()
        except JavascriptException as error:
            last = f"script error: {error.msg}"
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"{message} (after {timeout:.0f} s; last value {last!r})")


def http(base, method, path, body=None):
    """(status, JSON body or None) of an HTTP request."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, method=method, data=data,
                                     headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, None


def summary(ctx, code):
    status, body = http(ctx.base, "GET", f"/api/runs/{code}")
    assert status == 200, f"GET /api/runs/{code} answered {status}: {body}"
    return body


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def severe_console_entries(driver):
    """Drains the browser console and returns its SEVERE entries."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def failed_requests(driver):
    return js(driver, """return performance.getEntriesByType('resource')
        .filter(e => e.responseStatus >= 400).map(e => e.name + ' ' + e.responseStatus);""")


def open_run(ctx, driver=None, path="/", role="controller"):
    """Opens `path` (None: stays on the current page) and waits until the run is live with a frame drawn;
    returns the run code."""
    driver = driver or ctx.driver
    if path is not None:
        driver.get(ctx.base + path)
    wait(lambda: js(driver, "return !!(window.ganlab && ganlab.session && ganlab.session.connection.status === 'open'"
                            " && ganlab.model.state && ganlab.session.framesReceived > 0)"),
         timeout=60, message=f"{path} never showed a live run")
    if role:
        wait(lambda: js(driver, "return ganlab.model.role") == role, message=f"role never became {role}")
    return js(driver, "return ganlab.session.code")


def click(driver, css):
    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    return element


def choose_preset(driver, name):
    """Clicks preset `name` in the picker and waits until the page has its data and the run restarted."""
    click(driver, f'.presets .preset[data-preset="{name}"]')
    wait(lambda: js(driver, "return ganlab.model.data && ganlab.model.data.preset") == name, message=f"preset {name} not applied")
    wait(lambda: js(driver, "return ganlab.model.state.epoch") < 5, message="the new data did not restart the run")


def shown_epoch(driver):
    text = driver.find_element(By.ID, "epoch").text.replace(",", "")
    return int(text) if text.isdigit() else None


def run_state(driver):
    return js(driver, "return ganlab.model.state && ganlab.model.state.state")


def assert_no_console_errors(driver):
    errors = severe_console_entries(driver)
    assert not errors, f"console errors: {[e.get('message') for e in errors]}"


def ensure_playing(driver):
    if run_state(driver) != "playing":
        click(driver, "#play")
    wait(lambda: run_state(driver) == "playing", message="Play did not take effect")


def ensure_paused(ctx, driver=None):
    driver = driver or ctx.driver
    if run_state(driver) == "playing":
        click(driver, "#play")
    wait(lambda: run_state(driver) == "paused", message="Pause did not take effect")
    settle(driver)


def settle(driver, quiet=0.6, timeout=15):
    """Waits until the epoch has not changed for `quiet` seconds and the blend is over (a paused, drawn picture;
    the server may keep sending identical frames of a paused run)."""
    wait(lambda: js(driver, "const s = ganlab.session; return performance.now() - s.lastChangeAt > arguments[0] * 1000"
                            " && s.lastRestingDrawAt > s.lastFrameAt", quiet),
         timeout=timeout, message="the epoch kept changing on a paused run, or its last frame was never drawn at rest")


def canvas_hash(driver, selector="#plot"):
    """A checksum of a canvas's pixels."""
    return js(driver, """
        const c = document.querySelector(arguments[0]);
        const d = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
        let h = 2166136261;
        for (let i = 0; i < d.length; i += 3) { h ^= d[i]; h = Math.imul(h, 16777619); }
        return (h >>> 0) + ':' + c.width;""", selector)


def frame_copy(driver, key):
    """The newest decoded frame's array `key` (fakes, field, …) as a list."""
    return js(driver, """const f = ganlab.session.motion.to; const n = {fakes: 2 * f.fakeCount, field: f.fieldResolution ** 2,
        arrows: 2 * f.arrowCount}[arguments[0]]; return Array.from(f[arguments[0]].subarray(0, n));""", key)


def configure_via_page(ctx, driver, changes):
    """Sends `configure` through the page's own session (used to set up measurements, not to test controls)."""
    result = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        ganlab.session.connection.send('configure', {config: arguments[0]}).then(a => done('ok'), e => done(e.message));""", changes)
    assert result == "ok", f"configure {changes} failed: {result}"


def mean_distance_to(points, targets):
    """Mean over `points` (flat x,y list) of the distance to the nearest of `targets` ([(x, y)])."""
    total = 0.0
    n = len(points) // 2
    for i in range(n):
        x, y = points[2 * i], points[2 * i + 1]
        total += min(math.hypot(x - tx, y - ty) for tx, ty in targets)
    return total / max(n, 1)


# ---------------------------------------------------------------------------------------------- tests

def page_loads_without_console_errors_or_failed_requests(ctx):
    driver = ctx.driver
    started = time.time()
    code = open_run(ctx, path="/")
    ctx.note(f"first frame drawn {time.time() - started:.2f} s after opening / (run created by the page)")
    assert driver.title.lower().startswith("ganlab"), driver.title
    assert js(driver, "return location.pathname") == f"/r/{code}", "the URL does not show the run"
    assert js(driver, "return localStorage.getItem('ganlab:token:' + arguments[0])", code), "token not kept in localStorage"
    assert "token" not in driver.current_url.lower()
    wait(lambda: shown_epoch(driver) is not None, message="no epoch shown")
    assert js(driver, "return ganlab.model.hello.settings.length") > 10, "no settings table in hello"
    wait(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#settings .setting")) > 10, message="settings panel not built")
    presets = driver.find_elements(By.CSS_SELECTOR, ".presets .preset")
    assert len(presets) >= 10, f"expected all presets in the picker, found {len(presets)}"
    # At 1280 the settings column is narrow: every "restarts" badge stays whole, clear of its row's control.
    clipped = js(driver, """const out = [];
        for (const badge of document.querySelectorAll('#settings .setting .badge')) {
          const row = badge.closest('.setting'); if (!row.offsetParent) continue;
          const b = badge.getBoundingClientRect(), r = row.getBoundingClientRect(), v = row.querySelector('.value')?.getBoundingClientRect();
          const overlaps = v && b.right > v.left && b.left < v.right && b.bottom > v.top && b.top < v.bottom;
          if (overlaps || b.right > r.right || b.width < 20) out.push(row.dataset.setting);
        }
        return out;""")
    assert not clipped, f"'restarts' badges hidden or cut off at 1280 px: {clipped}"
    assert_no_console_errors(driver)
    bad = failed_requests(driver)
    assert not bad, f"failed requests: {bad}"


def page_modules_decode_frames_qr_vectors_and_files(ctx):
    """The page's own modules in the browser: the frame decoder against bytes built here from the table in
    docs/protocol.md §3, the QR encoder against an independent encoder's matrices, and the points-file reader."""
    driver = ctx.driver
    driver.get(ctx.base + "/api/presets")  # any page of the origin; modules are imported below
    frame = build_frame()
    vectors = json.load(open(os.path.join(HERE, "qr_vectors.json")))["vectors"]
    result = driver.execute_async_script("""
      const [frameB64, vectors, done] = arguments;
      Promise.all([import('/js/protocol.js'), import('/js/qr.js'), import('/js/points-file.js'), import('/js/state.js'),
                   import('/js/join.js'), import('/js/session.js')])
      .then(([P, Q, F, S, J, L]) => {
        const out = {};
        const bytes = Uint8Array.from(atob(frameB64), c => c.charCodeAt(0));
        const decoder = new P.FrameDecoder();
        const f = decoder.decode(bytes.buffer);
        out.header = [f.epoch, f.sequence, f.generation, f.viewers, f.state, f.subStep, Math.round(f.epochsPerSecond)];
        out.fakes = Array.from(f.fakes.subarray(0, 2 * f.fakeCount));
        out.arrows = Array.from(f.arrows.subarray(0, 2 * f.arrowCount));
        out.field = [f.fieldResolution, ...Array.from(f.field.subarray(0, 4))];
        out.grid = [f.gridResolution, ...Array.from(f.grid.subarray(0, 8))];
        out.manifold = [f.manifoldDimension, f.manifoldCells, f.manifoldPointCount, f.manifoldDensityCount,
          ...Array.from(f.manifoldPoints.subarray(0, 8)), f.manifoldDensities[0]];
        out.metrics = Array.from(f.metrics).map(v => Number.isNaN(v) ? null : v);
        out.modes = Array.from(f.modes.subarray(0, f.modeCount));
        out.predictions = [...Array.from(f.predictedFakes.subarray(0, f.predictedFakeCount)), ...Array.from(f.predictedReal.subarray(0, f.predictedRealCount))];
        out.present = [1,2,3,4,5,6,7,8,9,10].filter(id => f.has(id));
        const arrays = f.fakes; decoder.decode(bytes.buffer); const again = decoder.decode(bytes.buffer);
        out.reused = again === f && again.fakes === arrays;
        const bad = bytes.slice(); bad[0] = 0x58;
        try { decoder.decode(bad.buffer); out.badMagic = 'accepted'; } catch (e) { out.badMagic = e instanceof P.FrameError ? e.message : String(e); }
        try { decoder.decode(bytes.slice(0, 100).buffer); out.truncated = 'accepted'; } catch (e) { out.truncated = e instanceof P.FrameError ? e.message : String(e); }
        out.qr = vectors.map(v => {
          const q = Q.encodeQR(v.text, {level: v.level, minVersion: v.version, maxVersion: v.version, mask: v.mask, boostLevel: false});
          let diff = 0;
          for (let y = 0; y < q.size; y++) for (let x = 0; x < q.size; x++) if (String(q.modules[y * q.size + x]) !== v.rows[y][x]) diff++;
          return [v.text.slice(0, 20), v.version, q.version, diff];
        });
        const auto = Q.encodeQR('http://10.0.0.7:8080/r/K7QX3M');
        out.qrAuto = [auto.version, auto.level];
        out.rs = Array.from(Q.reedSolomon([32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236], 13));
        const tryParse = (text, name) => { try { const r = F.parsePoints(text, name); return r.points.length + (r.weights ? 'w' : ''); } catch (e) { return e.message; } };
        out.files = [tryParse('x,y\\n0.1,0.2\\n-0.5,0.5\\n', 'a.csv'), tryParse('0.1 0.2 3\\n0.3 0.4 1\\n', 'b.txt'),
          tryParse('0.1,0.2\\n1.5,0\\n', 'c.csv'), tryParse('0.1,zap\\n', 'd.csv'), tryParse('', 'e.csv'),
          tryParse('[[0.1,0.2],{"x":0.3,"y":-0.3}]', 'f.json'), tryParse('{"points":[[0,0]],"weights":[1,2]}', 'g.json'),
          tryParse('[[0,0]', 'h.json')];
        const h = new S.MetricsHistory(8);
        for (let e = 1; e <= 40; e++) h.appendFrame(e, new Float64Array(13).fill(e));
        out.history = [h.count <= 8, h.column('epoch')[h.count - 1], h.column('epoch')[0] < 20];
        out.floorColumns = ['klRealFakeFloor', 'klFakeRealFloor'].map(k => S.HISTORY_COLUMNS.includes(k) && h.column(k)[h.count - 1]);
        const join = (t) => { const r = J.joinCandidates(t); return r.problem ? 'problem: ' + r.problem : r.codes.join(' '); };
        out.join = ['k7qx3m', ' k7q-x3m ', 'http://10.0.0.7:8080/r/k7qx3m?palette=colourblind', '\uff2b\uff17\uff31\uff38\uff13\uff2d',
          'K7OX3M', 'K1QX3M', 'K7QX3', 'K7QX3M!', 'OOOO22', ''].map(join);
        const loc = (host) => ({ hostname: host.replace(/:\d+$/, ''), host, origin: 'http://' + host });
        const hello = { joinOrigins: ['http://192.0.2.2:8080', 'http://[fd00::2]:8080'], loopbackOnly: false };
        out.origin = [L.joinOrigin(hello, loc('127.0.0.1:8080')).origin, L.joinOrigin(hello, loc('localhost:8080')).origin,
          L.joinOrigin(hello, loc('lab.school.example')).origin, !!L.joinOrigin({ joinOrigins: [], loopbackOnly: true }, loc('127.0.0.1:8080')).warning,
          L.isLoopbackHost('[::1]'), L.isLoopbackHost('127.0.1.1'), L.isLoopbackHost('10.0.0.7')];
        done(out);
      }).catch(e => done({error: String(e && e.stack || e)}));""", base64.b64encode(frame).decode(), vectors)
    assert "error" not in result, result.get("error")
    assert result["header"] == [(1 << 32) + 7, 42, 3, 5, 1, 0, 123], result["header"]
    close = lambda got, want, tol: all(abs(a - b) <= tol for a, b in zip(got, want)) and len(got) == len(want)
    assert close(result["fakes"], [0.5, -0.25, 1.25, 0.0, -2.0, 1.5], 1e-4), result["fakes"]
    assert close(result["arrows"], [0.02, -0.01, 0.0, 0.02, -0.02, 0.0], 0.0003), result["arrows"]
    assert close(result["field"], [2, 0.0, 1.0, 128 / 255, 64 / 255], 1e-6), result["field"]
    assert close(result["grid"], [2, 1.0, -1.0, 0.5, 0.0, 0, 0, -0.5, 1.0], 0.01), result["grid"]
    assert close(result["manifold"], [2, 1, 4, 1, -1, 1, 1, 1, -1, -1, 1, -1, 2.0], 1e-4), result["manifold"]
    assert close([v for v in result["metrics"][:7]], [0.6, 0.7, 0.01, 1.5, 2.5, 0.3, 0.05], 1e-6), result["metrics"]
    assert result["metrics"][9] is None, "a NaN metric must stay NaN"
    assert close(result["modes"], [1.0, 0.0], 1e-6) and close(result["predictions"], [1, 0, 51 / 255, 1, 0], 1e-6), result
    assert result["present"] == [1, 2, 4, 5, 7, 8, 9, 10], f"sections seen {result['present']} (unknown id 99 must be skipped)"
    assert result["reused"], "decoding must reuse the frame objects and their typed arrays"
    assert "magic" in result["badMagic"] and "accepted" not in result["truncated"], (result["badMagic"], result["truncated"])
    for text, want, got, diff in result["qr"]:
        assert got == want and diff == 0, f"QR of {text!r}: version {got} (want {want}), {diff} modules differ"
    assert result["qrAuto"][0] <= 3, result["qrAuto"]
    assert result["rs"] == [168, 72, 22, 82, 217, 54, 156, 0, 46, 15, 180, 122, 16], f"Reed–Solomon {result['rs']}"
    files = result["files"]
    assert files[0] == "2" and files[1] == "2w" and files[5] == "2", files
    assert "Line 2" in files[2] and "outside" in files[2], files[2]
    assert "Line 1" in files[3] and "two numbers" in files[3], files[3]
    assert "empty" in files[4] and "one number per point" in files[6] and "not valid JSON" in files[7], files
    assert result["history"] == [True, 40, True], result["history"]
    assert result["floorColumns"] == [40, 40], f"the page's history does not keep the KL floors: {result['floorColumns']}"
    join = result["join"]
    assert join[:4] == ["K7QX3M"] * 4, f"case, separators, a pasted link or full-width letters not forgiven: {join[:4]}"
    assert join[4] == "K7QX3M K7DX3M" and join[5] == "KJQX3M K7QX3M", f"look-alikes not read as code letters: {join[4:6]}"
    assert all(j.startswith("problem: ") for j in join[6:]), join[6:]
    assert "six characters" in join[6] and '"!"' in join[7] and "0, O, 1, I or L" in join[8], join[6:9]
    assert result["origin"] == ["http://192.0.2.2:8080", "http://192.0.2.2:8080", "http://lab.school.example", True, True, True, False], \
        result["origin"]


def build_frame():
    """A frame laid out by hand from docs/protocol.md §3 (an encoder independent of the server's)."""
    q = lambda v: max(-32768, min(32767, round(v * 16384)))
    sections = [
        (1, struct.pack("<I", 3) + b"".join(struct.pack("<hh", q(x), q(y)) for x, y in [(0.5, -0.25), (1.25, 0), (-2.0, 1.5)])),
        (2, struct.pack("<If", 3, 0.02) + struct.pack("<6b", 127, -64, 0, 127, -127, 0)),
        (4, struct.pack("<HH", 2, 0) + bytes([0, 255, 128, 64])),
        (5, struct.pack("<HHf", 2, 0, 1.0) + struct.pack("<8b", 127, -127, 64, 0, 0, 0, -64, 127)),
        (7, struct.pack("<BBHII", 2, 0, 1, 4, 1) + b"".join(struct.pack("<hh", q(x), q(y)) for x, y in [(-1, 1), (1, 1), (-1, -1), (1, -1)]) + bytes([32])),
        (8, struct.pack("<HH", 14, 0) + struct.pack("<14f", 0.6, 0.7, 0.01, 1.5, 2.5, 0.3, 0.05, 0.1, 0.1, float("nan"), 1, 3, 0.2, 99)),
        (99, b"future section"),
        (9, struct.pack("<HH", 2, 0) + bytes([255, 0])),
        (10, struct.pack("<II", 3, 2) + bytes([255, 0, 51, 255, 0])),
    ]
    offset = 48 + 12 * len(sections)
    table, body = b"", b""
    for sid, payload in sections:
        table += struct.pack("<HHII", sid, 0, offset + len(body), len(payload))
        body += payload + b"\0" * (-len(payload) % 4)
    header = b"GLAB" + struct.pack("<HHIIdIIIfBBHI", 1, 48, 7, 1, 1.7e12, 42, 3, 5, 123.0, 1, 0, len(sections), 0)
    assert len(header) == 48
    return header + table + body


def play_raises_the_epoch_and_changes_pixels(ctx):
    driver = ctx.driver
    open_run(ctx, path="/")
    ensure_paused(ctx)
    epoch = shown_epoch(driver)
    before = canvas_hash(driver)
    assert canvas_hash(driver) == before, "the canvas changes while paused (flicker)"
    click(driver, "#play")
    wait(lambda: driver.find_element(By.ID, "play").text == "Pause", message="the button never showed Pause")
    wait(lambda: (shown_epoch(driver) or 0) > epoch + 10, message=f"epoch stuck at {epoch}")
    wait(lambda: canvas_hash(driver) != before, message="the plot's pixels did not change while training")
    assert_no_console_errors(driver)


def each_layer_toggle_changes_the_plot(ctx):
    driver = ctx.driver
    open_run(ctx, path="/")
    choose_preset(driver, "ring8")
    ensure_playing(driver)
    wait(lambda: (shown_epoch(driver) or 0) > 50, message="did not train")
    ensure_paused(ctx)
    layers = [b.get_attribute("data-layer") for b in driver.find_elements(By.CSS_SELECTOR, "#legend input[data-layer]")]
    assert {"field", "real", "fakes", "arrows", "grid", "manifold", "modes", "predictions"} <= set(layers), layers
    for layer in layers:
        before = canvas_hash(driver)
        box = click(driver, f'#legend input[data-layer="{layer}"]')
        state = box.is_selected()
        wait(lambda: canvas_hash(driver) != before, timeout=10,
             message=f"turning the {layer} layer {'on' if state else 'off'} did not change the plot")
        click(driver, f'#legend input[data-layer="{layer}"]')
        wait(lambda: canvas_hash(driver) == before, timeout=10, message=f"turning {layer} back did not restore the plot")
    assert_no_console_errors(driver)


def series_rows(driver, selector, colour, tolerance=45):
    """Per canvas column, the mean row of the pixels drawn in `colour` (a chart line), or None where there are none."""
    return js(driver, """
        const [selector, colour, tol] = arguments;
        const c = document.querySelector(selector);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const out = [];
        for (let x = 0; x < c.width; x++) {
          let sum = 0, n = 0;
          for (let y = 0; y < c.height; y++) {
            const o = 4 * (y * c.width + x);
            if (d[o + 3] > 200 && Math.abs(d[o] - colour[0]) < tol && Math.abs(d[o + 1] - colour[1]) < tol && Math.abs(d[o + 2] - colour[2]) < tol) { sum += y; n++; }
          }
          out.push(n ? sum / n : null);
        }
        return out;""", selector, colour, tolerance)


def band_heights(driver, selector, fractions=(0.55, 0.7, 0.85)):
    """Device pixels of tinted fill (a noise-floor band: a translucent tint of the chart's background, 25…130 away
    from it in some channel; grid lines are fainter, lines and their dashed edges darker) in the chart's plot area,
    in the columns at `fractions` of its width. The background is the chart's top right corner."""
    return js(driver, """
        const [selector, fractions] = arguments;
        const c = document.querySelector(selector);
        const dpr = c.width / c.clientWidth;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const bg = 4 * (2 * c.width + c.width - 3);
        const top = Math.round(26 * dpr), bottom = c.height - Math.round(26 * dpr);
        return fractions.map(f => {
          const x = Math.round(f * c.width);
          let n = 0;
          for (let y = top; y < bottom; y++) {
            const o = 4 * (y * c.width + x);
            const away = Math.max(Math.abs(d[o] - d[bg]), Math.abs(d[o + 1] - d[bg + 1]), Math.abs(d[o + 2] - d[bg + 2]));
            if (away >= 25 && away <= 130) n++;
          }
          return n;
        });""", selector, list(fractions))


def js_chart_gains_points_and_falls_on_the_ring(ctx):
    driver = ctx.driver
    open_run(ctx, path="/")
    choose_preset(driver, "ring")
    click(driver, "#speed-max")
    ensure_playing(driver)
    chart = "canvas[data-chart=js]"
    empty = canvas_hash(driver, chart)
    started = time.time()

    def js_values():
        return js(driver, """const h = ganlab.model.history; const c = h.column('js');
            return Array.from(c.subarray(0, h.count)).filter(Number.isFinite);""")
    wait(lambda: len(js_values()) >= 30, timeout=60, message="the JS chart gained no points")
    wait(lambda: canvas_hash(driver, chart) != empty, message="the JS chart's pixels never changed")

    def fell():
        values = js_values()
        if len(values) < 40:
            return None
        early = sum(values[:5]) / 5
        late = sum(values[-5:]) / 5
        return (early, late) if late < 0.6 * early else None
    early, late = wait(fell, timeout=120, message="JS did not fall on the ring preset")
    epochs = js(driver, "return ganlab.session.motion.to.epoch")
    ctx.note(f"ring: JS fell from {early:.3f} to {late:.3f} bits in {time.time() - started:.1f} s ({epochs} epochs at max speed)")
    ensure_paused(ctx)
    wait(lambda: js(driver, "return ganlab.charts.charts.every(c => c.box.hidden || !c.chart.dirty)"), message="the charts were not redrawn")

    # What is drawn: the JS line (its own colour) sits lower at the right (late) than at the left (early).
    rows = series_rows(driver, chart, [86, 180, 233])
    hits = [(x, y) for x, y in enumerate(rows) if y is not None]
    assert len(hits) > 20, f"the JS line is not drawn ({len(hits)} columns)"
    tenth = max(3, len(hits) // 10)
    drawn_early = sum(y for _, y in hits[:tenth]) / tenth
    drawn_late = sum(y for _, y in hits[-tenth:]) / tenth
    assert drawn_late > drawn_early + 10, f"the drawn JS line does not fall: rows {drawn_early:.0f} early, {drawn_late:.0f} late"
    # The noise-floor bands are visible: several device pixels tall, under JS and under both KLs.
    js_band = band_heights(driver, chart)
    kl_band = band_heights(driver, "canvas[data-chart=kl]")
    assert min(js_band) >= 6, f"the JS floor band is not visible (pixels per column {js_band})"
    assert min(kl_band) >= 6, f"the KL floor bands are not visible (pixels per column {kl_band})"
    floors = js(driver, "const h = ganlab.model.history; return ['jsFloor','klRealFakeFloor','klFakeRealFloor'].map(k => h.latest(k))")
    assert all(f and f > 0 for f in floors), f"floors missing from the history: {floors}"
    ctx.note(f"floor bands: JS {js_band} px, KL {kl_band} px tall at 55/70/85% of the width (floors {[round(f, 4) for f in floors]} bits)")


def drawing_reaches_the_server_and_fakes_move_towards_it(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    ensure_paused(ctx)
    click(driver, "#draw-button")
    layer = wait(lambda: driver.find_element(By.ID, "draw-layer").is_displayed() and driver.find_element(By.ID, "draw-layer"),
                 message="the drawing area did not open")
    size = layer.size["width"]
    # A mouse stroke: a short arc in the upper right quadrant (data around (0.5, 0.5)).
    cx, cy = size * 0.75, size * 0.25
    offset = lambda x, y: (int(x - size / 2), int(y - size / 2))  # Selenium offsets are from the element's centre
    actions = ActionChains(driver)
    actions.move_to_element_with_offset(layer, *offset(cx - 40, cy)).click_and_hold()
    for k in range(1, 13):
        a = math.pi * k / 12
        actions.move_to_element_with_offset(layer, *offset(cx - 40 * math.cos(a), cy - 40 * math.sin(a)))
    actions.release().perform()
    # A touch stroke too (Pointer Events, pointerType "touch").
    touch = ActionBuilder(driver, mouse=PointerInput("touch", "finger"))
    touch.pointer_action.move_to(layer, *offset(cx - 30, cy + 30)).pointer_down()
    for k in range(1, 6):
        touch.pointer_action.move_to(layer, *offset(cx - 30 + 12 * k, cy + 30))
    touch.pointer_action.pointer_up()
    touch.perform()
    count = wait(lambda: js(driver, "return ganlab.data.drawing.count"), message="the strokes laid no points")
    drawn = js(driver, "return ganlab.data.drawing.points()")
    assert all(x > 0 and y > 0 for x, y in drawn), "drawn points are not where the pointer went (upper right)"
    click(driver, "#draw-apply")
    run = wait(lambda: (lambda s: s if s["data"].get("kind") == "points" else None)(summary(ctx, code)),
               message="the drawing never reached the server")
    assert run["data"].get("pointCount") == count, f"server has {run['data'].get('pointCount')} points, page drew {count}"
    wait(lambda: js(driver, "return ganlab.model.data.kind") == "points", message="the page did not get the new data")
    wait(lambda: js(driver, "return ganlab.session.motion.to.generation") == js(driver, "return ganlab.model.data.generation"),
         message="no frame of the new generation")
    targets = [tuple(p) for p in drawn[::max(1, len(drawn) // 60)]]
    start = mean_distance_to(frame_copy(driver, "fakes"), targets)
    click(driver, "#speed-max")
    ensure_playing(driver)
    started = time.time()
    end = wait(lambda: (lambda d: d if d < 0.5 * start else None)(mean_distance_to(frame_copy(driver, "fakes"), targets)),
               timeout=120, message=f"fakes did not move towards the drawing (start {start:.3f})")
    ctx.note(f"drawing: fakes' mean distance to the drawing fell from {start:.3f} to {end:.3f} in {time.time() - started:.1f} s")


def hyperparameter_change_reaches_the_server_and_bad_values_show_its_error(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    key = "discriminator.learningRate"
    selector = f'[data-control="{key}"]'
    box = click(driver, selector)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("0.0123", Keys.ENTER)
    wait(lambda: abs(summary(ctx, code)["config"][key] - 0.0123) < 1e-6, message="the new learning rate never reached the server")
    error_selector = f'[data-error-for="{key}"]'
    assert driver.find_element(By.CSS_SELECTOR, error_selector).text == ""
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("20", Keys.ENTER)
    message = wait(lambda: driver.find_element(By.CSS_SELECTOR, error_selector).text, message="no error shown by the control")
    assert "range" in message.lower() and "10" in message, f"unexpected error text {message!r}"
    assert key not in message, f"the message should name the setting in words, not its key: {message!r}"
    row = driver.find_element(By.CSS_SELECTOR, f'.setting[data-setting="{key}"]')
    assert row.find_element(By.CSS_SELECTOR, error_selector).is_displayed(), "the error is not beside its control"
    assert box.get_attribute("aria-invalid") == "true"
    assert abs(summary(ctx, code)["config"][key] - 0.0123) < 1e-6, "a refused value changed the server's configuration"
    # A rebuilding setting asks first, then rebuilds (epoch 0, new generation).
    generation = js(driver, "return ganlab.model.state.generation")
    neurons = "generator.neurons"
    current = summary(ctx, code)["config"][neurons]
    click(driver, f'.setting[data-setting="{neurons}"] .stepper button:last-child')
    confirm = driver.find_element(By.CSS_SELECTOR, f'.setting[data-setting="{neurons}"] .confirm')
    wait(lambda: confirm.is_displayed(), message="no warning before a rebuild")
    assert summary(ctx, code)["config"][neurons] == current, "the rebuild happened before it was confirmed"
    confirm.find_element(By.CSS_SELECTOR, "button.primary").click()
    wait(lambda: summary(ctx, code)["config"][neurons] == current + 1, message="the rebuild never reached the server")
    wait(lambda: js(driver, "return ganlab.model.state.generation") > generation, message="no new generation after the rebuild")


def step_d_changes_only_the_field_and_step_g_only_the_fakes(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    ensure_playing(driver)
    wait(lambda: (shown_epoch(driver) or 0) > 20, message="did not train")
    ensure_paused(ctx)
    # Two main plots of the same run: this one shows only the field, a second browser's only the fakes.
    open_run(ctx, path=f"/r/{code}?layers=field")
    fakes_only = ctx.new_driver()
    open_run(ctx, fakes_only, path=f"/r/{code}?layers=fakes", role="viewer")
    settle(driver)
    settle(fakes_only)

    def snapshot():
        return {"fakes": frame_copy(driver, "fakes"), "field": frame_copy(driver, "field"),
                "fieldPlot": canvas_hash(driver), "fakesPlot": canvas_hash(fakes_only),
                "fakesThumb": canvas_hash(driver, '[data-thumb="fakes"]'),
                "fieldThumb": canvas_hash(driver, '[data-thumb="discriminator"]')}

    for button, changes, stays in [("#step-d", "field", "fakes"), ("#step-g", "fakes", "field")]:
        before = snapshot()
        epoch = js(driver, "return ganlab.session.motion.to.epoch")
        click(driver, button)
        for d in (driver, fakes_only):
            wait(lambda: js(d, "return ganlab.session.motion.to.epoch") == epoch + 1, message=f"{button} did not train one step")
            settle(d)
        after = snapshot()
        assert after[changes] != before[changes], f"{button} did not change the {changes}"
        assert after[stays] == before[stays], f"{button} changed the {stays}"
        assert after[changes + "Plot"] != before[changes + "Plot"], f"{button}: the {changes}-only plot's pixels did not change"
        assert after[stays + "Plot"] == before[stays + "Plot"], f"{button}: the {stays}-only plot's pixels changed"
        assert after[changes + "Thumb"] != before[changes + "Thumb"], f"{button}: the {changes} thumbnail did not change"
        assert after[stays + "Thumb"] == before[stays + "Thumb"], f"{button}: the {stays} thumbnail changed"


def a_second_browser_follows_read_only_and_can_fork(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    ensure_playing(driver)
    wait(lambda: (shown_epoch(driver) or 0) > 20, message="did not train")
    ensure_paused(ctx)
    phone = ctx.new_driver(width=390, height=844, mobile=True)
    # The student opens the lab's address and types the code the teacher shows into "Join a run".
    open_run(ctx, phone, path="/")
    own = js(phone, "return ganlab.session.code")
    box = phone.find_element(By.ID, "join-code")
    width = js(phone, "return [document.getElementById('join-form').getBoundingClientRect().width, innerWidth]")
    assert box.is_displayed() and width[0] >= 0.9 * width[1] - 40, f"the join box is not a full-width row on the phone: {width}"
    unknown = next(c for c in ("ZZ2ZZ2", "YY3YY3", "XX4XX4") if http(ctx.base, "GET", f"/api/runs/{c}")[0] == 404)
    box.send_keys(unknown.lower(), Keys.ENTER)
    error = wait(lambda: phone.find_element(By.ID, "join-error").text, message="no error for an unknown code")
    assert "No run" in error and unknown in error, error
    assert js(phone, "return location.pathname") == f"/r/{own}", "an unknown code left the page"
    # The browser logs the server's 404 for the unknown code; nothing else may be logged.
    unexpected = [e["message"] for e in severe_console_entries(phone) if f"/api/runs/{unknown} " not in e["message"]]
    assert not unexpected, f"console errors: {unexpected}"
    box.clear()
    box.send_keys(f" {code[:3].lower()} {code[3:].lower()} ", Keys.ENTER)
    wait(lambda: js(phone, "return location.pathname") == f"/r/{code}", message="the join box did not open the run")
    open_run(ctx, phone, path=None, role="viewer")
    settle(phone)
    wait(lambda: shown_epoch(phone) == shown_epoch(driver), message="the viewer does not show the controller's epoch")
    assert phone.find_element(By.ID, "banner").is_displayed(), "the viewer is not told it is read-only"
    assert "read-only" in phone.find_element(By.ID, "run-role").text
    assert not phone.find_element(By.ID, "play").is_enabled(), "a viewer's play button is enabled"
    wait(lambda: "2 watching" in driver.find_element(By.ID, "viewers").text or
         int(driver.find_element(By.ID, "viewers").text.split()[0]) >= 2, message="the controller does not see the viewer count")
    epoch = summary(ctx, code)["epoch"]
    phone.find_element(By.TAG_NAME, "body").send_keys(" ")  # the play shortcut: the server must refuse it
    wait(lambda: "Fork" in phone.find_element(By.CSS_SELECTOR, '[data-error-for="general"]').text,
         message="the viewer's refused command was not explained")
    assert summary(ctx, code)["state"] == "paused" and summary(ctx, code)["epoch"] == epoch, "a viewer changed the run"
    # While the controller plays, the viewer follows live.
    ensure_playing(driver)
    wait(lambda: (shown_epoch(phone) or 0) > epoch + 10, message="the viewer did not follow the run live")
    ensure_paused(ctx)
    settle(phone)
    path = ctx.screenshot_path("screenshot-phone.png")
    if path:
        phone.save_screenshot(path)
    assert js(phone, "return document.documentElement.scrollWidth <= innerWidth"), "the phone viewer scrolls sideways"
    fork_epoch = summary(ctx, code)["epoch"]
    click(phone, "#fork-button")
    wait(lambda: js(phone, "return location.pathname") != f"/r/{code}", message="fork did not open a new run")
    new_code = open_run(ctx, phone, path=js(phone, "return location.pathname"), role="controller")
    assert new_code != code
    forked = summary(ctx, new_code)
    assert forked.get("forkedFrom") == code, forked.get("forkedFrom")
    assert forked["epoch"] == fork_epoch, f"the fork starts at {forked['epoch']}, the run was at {fork_epoch}"
    assert phone.find_element(By.ID, "play").is_enabled(), "the fork's owner cannot control it"
    assert_no_console_errors(phone)


def the_share_link_reproduces_the_run(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    ensure_paused(ctx)
    click(driver, "#share-button")
    click(driver, "#copy-share")
    outcome = wait(lambda: driver.find_element(By.ID, "share-link").get_attribute("value") or
                   driver.find_element(By.CSS_SELECTOR, '[data-error-for="share"]').text, message="no share link and no error")
    assert outcome.startswith("http"), f"share failed: {outcome}"
    link = outcome
    driver.find_element(By.ID, "share-dialog").send_keys(Keys.ESCAPE)
    wait(lambda: not driver.find_element(By.ID, "share-dialog").is_displayed(), message="the share dialog did not close")
    other = ctx.new_driver()
    other.get(link)
    wait(lambda: js(other, "return !!(window.ganlab && ganlab.model.state)"), message="the share link did not open a run")
    new_code = js(other, "return ganlab.session.code")
    assert new_code != code
    a, b = summary(ctx, code), summary(ctx, new_code)
    assert a["config"] == b["config"] and a["data"] == b["data"] and a["seed"] == b["seed"], (a, b)
    # Train both to the same epoch: the same fakes bit for bit.
    for d in (driver, other):
        if run_state(d) == "playing":
            click(d, "#play")
        wait(lambda: run_state(d) == "paused")
    for d in (driver, other):
        click(d, "#reset")
    for d in (driver, other):
        box = click(d, "#ff-count")
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys("200", Keys.ENTER)
    wait(lambda: summary(ctx, code)["epoch"] == 200 and summary(ctx, new_code)["epoch"] == 200, message="did not reach epoch 200")
    settle(driver)
    settle(other)
    assert frame_copy(driver, "fakes") == frame_copy(other, "fakes"), "the shared run's fakes differ at the same epoch"


def after_a_server_restart_the_page_reconnects_and_the_run_resumes(ctx):
    assert ctx.server.has_data_dir, "`ganlab serve --data-dir` is missing: a run cannot survive a restart"
    driver = ctx.driver
    code = open_run(ctx, path="/")
    ensure_playing(driver)
    wait(lambda: (shown_epoch(driver) or 0) > 30, message="did not train")
    before = summary(ctx, code)["epoch"]
    drops = js(driver, "return ganlab.session.connection.drops")
    started = time.time()
    ctx.server.restart()
    wait(lambda: js(driver, "return ganlab.session.connection.drops") > drops, message="the page never noticed the server going away")

    def live_again():
        state = js(driver, "const c = ganlab.session.connection; return [c.status, c.attempt, c.reason]")
        live_again.last = state
        return state[0] == "open" and state[1] == 0
    try:
        wait(live_again, timeout=60)
    except AssertionError:
        raise AssertionError(f"the page did not reconnect after the restart (page: {live_again.last})")
    restored = summary(ctx, code)["epoch"]
    def resynced():
        page, server = js(driver, "return ganlab.model.state.epoch"), summary(ctx, code)["epoch"]
        resynced.last = (page, server)
        return abs(page - server) < 200
    try:
        wait(resynced)
    except AssertionError:
        raise AssertionError(f"the page did not resync to the restored run's epoch (page, server: {resynced.last})")
    ctx.note(f"restart: run restored at epoch {restored} (it was at {before} before SIGTERM; the server saves a playing run "
             "every few seconds and on shutdown)")
    wait(lambda: js(driver, "return ganlab.model.role") == "controller", message="the token no longer controls the run")
    ctx.note(f"restart: page live again {time.time() - started:.1f} s after SIGTERM")
    ensure_playing(driver)
    resumed = summary(ctx, code)["epoch"]
    wait(lambda: (shown_epoch(driver) or 0) > resumed + 10, message="the run did not resume training")


def a_dropped_socket_reconnects_and_resyncs(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    ensure_playing(driver)
    wait(lambda: (shown_epoch(driver) or 0) > 10, message="did not train")
    js(driver, "ganlab.session.connection.socket.close(4100, 'test drop')")
    wait(lambda: js(driver, "return ganlab.session.connection.attempt") > 0 or
         js(driver, "return ganlab.session.connection.status") == "reconnecting", message="the drop was not noticed")
    wait(lambda: js(driver, "return ganlab.session.connection.status") == "open", message="no reconnect")
    wait(lambda: js(driver, "return ganlab.model.role") == "controller", message="control lost after the reconnect")
    epoch = summary(ctx, code)["epoch"]
    wait(lambda: (shown_epoch(driver) or 0) >= epoch, message="the page did not resync the epoch")


def the_phone_viewport_has_no_horizontal_scrolling(ctx):
    phone = ctx.new_driver(width=390, height=844, mobile=True, scale=2)
    open_run(ctx, phone, path="/")
    wide = js(phone, """const w = document.documentElement.clientWidth; const out = [];
        for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect();
          if (r.width && r.right > w + 1 && getComputedStyle(e).position !== 'fixed') out.push(e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(r.right)); }
        return [document.documentElement.scrollWidth, innerWidth, out.slice(0, 8)];""")
    assert wide[0] <= wide[1] and not wide[2], f"wider than the phone: {wide}"
    plot = js(phone, "const c = document.getElementById('plot'); return [c.width, c.clientWidth]")
    assert plot[0] == 2 * plot[1], f"the plot is not crisp at devicePixelRatio 2: {plot}"
    for details in phone.find_elements(By.CSS_SELECTOR, "details.panel"):
        phone.execute_script("arguments[0].open = true", details)
    assert js(phone, "return document.documentElement.scrollWidth <= innerWidth"), "open panels scroll sideways"


def keyboard_shortcuts_work(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    ensure_paused(ctx)
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(" ")
    wait(lambda: summary(ctx, code)["state"] == "playing", message="space did not play")
    wait(lambda: run_state(driver) == "playing", message="the page did not show the run playing")   # space toggles what the page shows
    body.send_keys(" ")
    wait(lambda: summary(ctx, code)["state"] == "paused", message="space did not pause")
    wait(lambda: run_state(driver) == "paused")
    epoch = summary(ctx, code)["epoch"]
    body.send_keys(Keys.ARROW_RIGHT)
    wait(lambda: summary(ctx, code)["epoch"] == epoch + 1, message="→ did not step one epoch")
    body.send_keys("s")
    wait(lambda: summary(ctx, code)["slowmo"] is True, message="s did not turn slow motion on")
    body.send_keys(" ")
    caption = wait(lambda: driver.find_element(By.ID, "slowmo-caption").text, timeout=30, message="no slow-motion caption")
    assert "phase" in caption, caption
    body.send_keys(" ")
    body.send_keys("s")
    wait(lambda: summary(ctx, code)["slowmo"] is False, message="s did not turn slow motion off")
    body.send_keys("?")
    wait(lambda: driver.find_element(By.ID, "help-dialog").is_displayed(), message="? did not open the help")
    driver.find_element(By.ID, "help-dialog").send_keys(Keys.ESCAPE)
    wait(lambda: not driver.find_element(By.ID, "help-dialog").is_displayed(), message="Esc did not close the help")
    # Typing in a field is not a shortcut.
    box = click(driver, '[data-control="batchSize"]')
    state = summary(ctx, code)["state"]
    box.send_keys(" ")
    assert summary(ctx, code)["state"] == state
    # Tab reaches the controls with a visible focus ring.
    body.send_keys(Keys.TAB)
    outline = js(driver, "return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "keyboard focus is not visible"


def qr_dark_share(driver):
    return js(driver, """const c = document.getElementById('qr'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 50) n++; return n / (d.length / 4);""")


def present_shows_the_code_link_and_qr(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    click(driver, "#present-button")
    wait(lambda: driver.find_element(By.ID, "present-dialog").is_displayed(), message="present did not open")
    assert driver.find_element(By.ID, "present-code").text == code
    assert driver.find_element(By.ID, "present-url").text.endswith(f"/r/{code}")
    # This server listens on 127.0.0.1 only: the link is the page's own, with a warning saying how to fix it.
    assert js(driver, "return ganlab.model.hello.loopbackOnly") is True
    warning = driver.find_element(By.ID, "present-warning")
    assert warning.is_displayed() and "--host 0.0.0.0" in warning.text, f"no loopback warning: {warning.text!r}"
    qr = driver.find_element(By.ID, "qr")
    assert qr.get_attribute("data-text") == f"{ctx.base}/r/{code}"
    dark = qr_dark_share(driver)
    assert 0.2 < dark < 0.6, f"the QR code is not drawn (dark share {dark:.2f})"
    driver.find_element(By.ID, "present-dialog").send_keys(Keys.ESCAPE)

    # A server on every interface, opened at 127.0.0.1: the QR code and link use this machine's network address,
    # and that address really serves the run.
    wide = ctx.extra_server("0.0.0.0")
    status, created = http(wide.base, "POST", "/api/runs", {"playing": False})
    assert status == 201, created
    driver.get(f"{wide.base}/r/{created['code']}")
    wait(lambda: js(driver, "return !!(window.ganlab && ganlab.model.hello)"), message="the page did not join the wildcard server")
    origins = js(driver, "return ganlab.model.hello.joinOrigins")
    assert js(driver, "return ganlab.model.hello.loopbackOnly") is False
    assert origins and all(not o.startswith("http://127.") and o.endswith(f":{wide.port}") for o in origins), origins
    click(driver, "#present-button")
    wait(lambda: driver.find_element(By.ID, "present-dialog").is_displayed(), message="present did not open")
    text = driver.find_element(By.ID, "qr").get_attribute("data-text")
    assert text == f"{origins[0]}/r/{created['code']}", f"the QR code says {text}, the server's first address is {origins[0]}"
    assert driver.find_element(By.ID, "present-url").text == text.replace("http://", "")
    assert not driver.find_element(By.ID, "present-warning").is_displayed()
    assert "network address" in driver.find_element(By.ID, "present-note").text
    status, body = http(origins[0], "GET", f"/api/runs/{created['code']}")
    assert status == 200 and body["code"] == created["code"], f"{origins[0]} does not serve the run ({status})"
    ctx.note(f"present on a 0.0.0.0 server opened at 127.0.0.1 shows {text}")
    driver.find_element(By.ID, "present-dialog").send_keys(Keys.ESCAPE)


def lesson_links_hide_controls(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    open_run(ctx, path=f"/r/{code}?hide=speed,settings.generator,compare")
    assert not driver.find_element(By.CSS_SELECTOR, '.toolbar [data-hide="speed"]').is_displayed()
    assert not driver.find_element(By.ID, "compare-button").is_displayed()
    wait(lambda: driver.find_elements(By.CSS_SELECTOR, 'details[data-group="discriminator"]'), message="settings not built")
    assert not driver.find_element(By.CSS_SELECTOR, 'details[data-group="generator"]').is_displayed()
    assert driver.find_element(By.CSS_SELECTOR, 'details[data-group="discriminator"]').is_displayed()
    assert "hide=speed" in driver.current_url, "reload would lose the lesson flags"
    # The arrows' source is part of the URL too, so a reload keeps it.
    Select(driver.find_element(By.ID, "arrow-source")).select_by_value("dgrad")
    wait(lambda: "arrows=dgrad" in driver.current_url, message="the arrow source is not in the URL")
    open_run(ctx, path=js(driver, "return location.pathname + location.search"))
    assert driver.find_element(By.ID, "arrow-source").get_attribute("value") == "dgrad", "a reload lost the arrow source"
    assert "dgrad" in js(driver, "return ganlab.session.connection.subscription.layers"), "the page did not subscribe to ∇D"


def compare_runs_saturating_against_non_saturating(ctx):
    driver = ctx.driver
    open_run(ctx, path="/")
    click(driver, "#compare-button")
    wait(lambda: driver.find_element(By.ID, "compare-dialog").is_displayed(), message="compare dialog did not open")
    assert driver.find_element(By.ID, "compare-key").get_attribute("value") == "loss"
    click(driver, "#compare-go")
    wait(lambda: "compare=" in driver.current_url, message="compare did not open")
    wait(lambda: js(driver, "return !!(window.ganlab && ganlab.compare && ganlab.compare.every(s => s.session.model.state && s.session.framesReceived > 0))"),
         message="the two runs did not come up")
    codes = js(driver, "return ganlab.compare.map(s => s.code)")
    a, b = (summary(ctx, c) for c in codes)
    assert (a["config"]["loss"], b["config"]["loss"]) == ("saturating", "non-saturating"), (a["config"]["loss"], b["config"]["loss"])
    differ = {k for k in a["config"] if a["config"][k] != b["config"].get(k)}
    assert differ == {"loss"}, f"the runs differ in {differ}"
    assert a["seed"] == b["seed"] and a["data"] == b["data"]
    assert len(driver.find_elements(By.CSS_SELECTOR, ".compare-side canvas.plot")) == 2
    wait(lambda: driver.find_element(By.ID, "connection-text").text == "Live", message="the connection indicator never said Live")
    assert driver.find_element(By.ID, "connection").get_attribute("data-status") == "open"
    click(driver, "#compare-play")
    wait(lambda: all(summary(ctx, c)["epoch"] > 20 for c in codes), message="one play button did not train both")
    click(driver, "#compare-play")
    wait(lambda: all(summary(ctx, c)["state"] == "paused" for c in codes), message="pause did not stop both")
    # Keyboard: → steps both, space plays and pauses both.
    wait(lambda: js(driver, "return ganlab.compare.every(s => s.session.model.state.state === 'paused')"))
    epochs = [summary(ctx, c)["epoch"] for c in codes]
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    wait(lambda: [summary(ctx, c)["epoch"] for c in codes] == [e + 1 for e in epochs], message="→ did not step both runs")
    body.send_keys(" ")
    wait(lambda: all(summary(ctx, c)["state"] == "playing" for c in codes), message="space did not play both")
    # Space toggles what the page shows: wait until the page has heard that both play, as a person would see it.
    wait(lambda: js(driver, "return ganlab.compare.every(s => s.session.model.state.state === 'playing')"),
         message="the page did not show both runs playing")
    body.send_keys(" ")
    wait(lambda: all(summary(ctx, c)["state"] == "paused" for c in codes), message="space did not pause both")
    assert_no_console_errors(driver)
    epochs = [summary(ctx, c)["epoch"] for c in codes]
    # Errors stay on their side: without the right run's key, only the right side says it is read-only.
    js(driver, "localStorage.removeItem('ganlab:token:' + arguments[0])", codes[1])
    driver.refresh()
    wait(lambda: js(driver, "return !!(window.ganlab && ganlab.compare && ganlab.compare.every(s => s.session.model.state))"),
         message="the compare page did not come back")
    wait(lambda: "only" in driver.find_element(By.ID, "run-role").text, message="the role line does not say which run is controlled")
    click(driver, "#compare-step")
    right = wait(lambda: driver.find_element(By.CSS_SELECTOR, '.compare-side[data-side="right"] [data-error-for="general"]').text,
                 message="the right side's refusal was not shown on its side")
    assert "Fork" in right, right
    assert driver.find_element(By.CSS_SELECTOR, '.compare-side[data-side="left"] [data-error-for="general"]').text == "", \
        "the left side shows the right side's error"
    wait(lambda: summary(ctx, codes[0])["epoch"] == epochs[0] + 1, message="the left run did not step")
    assert summary(ctx, codes[1])["epoch"] == epochs[1], "a viewer stepped the right run"


def open_compare_dialog(ctx, driver):
    click(driver, "#compare-button")
    wait(lambda: driver.find_element(By.ID, "compare-dialog").is_displayed(), message="compare dialog did not open")


def wait_for_compare(driver):
    """Waits until the compare page shows both runs live; returns their codes (left, right)."""
    wait(lambda: "compare=" in driver.current_url, message="compare did not open")
    wait(lambda: js(driver, "return !!(window.ganlab && ganlab.compare && ganlab.compare.every(s => s.session.model.state && s.session.framesReceived > 0))"),
         timeout=60, message="the two runs did not come up")
    return js(driver, "return ganlab.compare.map(s => s.code)")


def compare_default_shows_the_vanishing_gradient(ctx):
    """Compare's default (the classic demonstration, docs/page.md): over epochs 500-1,500 the saturating side's mean
    gradient norm is lower and over 1,000-1,500 its mean JS higher, read from the live charts' history (what the
    person sees). Measured: ‖∇G‖ 0.001 against 0.37, JS 0.40 against 0.13 bits; the thresholds leave wide room."""
    driver = ctx.driver
    open_run(ctx, path="/")
    open_compare_dialog(ctx, driver)
    assert driver.find_element(By.ID, "compare-start").get_attribute("value") == "demonstration"
    click(driver, "#compare-go")
    codes = wait_for_compare(driver)
    a, b = (summary(ctx, c) for c in codes)
    assert (a["config"]["loss"], b["config"]["loss"]) == ("saturating", "non-saturating")
    demo = js(driver, "return import('/js/compare-setup.js').then(m => m.DEMONSTRATION)")
    assert a["data"].get("preset") == demo["preset"] and a["defaults"] == demo["defaults"], (a["data"], a["defaults"])
    assert all(a["config"][k] == v for k, v in demo["config"].items()), a["config"]
    assert a["seed"] == b["seed"] == demo["seed"], (a["seed"], b["seed"])
    wait(lambda: driver.find_element(By.ID, "compare-watch").is_displayed(), message="the line saying what to watch is not shown")
    epochs = demo["checkEpochs"]
    # The runs play at the server's pace; poll the live history until both passed the epoch the table checks.
    js(driver, "return Promise.all(ganlab.compare.map(s => s.session.command('speed', { epochsPerSecond: 200 }, 'general')))")
    click(driver, "#compare-play")
    read = """const e = arguments[0]; return ganlab.compare.map((s) => { const h = s.session.model.history, ep = h.column('epoch'),
        g = h.column('gGradNorm'), j = h.column('js'); let gs = 0, gn = 0, js = 0, jn = 0;
        for (let i = 0; i < h.count; i++) { if (ep[i] >= e / 3 && ep[i] <= e && Number.isFinite(g[i])) { gs += g[i]; gn++; }
          if (ep[i] >= e * 2 / 3 && ep[i] <= e && Number.isFinite(j[i])) { js += j[i]; jn++; } }
        return { last: h.count ? ep[h.count - 1] : 0, gradNorm: gn ? gs / gn : null, js: jn ? js / jn : null }; })"""
    sides = wait(lambda: (lambda r: r if all(s["last"] >= epochs for s in r) else None)(js(driver, read, epochs)),
                 timeout=240, interval=0.5, message=f"the two runs did not reach epoch {epochs}")
    click(driver, "#compare-play")
    saturating, non_saturating = sides
    ctx.note(f"compare default at epoch {epochs}: saturating mean ‖∇G‖ {saturating['gradNorm']:.3f}, JS {saturating['js']:.3f}; "
             f"non-saturating ‖∇G‖ {non_saturating['gradNorm']:.3f}, JS {non_saturating['js']:.3f}")
    assert saturating["gradNorm"] < 0.5 * non_saturating["gradNorm"], f"the saturating gradient did not collapse: {sides}"
    assert saturating["js"] > 1.5 * non_saturating["js"], f"the saturating side is not further from real: {sides}"
    assert_no_console_errors(driver)


def compare_varies_a_numeric_setting(ctx):
    """Compare can vary a number: the page checks the range, explains a refused value by its box and creates
    nothing; good values make two runs differing in that setting only."""
    driver = ctx.driver
    open_run(ctx, path="/")
    url = driver.current_url
    open_compare_dialog(ctx, driver)
    Select(driver.find_element(By.ID, "compare-start")).select_by_value("run")
    Select(driver.find_element(By.ID, "compare-key")).select_by_value("discriminatorSteps")
    left, right = driver.find_element(By.ID, "compare-a-number"), driver.find_element(By.ID, "compare-b-number")
    assert left.is_displayed() and not driver.find_element(By.ID, "compare-a").is_displayed(), "a number is not typed in"
    assert "0 … 10" in driver.find_element(By.ID, "compare-range").text
    for text, says in [("2.5", "whole number"), ("11", "out of range"), ("lots", "Type a whole number")]:
        left.clear()
        left.send_keys(text)
        click(driver, "#compare-go")
        error = wait(lambda: driver.find_element(By.ID, "compare-a-error").text, message=f"{text} was not refused by its box")
        assert says in error, error
        assert left.get_attribute("aria-invalid") == "true"
        assert driver.current_url == url, "a refused value created runs"
    Select(driver.find_element(By.ID, "compare-key")).select_by_value("discriminator.learningRate")
    assert driver.find_element(By.ID, "compare-a-error").text == "", "the old error stayed"
    left.clear()
    left.send_keys("0.05")
    right.clear()
    right.send_keys("20")
    click(driver, "#compare-go")
    assert "out of range" in wait(lambda: driver.find_element(By.ID, "compare-b-error").text, message="20 was not refused")
    right.clear()
    right.send_keys("0.2")
    click(driver, "#compare-go")
    codes = wait_for_compare(driver)
    a, b = (summary(ctx, c) for c in codes)
    assert (a["config"]["discriminator.learningRate"], b["config"]["discriminator.learningRate"]) == (0.05, 0.2)
    differ = {k for k in a["config"] if a["config"][k] != b["config"].get(k)}
    assert differ == {"discriminator.learningRate"}, f"the runs differ in {differ}"
    assert a["seed"] == b["seed"] and a["data"] == b["data"]
    wait(lambda: "0.2" in driver.find_element(By.CSS_SELECTOR, '.compare-side[data-side="right"] h2').text,
         message="the right side's title does not show its value")
    assert not driver.find_element(By.ID, "compare-watch").is_displayed(), "the loss demonstration's hint shows for another setting"
    assert_no_console_errors(driver)


def compare_fits_a_projector_and_stacks_on_a_phone(ctx):
    """At 1920×1080 both plots and all their charts are inside the window; on a phone the sides stack, no sideways scroll."""
    status, created = http(ctx.base, "POST", "/api/runs", {"playing": False, "config": {"loss": "saturating"}})
    assert status == 201, created
    status, other = http(ctx.base, "POST", "/api/runs", {"playing": False})
    assert status == 201, other
    path = f"/r/{created['code']}?compare={other['code']}"
    boxes = """return [...document.querySelectorAll('.compare-side canvas')].map((c) => { const r = c.getBoundingClientRect();
        return [c.dataset.chart || 'plot', Math.round(r.left), Math.round(r.top), Math.round(r.right), Math.round(r.bottom)]; })"""
    wide = ctx.new_driver(width=1920, height=1080)
    wide.get(ctx.base + path)
    wait_for_compare(wide)
    found = js(wide, boxes)
    assert len(found) == 10, found
    size = js(wide, "return [innerWidth, innerHeight, document.documentElement.scrollWidth]")
    outside = [b for b in found if b[3] > size[0] or b[4] > size[1] or b[1] < 0 or b[2] < 0]
    assert not outside, f"outside the {size[0]}×{size[1]} window: {outside}"
    assert size[2] <= size[0], f"scrolls sideways: {size}"
    plots = [b for b in found if b[0] == "plot"]
    # A projector's room watches the plots: most of each side goes to them; the charts keep a readable column.
    assert all(b[3] - b[1] >= 560 for b in plots), f"the plots are too small for a room: {plots}"
    charts = [b for b in found if b[0] != "plot"]
    assert all(b[3] - b[1] >= 280 for b in charts), f"the charts are too narrow to read: {charts}"
    ctx.note(f"compare at 1920×1080: plots {plots[0][3] - plots[0][1]} px, charts {charts[0][3] - charts[0][1]} px wide")
    if ctx.screenshot_path("compare-1920.png"):
        wide.save_screenshot(ctx.screenshot_path("compare-1920.png"))
    assert_no_console_errors(wide)
    phone = ctx.new_driver(width=390, height=844, mobile=True, scale=2)
    phone.get(ctx.base + path)
    wait_for_compare(phone)
    assert js(phone, "return document.documentElement.scrollWidth <= innerWidth"), "the phone scrolls sideways"
    left, right = js(phone, "return [...document.querySelectorAll('.compare-side')].map(s => { const r = s.getBoundingClientRect(); return [r.top, r.bottom]; })")
    assert right[0] >= left[1], f"the sides do not stack on a phone: {left} {right}"
    plot = js(phone, "const c = document.querySelector('.compare-side canvas.plot'); return c.getBoundingClientRect().width")
    assert plot >= 300, f"the phone's plot is {plot} px wide"
    if ctx.screenshot_path("compare-phone.png"):
        phone.save_screenshot(ctx.screenshot_path("compare-phone.png"))
    assert_no_console_errors(phone)


def renderer_main_thread_ticks(driver):
    """CPU clock ticks (user + system) of the main thread of each renderer process of `driver`'s browser, by pid."""
    parents = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read()
            parents[int(pid)] = (int(stat[stat.rindex(")") + 2:].split()[1]), stat)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue

    def ours(pid):
        while pid > 1 and pid in parents:
            if pid == driver.service.process.pid:
                return True
            pid = parents[pid][0]
        return False
    ticks = {}
    for pid in parents:
        try:
            if ours(pid) and b"--type=renderer" in open(f"/proc/{pid}/cmdline", "rb").read():
                # /proc/PID/stat counts every thread of the process (the compositor and raster threads too); the
                # main thread's own counts are in its task entry, whose tid is the pid.
                stat = open(f"/proc/{pid}/task/{pid}/stat").read()
                fields = stat[stat.rindex(")") + 2:].split()
                ticks[pid] = int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return ticks


def draw_cpu_ms(driver, draws, part="full"):
    """Main-thread CPU milliseconds per draw of `part` (full, plot, overview, charts): the renderer main thread's
    CPU time (from /proc, so other processes on a shared machine do not count) across `draws` draws, divided by
    `draws`."""
    before = renderer_main_thread_ticks(driver)
    js(driver, "ganlab.benchmarkDraw(arguments[0], arguments[1])", draws, part)
    after = renderer_main_thread_ticks(driver)
    spent = max((after[k] - before.get(k, 0) for k in after), default=0)
    return 1000.0 * spent / os.sysconf("SC_CLK_TCK") / draws


def playing_cpu(driver, seconds):
    """While the run plays for `seconds`: the renderer main thread's CPU milliseconds per animation frame, per frame
    that drew something, and per second, with the frame counts (`ganlab.loopCounts`). Everything the page does on
    that thread counts: decoding frames, blending, drawing, the DOM."""
    counts = js(driver, "return Object.assign({}, ganlab.loopCounts)")
    before = renderer_main_thread_ticks(driver)
    started = time.time()
    time.sleep(seconds)
    after = renderer_main_thread_ticks(driver)
    elapsed = time.time() - started
    now = js(driver, "return Object.assign({}, ganlab.loopCounts)")
    spent = 1000.0 * max((after[k] - before.get(k, 0) for k in after), default=0) / os.sysconf("SC_CLK_TCK")
    frames, drawn = now["frames"] - counts["frames"], now["drawn"] - counts["drawn"]
    return {"per_frame": spent / max(frames, 1), "per_drawn": spent / max(drawn, 1), "per_second": spent / elapsed,
            "fps": frames / elapsed, "drawn_fps": drawn / elapsed}


def set_up_full_frame(ctx, driver):
    """Sets the run's views to the issue's full frame (500 fakes with arrows, 64² field, 16² gradient field, 20×20
    manifold), turns the gradient-field and manifold layers on, plays until such a frame is shown, pauses."""
    configure_via_page(ctx, driver, {"views.fakeSampleCount": 500, "views.decisionResolution": 64,
                                     "views.arrowGridResolution": 16, "views.manifoldCells": 20})
    for layer in ("grid", "manifold"):
        box = driver.find_element(By.CSS_SELECTOR, f'#legend input[data-layer="{layer}"]')
        if not box.is_selected():
            click(driver, f'#legend input[data-layer="{layer}"]')
    ensure_playing(driver)
    wait(lambda: js(driver, """const f = ganlab.session.motion.to; return f.fakeCount === 500 && f.fieldResolution === 64
        && f.has(5) && f.has(7) && f.arrowCount === 500 && ganlab.model.history.count > 20"""), timeout=30,
         message="never got a full frame (500 fakes, 64² field, grid, manifold)")
    ensure_paused(ctx, driver)


def full_frame_draw_time_is_measured(ctx):
    """Reported, not asserted: main-thread ms to draw a full frame (64² field, 500 fakes and arrows, vector
    field, manifold, thumbnails and charts), forced and while a run plays, and forced again with the charts'
    history at its capacity."""
    driver = ctx.driver
    open_run(ctx, path="/")
    set_up_full_frame(ctx, driver)
    driver.set_script_timeout(180)
    load_before = os.getloadavg()[0]
    stats = js(driver, "return ganlab.benchmarkDraw(100)")
    load_after = os.getloadavg()[0]
    cpu = draw_cpu_ms(driver, 300)
    assert cpu > 0, "the renderer's main thread was not found in /proc"
    cpu_parts = ", ".join(f"{part} {draw_cpu_ms(driver, 300, part):.2f}" for part in ("plot", "overview", "charts"))
    rows = js(driver, "return ganlab.model.history.count")
    default_layers = driver.find_elements(By.CSS_SELECTOR, '#legend input[data-layer="grid"], #legend input[data-layer="manifold"]')
    for box in default_layers:
        click(driver, f'#legend input[data-layer="{box.get_attribute("data-layer")}"]')
    wait(lambda: "manifold" not in js(driver, "return [...ganlab.legend.on]"), message="could not turn the manifold off")
    cpu_default = draw_cpu_ms(driver, 300, "plot")
    for box in default_layers:
        click(driver, f'#legend input[data-layer="{box.get_attribute("data-layer")}"]')
    driver.set_script_timeout(30)
    # Live: the run plays (100 epochs a second, every layer on) and the page draws what changed on each animation
    # frame; the thread's whole CPU time is divided by the frames.
    ensure_playing(driver)
    js(driver, "ganlab.timer.count = 0; ganlab.timer.next = 0")
    playing = playing_cpu(driver, 5)
    live = js(driver, "return ganlab.timer.summary()")
    parts = ", ".join(f"{k} {v['p5']:.1f}/{v['median']:.1f}/{v['p95']:.1f}" for k, v in stats["parts"].items())
    ctx.note(f"full frame draw ({stats['canvases']} canvases: plot + thumbnails + charts with {rows} history rows), main thread, "
             f"headless Chromium, each sample ending with a 1-pixel getImageData per canvas: median {stats['median']:.2f} ms, "
             f"p95 {stats['p95']:.2f} ms, p5 {stats['p5']:.2f} ms, max {stats['max']:.2f} ms over {stats['count']} draws "
             f"(p5/median/p95 per part: {parts}); load average {load_before:.1f} before, {load_after:.1f} after, on "
             f"{os.cpu_count()} cores; renderer main-thread CPU time per full draw (/proc, over 300 draws, unaffected by "
             f"other processes): {cpu:.2f} ms ({cpu_parts}; the plot with its default layers, no gradient field or "
             f"manifold: {cpu_default:.2f})")
    ctx.note(f"while the run plays: renderer main-thread CPU {playing['per_frame']:.2f} ms per animation frame "
             f"({playing['fps']:.0f} frames/s), {playing['per_drawn']:.2f} ms per frame that drew "
             f"({playing['drawn_fps']:.0f}/s), {playing['per_second']:.0f} ms per second; time around the draw calls "
             f"(performance.now, wall clock) median {live['median']:.2f} ms, p95 {live['p95']:.2f} ms over {live['count']} draws")
    path = ctx.screenshot_path("screenshot-lab.png")
    if path:
        click(driver, '#legend input[data-layer="grid"]')
        wait(lambda: js(driver, "return ganlab.model.history.count") > 40, timeout=60, message="too few chart points for the screenshot")
        js(driver, "window.scrollTo(0, 0)")
        driver.save_screenshot(path)
        size = js(driver, "return [innerWidth, innerHeight]")
        assert size == [1280, 800], f"screenshot viewport {size}"
    # A long history: the page keeps up to 2,048 rows (a run that has played for a few minutes). The test fills it
    # with copies of this run's own rows (later epochs, values varied by up to ±20 %) and draws again: the charts'
    # cost must not grow with the rows.
    ensure_paused(ctx)
    rows = js(driver, """const h = ganlab.model.history, n = h.count, epochs = h.column('epoch');
        let epoch = epochs[n - 1];
        const step = Math.max(1, (epochs[n - 1] - epochs[0]) / Math.max(1, n - 1));
        while (h.count < h.capacity) {
          const k = h.count % n, wobble = 1 + 0.2 * Math.sin(h.count * 0.37);
          epoch += step;
          h.push((name) => (name === 'epoch' ? epoch : h.column(name)[k] * wobble));
        }
        ganlab.charts.markDirty();
        return h.count;""")
    driver.set_script_timeout(180)
    cpu = draw_cpu_ms(driver, 300)
    cpu_charts = draw_cpu_ms(driver, 300, "charts")
    driver.set_script_timeout(30)
    ctx.note(f"with the history filled to {rows} rows: renderer main-thread CPU time per full draw {cpu:.2f} ms (charts {cpu_charts:.2f})")


TESTS = [
    page_loads_without_console_errors_or_failed_requests,
    page_modules_decode_frames_qr_vectors_and_files,
    play_raises_the_epoch_and_changes_pixels,
    each_layer_toggle_changes_the_plot,
    js_chart_gains_points_and_falls_on_the_ring,
    drawing_reaches_the_server_and_fakes_move_towards_it,
    hyperparameter_change_reaches_the_server_and_bad_values_show_its_error,
    step_d_changes_only_the_field_and_step_g_only_the_fakes,
    a_second_browser_follows_read_only_and_can_fork,
    the_share_link_reproduces_the_run,
    after_a_server_restart_the_page_reconnects_and_the_run_resumes,
    a_dropped_socket_reconnects_and_resyncs,
    the_phone_viewport_has_no_horizontal_scrolling,
    keyboard_shortcuts_work,
    present_shows_the_code_link_and_qr,
    lesson_links_hide_controls,
    compare_runs_saturating_against_non_saturating,
    compare_default_shows_the_vanishing_gradient,
    compare_varies_a_numeric_setting,
    compare_fits_a_projector_and_stacks_on_a_phone,
    full_frame_draw_time_is_measured,
]
