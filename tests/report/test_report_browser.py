"""The reports in a real browser: headless Chromium shows untrusted text as text and runs no script.

Each page is opened as written and again with its Content-Security-Policy removed, so
the escaping is proven on its own and not only by the policy.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import report_helpers as h

from evalkit.report import compare_runs, write_index, write_run_reports

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
        reason="needs Debian packages chromium and chromium-driver (installed by .ci/run)",
    ),
]

#: Runs before any page script: records every dialog instead of opening it.
TRAP = """
window.__dialogs = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__dialogs.push([name, String(args[0])]); };
}
"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,1800",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    drv = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    drv.set_page_load_timeout(60)
    drv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP})
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    results = tmp_path_factory.mktemp("browser") / "results"

    def hostile(ex, i):
        return h.XSS if i % 7 == 3 else h.default_system(ex, i)

    a = h.make_run(
        results / "runs", "run-hostile", hostile, system_spec={"name": h.XSS, "kind": "python"}
    )
    b = h.make_run(results / "runs", "run-plain")
    write_run_reports(a)
    write_run_reports(b)
    compare_runs([b, a], results / "cmp")
    write_index(results)
    out = {
        "report": a / "report.html",
        "comparison": results / "cmp" / "comparison.html",
        "index": results / "index.html",
    }
    for name, path in list(
        out.items()
    ):  # the same page without its policy: escaping alone must hold
        text = path.read_text(encoding="utf-8")
        start = text.index('<meta http-equiv="Content-Security-Policy"')
        stripped = text[:start] + text[text.index(">", start) + 1 :]
        assert "Content-Security-Policy" not in stripped
        copy = path.with_name(path.stem + "-nocsp.html")
        copy.write_text(stripped, encoding="utf-8")
        out[name + "-nocsp"] = copy
    return out


def _open(driver, path: Path) -> None:
    driver.get_log("performance")  # drop earlier events
    driver.get(path.resolve().as_uri())


def _check_no_script_ran_and_nothing_fetched(driver) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert  # noqa: B018 - raises when no dialog is open
    assert driver.execute_script("return window.__dialogs") == []
    assert (
        driver.execute_script(
            "return document.querySelectorAll('script, img, iframe, object, embed').length"
        )
        == 0
    )
    requested = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.append(message["params"]["request"]["url"])
    assert requested and all(u.startswith(("file:", "data:")) for u in requested), requested
    severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


@pytest.mark.parametrize("name", ["report", "report-nocsp"])
def test_run_report_in_chromium(driver, pages, name, tmp_path):
    _open(driver, pages[name])
    _check_no_script_ran_and_nothing_fetched(driver)
    text = driver.find_element("tag name", "body").text
    assert h.XSS in text  # shown as text, in the worst segments and the system chip
    assert driver.execute_script("return document.querySelectorAll('table').length") >= 5
    assert (
        driver.execute_script("return document.querySelectorAll('td[data-metric]').length")
        == 4 * 4 * 3
    )
    assert (
        driver.execute_script("return document.querySelectorAll('svg.chart').length")
        == len(h.METRICS) * 2
    )
    assert (
        driver.execute_script("return document.querySelectorAll('svg.chart polygon.band').length")
        > 0
    )
    assert (
        driver.execute_script("return document.querySelectorAll('.seg ins, .seg del').length") > 0
    )
    width = driver.execute_script(
        "return document.querySelector('svg.chart').getBoundingClientRect().width"
    )
    assert width > 300  # the charts are laid out, not collapsed
    shot = tmp_path / f"{name}.png"
    assert driver.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000


@pytest.mark.parametrize("name", ["comparison", "comparison-nocsp", "index", "index-nocsp"])
def test_comparison_and_index_in_chromium(driver, pages, name, tmp_path):
    _open(driver, pages[name])
    _check_no_script_ran_and_nothing_fetched(driver)
    assert h.XSS in driver.find_element("tag name", "body").text
    assert driver.execute_script("return document.querySelectorAll('table').length") >= 2
    assert driver.save_screenshot(str(tmp_path / f"{name}.png"))


def test_chart_files_render_on_their_own(driver, pages, tmp_path):
    """charts/*.svg (what report.md links) open in Chromium as SVG documents and draw."""
    files = sorted((pages["report"].parent / "charts").glob("*.svg"))
    assert len(files) == len(h.METRICS) * 2
    for path in files:
        _open(driver, path)
        _check_no_script_ran_and_nothing_fetched(driver)
        root = driver.execute_script(
            "const r = document.documentElement;"
            " return [r.namespaceURI, r.localName, r.getBoundingClientRect().width,"
            " document.getElementsByTagName('parsererror').length,"
            " document.getElementsByTagName('circle').length,"
            " Array.from(document.getElementsByTagName('polyline'))"
            "   .map(p => p.getTotalLength()).reduce((a, b) => a + b, 0)]"
        )
        ns, name, width, errors, points, drawn = root
        assert (ns, name, errors) == ("http://www.w3.org/2000/svg", "svg", 0), path.name
        assert width == 680 and points > 0 and drawn > 100, (path.name, root)
        # the texts are laid out: the title and the week labels have a size
        boxes = driver.execute_script(
            "return Array.from(document.getElementsByTagName('text'))  .map(t => t.getBBox().width)"
        )
        assert boxes and all(w > 0 for w in boxes), path.name
    shot = tmp_path / "chart.png"
    assert driver.save_screenshot(str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 5_000


@pytest.mark.parametrize("n_weeks", [1, 2, 10, 13, 52])
def test_chart_texts_fit_and_do_not_overlap(driver, tmp_path, n_weeks):
    """Week labels, legend and title stay inside the picture and apart, however many weeks
    and series (with a long series label and a Korean one)."""
    from evalkit.report import svg
    from evalkit.report.charts import Chart, Point, Series

    weeks = tuple(f"2024-W{i:02d}" for i in range(1, n_weeks + 1))
    labels = ["title", "summary", "abstract", "summarize", "요약 (a task with a long name)"]
    series = tuple(
        Series(
            label,
            tuple(Point(w, 20 + k + i % 7, 15 + k, 30 + k, 10) for i, w in enumerate(weeks)),
            25.0,
        )
        for k, label in enumerate(labels)
    )
    chart = Chart("ter", "TER", "en-ko", "lower", "↓", None, 2, weeks, series)
    path = tmp_path / "chart.svg"
    path.write_text(svg.document(chart), encoding="utf-8")
    _open(driver, path)
    boxes = driver.execute_script(
        "return Array.from(document.getElementsByTagName('text')).map(t => {"
        " const b = t.getBBox(); return [t.textContent, b.x, b.y, b.width, b.height]; })"
    )
    width, height = (
        680,
        int(driver.execute_script("return document.documentElement.height.baseVal.value")),
    )
    for text, x, y, w, tall in boxes:
        assert x >= 0 and x + w <= width and y >= 0 and y + tall <= height, text
    rows: dict[float, list[tuple[float, float, str]]] = {}
    for text, x, y, w, _ in boxes:
        rows.setdefault(round(y), []).append((x, x + w, text))
    for row in rows.values():  # texts on one line (axis labels, legend) do not overlap
        row.sort()
        for (_, end, a), (start, _, b) in zip(row, row[1:], strict=False):
            assert end <= start + 0.5, (a, b)
    axis = [t for t, *_ in boxes if t.startswith("2024-W")]
    assert axis[0] == weeks[0] and axis[-1] == weeks[-1]
