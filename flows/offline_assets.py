"""The JavaScript and CSS that pages need, shipped in the package (flows/assets/vendor, with
their licences) so Data Docs and the dashboard work from file:// with no network."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from flows.paths import VENDOR

# What Great Expectations 1.24's Data Docs load from the web -> the vendored copy.
_CDN = {
    r"https://maxcdn\.bootstrapcdn\.com/bootstrap/4\.3\.1/css/bootstrap\.min\.css": "bootstrap.min.css",
    r"https://stackpath\.bootstrapcdn\.com/bootstrap/4\.3\.1/js/bootstrap\.min\.js": "bootstrap.min.js",
    r"https://code\.jquery\.com/jquery-3\.7\.1\.min\.js": "jquery.min.js",
    r"https://cdnjs\.cloudflare\.com/ajax/libs/popper\.js/1\.12\.9/umd/popper\.min\.js": "popper.min.js",
    r"https://cdnjs\.cloudflare\.com/ajax/libs/font-awesome/6\.6\.0/css/all\.min\.css": "fontawesome/css/all.min.css",
    r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/1\.9\.0/css/bootstrap-datepicker\.min\.css": "bootstrap-datepicker.min.css",
    r"https://cdnjs\.cloudflare\.com/ajax/libs/bootstrap-datepicker/1\.9\.0/js/bootstrap-datepicker\.min\.js": "bootstrap-datepicker.min.js",
    r"https://unpkg\.com/bootstrap-table@1\.19\.[01]/dist/bootstrap-table\.min\.css": "bootstrap-table.min.css",
    r"https://unpkg\.com/bootstrap-table@1\.19\.[01]/dist/bootstrap-table\.min\.js": "bootstrap-table.min.js",
    r"https://unpkg\.com/bootstrap-table@1\.19\.[01]/dist/extensions/filter-control/bootstrap-table-filter-control(?:\.min)?\.css": "bootstrap-table-filter-control.min.css",
    r"https://unpkg\.com/bootstrap-table@1\.19\.[01]/dist/extensions/filter-control/bootstrap-table-filter-control\.min\.js": "bootstrap-table-filter-control.min.js",
    r"https://cdn\.jsdelivr\.net/npm/@forevolve/bootstrap-dark@1\.1\.0/dist/css/bootstrap-prefers-dark\.css": "bootstrap-prefers-dark.css",
    r"https://cdn\.jsdelivr\.net/npm/vega@5": "vega.min.js",
    r"https://cdn\.jsdelivr\.net/npm/vega-lite@5": "vega-lite.min.js",
    r"https://cdn\.jsdelivr\.net/npm/vega-embed@6": "vega-embed.min.js",
}  # fmt: skip
# The logo comes from a web bucket; the site ships its own copy.
_LOGO = r"https://great-expectations-web-assets\.s3\.[\w.-]+\.amazonaws\.com/[\w.-]+\.png(?:\?[^\"']*)?"
_REMOTE_LOAD = re.compile(r"""(?:src|href)=["'](https?://[^"']+)["']|url\(["']?(https?://[^)"']+)""")


def localise_site(site: Path) -> None:
    """Copies the vendored assets into a Data Docs site and points every page at them."""
    target = site / "static" / "vendor"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(VENDOR, target, ignore=shutil.ignore_patterns("LICENSE-*"))
    for page in site.rglob("*.html"):
        prefix = os.path.relpath(site / "static", page.parent)
        html = page.read_text(encoding="utf-8")
        for pattern, local in _CDN.items():
            html = re.sub(pattern, f"{prefix}/vendor/{local}", html)
        html = re.sub(_LOGO, f"{prefix}/images/logo-long.png", html)
        # GX gets the depth of some relative `static/` paths wrong on nested pages (the favicon).
        html = re.sub(r"""(["'])(?:\.\./)*static/""", lambda m, prefix=prefix: f"{m.group(1)}{prefix}/", html)
        # Subresource-integrity and CORS attributes are for CDNs: over file:// they make the
        # browser refuse the local copy.
        html = re.sub(r"<(?:script|link)\b[^>]*/vendor/[^>]*>", _without_cors, html)
        page.write_text(html, encoding="utf-8")


def _without_cors(tag: re.Match) -> str:
    return re.sub(r"""\s+(?:integrity|crossorigin)(?:=(?:"[^"]*"|'[^']*'|[^\s>]+))?""", "", tag.group(0))


def remote_loads(html: str) -> list[str]:
    """Web addresses a page would load by itself (scripts, styles, images): links a reader may
    click are not loads."""
    loads = []
    for tag in re.finditer(r"<(script|link|img|iframe|source)\b[^>]*>", html, re.I):
        if tag.group(1).lower() == "link" and not re.search(r"rel=[\"']?(stylesheet|icon|preload)", tag.group(0), re.I):
            continue
        loads += [m.group(1) or m.group(2) for m in _REMOTE_LOAD.finditer(tag.group(0))]
    return loads


def script(name: str) -> str:
    """A vendored script's text, for pages that must be a single self-contained file."""
    return (VENDOR / name).read_text(encoding="utf-8").replace("</script", "<\\/script")
