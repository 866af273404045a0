"""More page checks: the view options, downloads and imports, data files, reset and seed, the pretrained run and
the back button, the chart read-out, the projector layout and slow motion's highlights.

Same rules as page_tests.py: real clicks, keys and pointer moves; canvas pixels where the behaviour is a picture;
every wait polls; the main browser is shared and left at 1280×800.
"""
import math
import os
import tempfile
import time
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from page_tests import (assert_no_console_errors, canvas_hash, click, ensure_paused, ensure_playing, js, open_run, run_state,
                        severe_console_entries, shown_epoch, summary, wait)


def set_viewport(driver, width, height):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    wait(lambda: js(driver, "return [innerWidth, innerHeight]") == [width, height], message=f"viewport never became {width}×{height}")


def trained_and_paused(ctx, epochs=40):
    """Opens a new run, trains it a little and pauses it (a settled picture); returns its code."""
    driver = ctx.driver
    code = open_run(ctx, path="/")
    ensure_playing(driver)
    wait(lambda: (shown_epoch(driver) or 0) > epochs, message="did not train")
    ensure_paused(ctx)
    return code


def hue_counts(driver, selector="#plot"):
    """Pixels of the canvas that are clearly green, blue or orange."""
    return js(driver, """
        const c = document.querySelector(arguments[0]);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const n = { green: 0, blue: 0, orange: 0 };
        for (let i = 0; i < d.length; i += 4) {
          const r = d[i], g = d[i + 1], b = d[i + 2];
          if (g > r + 40 && g > b + 20) n.green++;
          else if (b > r + 40 && b > g + 10) n.blue++;
          else if (r > g + 40 && g > b + 20) n.orange++;
        }
        return n;""", selector)


def open_view_menu(driver):
    if not driver.find_element(By.ID, "view-menu").is_displayed():
        click(driver, "#view-button")
    wait(lambda: driver.find_element(By.ID, "view-menu").is_displayed(), message="the View menu did not open")


# ---------------------------------------------------------------------------------------------- tests

def presenter_mode_enlarges_text_and_charts(ctx):
    driver = ctx.driver
    trained_and_paused(ctx)
    before = js(driver, """const c = document.querySelector('canvas[data-chart=losses]');
        return { body: parseFloat(getComputedStyle(document.body).fontSize),
                 button: parseFloat(getComputedStyle(document.getElementById('play')).fontSize),
                 chartHeight: c.height, chartFont: ganlab.charts.charts[0].chart.fontPx };""")
    chart_pixels = canvas_hash(driver, "canvas[data-chart=losses]")
    open_view_menu(driver)
    click(driver, "#presenter-mode")
    wait(lambda: "presenter=1" in driver.current_url, message="presenter mode is not in the URL")

    def grown():
        after = js(driver, """const c = document.querySelector('canvas[data-chart=losses]');
            return { body: parseFloat(getComputedStyle(document.body).fontSize),
                     button: parseFloat(getComputedStyle(document.getElementById('play')).fontSize),
                     chartHeight: c.height, chartFont: ganlab.charts.charts[0].chart.fontPx };""")
        return after if all(after[k] > before[k] for k in before) else None
    after = wait(grown, timeout=10, message=f"presenter mode did not enlarge text and charts (before {before})")
    assert after["body"] >= 1.25 * before["body"], (before, after)
    wait(lambda: canvas_hash(driver, "canvas[data-chart=losses]") != chart_pixels, message="the charts were not redrawn larger")
    ctx.note(f"presenter mode: text {before['body']:.0f} → {after['body']:.0f} px, chart labels {before['chartFont']:.1f} → "
             f"{after['chartFont']:.1f} px, chart height {before['chartHeight']} → {after['chartHeight']} px")
    click(driver, "#presenter-mode")
    wait(lambda: js(driver, "return parseFloat(getComputedStyle(document.body).fontSize)") == before["body"],
         message="leaving presenter mode did not restore the text size")
    assert "presenter=1" not in driver.current_url
    assert_no_console_errors(driver)


def colourblind_palette_changes_the_plot_hues(ctx):
    driver = ctx.driver
    trained_and_paused(ctx)
    before = hue_counts(driver)
    assert before["green"] > 500, f"the reference palette shows no green (real samples, 'real' field): {before}"
    open_view_menu(driver)
    click(driver, "#colourblind-mode")
    wait(lambda: "palette=colourblind" in driver.current_url, message="the palette is not in the URL")
    after = wait(lambda: (lambda h: h if h["green"] < 0.02 * before["green"] and h["blue"] > 500 and h["orange"] > 200 else None)(
        hue_counts(driver)), timeout=10, message=f"the plot's hues did not change to blue and orange (before {before})")
    ctx.note(f"colour-blind palette: plot pixels green/blue/orange {before['green']}/{before['blue']}/{before['orange']} → "
             f"{after['green']}/{after['blue']}/{after['orange']}")
    click(driver, "#colourblind-mode")
    wait(lambda: hue_counts(driver)["green"] > 0.8 * before["green"], message="the reference palette did not come back")
    assert_no_console_errors(driver)


