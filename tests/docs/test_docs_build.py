"""The documentation site: builds with `mkdocs build --strict`, and works opened from disk.

Broken links and references fail the build. The built site must need nothing from the network
(search from file://, Pygments highlighting, no web fonts, no CDN script) and carry no link to a
repository that does not exist; where a headless Chromium is installed, a real browser opens it
from disk, renders the home page and finds a search result.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("mkdocs", "mkdocstrings", "material")),
    reason="mkdocs, mkdocstrings or mkdocs-material is not installed (pip install -e '.[docs]')")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_docs_build_strict(site):
    api = (site / "api" / "session.html").read_text()
    assert "graphflow.session.Session" in api  # the reference really comes from the docstrings
    assert (site / "images" / "digits_mlp.svg").exists()


def test_the_reference_has_factory_made_functions_and_the_differences_from_tf1(site):
    """scripts/griffe_runtime_docs.py at work: `tf.exp` and `tf.reduce_sum` (made by factories,
    which griffe's static reading misses) have entries, and every difference from TF1 that
    graphflow/compat/differences.py explains shows in the entry of its name."""
    from graphflow.compat.differences import BEHAVIOUR, SIGNATURES

    html = "".join(page.read_text() for page in (site / "api").glob("*.html"))
    for ident in ("graphflow.ops.elementwise.exp", "graphflow.ops.reduce.reduce_sum",
                  "graphflow.core.graph.Graph.get_tensor_by_name",
                  "graphflow.profiling.RunMetadata.write_chrome_trace"):
        assert f'id="{ident}"' in html, ident
    assert "input_tensor" in html and "keep_dims" in html  # reduce_sum's parameters
    missing = [full for full in sorted({*SIGNATURES, *BEHAVIOUR})
               if f"Difference from TF1 (<code>{full}</code>" not in html]
    assert not missing, f"no 'Difference from TF1' in the entries of {missing}"


def test_pages_load_nothing_from_the_network(site):
    assert len(pages(site)) > 20
    for page in pages(site):
        html = page.read_text()
        loads = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
        loads += re.findall(r'<link[^>]*rel="(?:stylesheet|preload|icon)"[^>]*href="([^"]+)"',
                            html)
        remote = [u for u in loads if re.match(r"(https?:)?//", u)]
        assert not remote, f"{page.relative_to(site)} loads {remote}"
        assert "fonts.googleapis" not in html and "unpkg.com" not in html


def test_search_works_from_disk(site):
    index = (site / "search" / "search_index.js").read_text()
    assert index.startswith("var __index = ") and '"location":"getting-started.html' in index
    home = (site / "index.html").read_text()
    assert 'src="javascripts/file-iframe-worker.js"' in home  # the search worker on file://
    assert 'href="getting-started.html"' in home  # plain file links, no directory URLs


def test_code_is_highlighted_by_pygments(site):
    html = (site / "getting-started.html").read_text()
    assert 'class="highlight"' in html and '<span class="kn">import</span>' in html


def test_no_edit_link_to_a_repository_that_does_not_exist(site):
    for page in pages(site):
        html = page.read_text()
        assert "github.com/graphflow" not in html and "md-content__button" not in html, page


def test_long_names_wrap_in_the_sidebar(site):
    css = (site / "stylesheets" / "extra.css").read_text()
    assert ".md-nav__link" in css and "overflow-wrap: anywhere" in css
    assert 'href="stylesheets/extra.css"' in (site / "index.html").read_text()


# The headless shell first: scripts/test.sh installs Debian's chromium-headless-shell (about a
# third of the full browser) so that this test runs in CI.
BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "chrome")


def browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def dump_dom(url: str) -> str:
    found = browser()
    # The headless shell is headless already and takes no --headless mode.
    mode = [] if found.endswith("headless-shell") else ["--headless=new"]
    done = subprocess.run(
        [found, *mode, "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--virtual-time-budget=10000", "--dump-dom", url],
        capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(browser() is None, reason="no headless Chromium installed (scripts/test.sh "
                    "installs it; or apt-get install chromium-headless-shell)")
def test_a_browser_renders_the_site_from_disk_and_search_finds_results(site):
    home = dump_dom((site / "index.html").as_uri())
    assert "<h1" in home and "graphflow" in home and "md-nav" in home
    assert 'class="md-search-result__meta">' in home  # the search box is there
    found = dump_dom((site / "index.html").as_uri() + "?q=placeholder")
    meta = re.search(r'md-search-result__meta">([^<]*)<', found)
    assert meta and re.match(r"\d+ matching document", meta[1]), meta and meta[1]
    assert found.count('class="md-search-result__item') >= 1
