"""The preview page: the picture in a sandboxed frame, the problems of the last save over it,
and the one script of the preview (allowed by its nonce alone), which listens for server-sent
events and swaps in each new picture once it has loaded. Rendered maps stay script-free."""

from __future__ import annotations

import html

SCRIPT = """\
"use strict";
const frames = [document.getElementById("picture-a"), document.getElementById("picture-b")];
const panel = document.getElementById("problems");
const problemText = document.getElementById("problem-text");
const status = document.getElementById("status");
const empty = document.getElementById("empty");
let shown = 0;
let version = 0;

function swapIn(next, wanted) {
  if (String(wanted) !== next.dataset.version || wanted !== version) return;  // a newer one is loading
  next.hidden = false;
  if (frames[shown] !== next) frames[shown].hidden = true;
  shown = frames.indexOf(next);
  empty.hidden = true;
  document.body.dataset.version = String(wanted);
}

function show(state) {
  if (state.version && state.version !== version) {
    version = state.version;
    const next = frames[1 - shown];
    const wanted = version;
    next.dataset.version = String(wanted);
    next.addEventListener("load", () => swapIn(next, wanted), {once: true});
    next.src = "/picture?v=" + wanted;
  }
  problemText.textContent = state.problems || "";
  panel.hidden = !state.problems;
  panel.classList.toggle("failed", state.failed);
  document.body.dataset.failed = state.failed ? "yes" : "no";
  status.textContent = state.failed
    ? state.summary + (version ? " \\u2014 showing the last good picture" : "")
    : (state.summary === "no problems" ? "up to date" : state.summary);
}

const events = new EventSource("/events");
events.addEventListener("state", (event) => show(JSON.parse(event.data)));
events.addEventListener("error", () => {
  status.textContent = "disconnected: is journey watch still running?";
});
"""

STYLE = """\
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; display: flex; flex-direction: column; height: 100vh; }
header { display: flex; gap: 1rem; align-items: baseline; padding: .4rem .8rem; border-bottom: 1px solid #8884; }
header h1 { font-size: 1rem; margin: 0; }
#status { color: #666; font-size: .9rem; }
main { position: relative; flex: 1; min-height: 0; }
iframe { border: 0; width: 100%; height: 100%; background: #fff; }
#empty { padding: 2rem; color: #666; }
#problems { position: absolute; left: 1rem; right: 1rem; bottom: 1rem; max-height: 60%; overflow: auto;
  background: #fff8e1; color: #222; border: 1px solid #e0b000; border-radius: 6px; padding: .6rem .8rem;
  box-shadow: 0 4px 16px #0003; }
#problems.failed { background: #fdecea; border-color: #d93025; }
#problems h2 { font-size: .95rem; margin: 0 0 .4rem; }
#problem-text { margin: 0; font: .85rem/1.35 ui-monospace, monospace; white-space: pre-wrap; }
"""


def page(title: str, nonce: str) -> bytes:
    shown = html.escape(title)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{shown} - journey watch</title>
<link rel="icon" href="data:,">
<style nonce="{nonce}">
{STYLE}</style>
</head>
<body data-version="0" data-failed="no">
<header><h1>{shown}</h1><span id="status" role="status">reading the map</span></header>
<main>
<p id="empty">No picture yet: the map has not compiled since the preview started.</p>
<iframe id="picture-a" title="{shown}" sandbox hidden></iframe>
<iframe id="picture-b" title="{shown}" sandbox hidden></iframe>
<section id="problems" hidden aria-live="polite"><h2>Problems</h2><pre id="problem-text"></pre></section>
</main>
<script nonce="{nonce}">
{SCRIPT}</script>
</body>
</html>
""".encode("utf-8")


def page_policy(nonce: str) -> str:
    """The page's Content-Security-Policy: its own script and style only, pictures from itself."""
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
            "frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


# The picture itself, opened in the frame (or on its own): no script whatever it holds, and
# nothing loaded from anywhere; the styles and fonts inside rendered maps still apply.
PICTURE_POLICY = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
                  "frame-ancestors 'self'")