def exports_download_and_a_run_file_imports(ctx):
    driver = ctx.driver
    code = trained_and_paused(ctx)
    epoch = summary(ctx, code)["epoch"]
    downloads = tempfile.mkdtemp(prefix="ganlab-downloads-")
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    click(driver, "#share-button")
    wait(lambda: driver.find_element(By.ID, "share-dialog").is_displayed(), message="the share dialog did not open")
    # The plot as PNG: a real download of a PNG as wide as the plot's backing store.
    click(driver, "#export-png")
    png_path = os.path.join(downloads, f"ganlab-{code}.png")
    wait(lambda: os.path.exists(png_path) and os.path.getsize(png_path) > 1000, message="the PNG was not downloaded")
    png = open(png_path, "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "the download is not a PNG"
    width = int.from_bytes(png[16:20], "big")
    assert width == js(driver, "return document.getElementById('plot').width"), f"PNG width {width}"
    # The other downloads are links: each target answers 200 with its type.
    links = js(driver, """return [...document.querySelectorAll('#share-body a[download]')].map(a => [a.textContent, a.href, a.download]);""")
    expected = {"samples.csv": "text/csv", "metrics.csv": "text/csv", "/export": "application/vnd.ganlab.run"}
    seen = {}
    for text, href, name in links:
        with urllib.request.urlopen(href, timeout=10) as response:
            body = response.read()
            kind = next(k for k in expected if k in href)
            assert response.status == 200 and response.headers["Content-Type"].startswith(expected[kind]), \
                (text, response.status, response.headers["Content-Type"])
            seen[kind] = body
    assert set(seen) == set(expected), f"download links {links}"
    header = seen["metrics.csv"].split(b"\n")[0].decode()
    assert header.endswith("klRealFakeFloor,klFakeRealFloor"), header
    assert seen["samples.csv"].startswith(b"kind,x,y\n")
    # Import: the downloaded run through the file control opens a copy at the same epoch.
    run_path = os.path.join(downloads, "saved.ganrun")
    open(run_path, "wb").write(seen["/export"])
    driver.find_element(By.ID, "run-file").send_keys(run_path)
    wait(lambda: js(driver, "return location.pathname") != f"/r/{code}", message="importing the run file opened nothing")
    new_code = open_run(ctx, path=None)
    copy, original = summary(ctx, new_code), summary(ctx, code)
    assert new_code != code and copy["epoch"] == epoch, (new_code, copy["epoch"], epoch)
    assert copy["config"] == original["config"] and copy["data"] == original["data"]
    # A file that is not a run: the control says so and nothing opens.
    bad_path = os.path.join(downloads, "notes.ganrun")
    open(bad_path, "wb").write(b"not a run at all")
    click(driver, "#share-button")
    driver.find_element(By.ID, "run-file").send_keys(bad_path)
    message = wait(lambda: driver.find_element(By.CSS_SELECTOR, '[data-error-for="run-file"]').text,
                   message="a bad run file was not explained")
    assert "notes.ganrun" in message and "Nothing was imported" in message, message
    assert js(driver, "return location.pathname") == f"/r/{new_code}"
    driver.find_element(By.ID, "share-dialog").send_keys(Keys.ESCAPE)
    unexpected = [e["message"] for e in severe_console_entries(driver) if "/api/runs/import" not in e["message"]]
    assert not unexpected, f"console errors: {unexpected}"


def points_files_reset_and_new_seed_keep_the_drawing(ctx):
    driver = ctx.driver
    code = trained_and_paused(ctx, epochs=5)
    folder = tempfile.mkdtemp(prefix="ganlab-points-")
    before = summary(ctx, code)
    # A bad CSV: the file control explains, nothing reaches the server.
    bad = os.path.join(folder, "bad.csv")
    open(bad, "w").write("x,y\n0.1,0.2\n0.3,zap\n")
    driver.find_element(By.ID, "points-file").send_keys(bad)
    message = wait(lambda: driver.find_element(By.ID, "points-file-error").text, message="the bad file was not explained")
    assert "bad.csv" in message and "Line" in message and "Nothing was sent" in message, message
    after = summary(ctx, code)
    assert (after["data"], after["generation"]) == (before["data"], before["generation"]), "a bad file changed the server's data"
    assert not driver.find_element(By.ID, "draw-layer").is_displayed(), "a bad file opened the drawing"
    # A good one: loaded into the drawing, applied, trained.
    good = os.path.join(folder, "circle.csv")
    points = [(0.5 * math.cos(2 * math.pi * k / 120), 0.5 * math.sin(2 * math.pi * k / 120)) for k in range(120)]
    open(good, "w").write("x,y\n" + "".join(f"{x:.4f},{y:.4f}\n" for x, y in points))
    driver.find_element(By.ID, "points-file").send_keys(good)
    wait(lambda: js(driver, "return ganlab.data.drawing.count") == 120, message="the file's points were not loaded")
    assert driver.find_element(By.ID, "points-file-error").text == ""
    click(driver, "#draw-apply")
    wait(lambda: summary(ctx, code)["data"].get("pointCount") == 120, message="the points never reached the server")
    box = click(driver, "#ff-count")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("60", Keys.ENTER)
    wait(lambda: summary(ctx, code)["epoch"] == 60, message="fast-forward did not train 60 epochs")
    trained = summary(ctx, code)
    # Reset: epoch 0 and new weights, same drawing and settings (the reference threw edits away).
    click(driver, "#reset")
    reset = wait(lambda: (lambda s: s if s["epoch"] == 0 and s["generation"] > trained["generation"] else None)(summary(ctx, code)),
                 message="reset did not restart the run")
    assert reset["data"] == trained["data"] and reset["config"] == trained["config"] and reset["seed"] == trained["seed"]
    wait(lambda: js(driver, "return ganlab.model.data.kind === 'points' && ganlab.model.data.points.length") == 120,
         message="the page lost the drawing after reset")
    # New seed: a different seed, epoch 0, still the drawing.
    click(driver, "#new-seed")
    seeded = wait(lambda: (lambda s: s if s["seed"] != reset["seed"] else None)(summary(ctx, code)), message="new seed changed nothing")
    assert seeded["epoch"] == 0 and seeded["data"] == trained["data"] and seeded["generation"] > reset["generation"]
    wait(lambda: js(driver, "return ganlab.model.state.seed") == seeded["seed"], message="the page does not show the new seed")
    assert_no_console_errors(driver)


def pretrained_run_opens_and_back_returns(ctx):
    driver = ctx.driver
    code = open_run(ctx, path="/")
    assert js(driver, "return ganlab.model.data.preset") == "gaussians"
    wait(lambda: driver.find_element(By.ID, "pretrained").is_enabled(), message="no pretrained run offered for gaussians")
    click(driver, "#pretrained")
    wait(lambda: js(driver, "return location.pathname") != f"/r/{code}", message="the pretrained run did not open")
    trained = open_run(ctx, path=None)
    run = summary(ctx, trained)
    assert run["epoch"] > 500 and run["data"].get("preset") == "gaussians", f"not the pretrained run: epoch {run['epoch']}, {run['data']}"
    ensure_paused(ctx)
    # Near equilibrium D says about 0.5 everywhere: the "D on fakes / D on real" dots must still stand out.
    for thumb in ("predFake", "predReal"):
        marks = js(driver, """const c = document.querySelector(`[data-thumb="${arguments[0]}"]`);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 3 * 150) n++; return [n, c.width * c.height];""", thumb)
        assert marks[0] > 0.03 * marks[1], f"the {thumb} thumbnail's dots are nearly invisible ({marks[0]} dark of {marks[1]} pixels)"
    driver.back()
    wait(lambda: js(driver, "return location.pathname") == f"/r/{code}", message="Back did not return to the previous run")
    assert open_run(ctx, path=None) == code
    assert_no_console_errors(driver)


def chart_hover_shows_a_readout(ctx):
    driver = ctx.driver
    trained_and_paused(ctx)
    selector = "canvas[data-chart=losses]"
    canvas = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    wait(lambda: js(driver, "return !ganlab.charts.charts[0].chart.dirty"), message="the chart was never drawn")
    before = canvas_hash(driver, selector)
    label = canvas.get_attribute("aria-label")
    ActionChains(driver).move_to_element_with_offset(canvas, 40, 10).perform()
    readout = wait(lambda: (lambda a: a if a != label and "epoch" in a else None)(canvas.get_attribute("aria-label")),
                   message="hovering the chart gave no read-out")
    assert "D loss:" in readout and "G loss:" in readout, readout
    wait(lambda: canvas_hash(driver, selector) != before, message="the read-out was not drawn on the chart")
    ActionChains(driver).move_to_element(driver.find_element(By.ID, "epoch")).perform()
    wait(lambda: canvas.get_attribute("aria-label") == label, message="the read-out stayed after the pointer left")
    wait(lambda: canvas_hash(driver, selector) == before, message="the chart did not return to its picture without the read-out")
    ctx.note(f"chart read-out: {readout}")


def projector_layout_at_1920(ctx):
    driver = ctx.driver
    try:
        set_viewport(driver, 1920, 1080)
        trained_and_paused(ctx, epochs=10)
        layout = js(driver, """const r = (s) => document.querySelector(s).getBoundingClientRect();
            const w = document.documentElement.clientWidth; const wide = [];
            for (const e of document.querySelectorAll('body *')) { const b = e.getBoundingClientRect();
              if (b.width && b.right > w + 1 && getComputedStyle(e).position !== 'fixed') wide.push(e.tagName + '#' + e.id); }
            return { scroll: document.documentElement.scrollWidth, width: innerWidth, wide: wide.slice(0, 5),
                     controls: [r('.controls').left, r('.controls').right], stage: [r('.stage').left, r('.stage').right],
                     side: [r('.side').left, r('.side').right], plot: r('#plot').width, top: r('#plot').top,
                     plotBottom: r('#plot').bottom };""")
        assert layout["scroll"] <= layout["width"] and not layout["wide"], f"wider than 1920: {layout}"
        assert layout["controls"][1] <= layout["stage"][0] + 1 and layout["stage"][1] <= layout["side"][0] + 1, \
            f"not three columns (controls | plot | model and charts): {layout}"
        assert layout["plot"] >= 700 and layout["plotBottom"] <= 1080, f"the plot does not use the projector: {layout}"
        ctx.note(f"1920×1080: plot {layout['plot']:.0f} px square, columns {layout['controls']} | {layout['stage']} | {layout['side']}")
        assert_no_console_errors(driver)
    finally:
        set_viewport(driver, 1280, 800)


# Lit components per slow-motion sub-step, as the overview shows them (data-thumb names; "losses" is the loss box).
SLOWMO_LIT = {
    1: {"noise", "generator", "fakes"}, 2: {"fakes", "real", "discriminator", "predFake", "predReal"},
    3: {"predFake", "predReal", "losses"}, 4: {"losses", "discriminator"}, 5: {"discriminator"},
    6: {"noise", "generator", "fakes"}, 7: {"fakes", "discriminator", "predFake"}, 8: {"predFake", "losses"},
    9: {"losses", "gradients", "discriminator"}, 10: {"generator", "fakes", "gradients"},
}


def slow_motion_highlights_each_sub_step(ctx):
    driver = ctx.driver
    code = trained_and_paused(ctx, epochs=5)
    click(driver, "#slowmo")
    wait(lambda: summary(ctx, code)["slowmo"] is True, message="slow motion did not turn on")
    click(driver, "#play")
    seen = {}
    started = time.time()

    def observe():
        state = js(driver, """const f = ganlab.session.motion.to;
            const lit = [...document.querySelectorAll('#overview .node.lit')].map(n => n.querySelector('canvas')?.dataset.thumb
              || (n.classList.contains('losses') ? 'losses' : '?'));
            const dim = [...document.querySelectorAll('#overview .node:not(.lit)')].map(n => getComputedStyle(n).opacity);
            const flows = [...document.querySelectorAll('#overview .flow.active')].map(p => p.classList.contains('d-flow') ? 'd' : 'g');
            return [f.state, f.subStep, lit, dim, flows, document.getElementById('slowmo-caption').textContent];""")
        frame_state, step, lit, dim, flows, caption = state
        observe.last = state
        # The other components fade to 0.4 over 0.3 s; a sub-step lasts 1.5 s.
        dimmed = dim and all(float(o) < 0.6 for o in dim)
        if frame_state == 2 and step and step not in seen and set(lit) == SLOWMO_LIT[step] and dimmed:
            seen[step] = (flows, caption)
        return len(seen) >= 3
    try:
        wait(observe, timeout=40, interval=0.1)
    except AssertionError:
        raise AssertionError(f"fewer than three sub-steps were highlighted with the rest dimmed (seen {sorted(seen)}, "
                             f"last [state, step, lit, opacities, flows, caption] {observe.last})")
    for step, (flows, caption) in seen.items():
        assert flows, f"sub-step {step}: no update flow is animated"
        assert caption.startswith(f"{'D' if step <= 5 else 'G'} phase"), f"sub-step {step}: caption {caption!r}"
    ctx.note(f"slow motion: sub-steps {sorted(seen)} highlighted in {time.time() - started:.1f} s")
    click(driver, "#play")
    wait(lambda: run_state(driver) == "paused", message="pause did not stop slow motion")
    click(driver, "#slowmo")
    wait(lambda: summary(ctx, code)["slowmo"] is False, message="slow motion did not turn off")
    assert_no_console_errors(driver)


TESTS = [
    presenter_mode_enlarges_text_and_charts,
    colourblind_palette_changes_the_plot_hues,
    exports_download_and_a_run_file_imports,
    points_files_reset_and_new_seed_keep_the_drawing,
    pretrained_run_opens_and_back_returns,
    chart_hover_shows_a_readout,
    projector_layout_at_1920,
    slow_motion_highlights_each_sub_step,
]
