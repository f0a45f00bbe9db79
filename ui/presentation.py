"""Presentation mode for the Board page: one finding per screen, the app's chrome hidden, a clicker's keys.

A presenter's clicker sends Right/Left, Page Down/Page Up or Space; the page's own buttons carry those keys
as Streamlit shortcuts (`st.button(shortcut=...)`), so a key press is a button press: the same callback, the
same rerun, nothing to keep in step. Escape leaves. The full-screen request is made from the browser
(`FULL_SCREEN_JS`): a browser allows it only right after a click or a key, and leaving full screen (the
browser's own Escape) leaves presentation mode too.

Text from data never becomes markup: `inert_html` escapes it before anything is put around it.
"""

from __future__ import annotations

import re
from html import escape

# School years such as 2023-24 are kept on one line (a headline broke as "2023-" / "24").
_YEAR_RANGE = re.compile(r"\b(\d{4}-\d{2})\b")

# Sizes in viewport units, so one layout serves a 1280x720 projector and a 1920x1080 screen: the headline
# and the evidence line take what they need, the chart takes the rest (flex), nothing scrolls.
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stMain"] [data-testid="stAlert"] { display: none !important; }
[data-testid="stMain"] .block-container, [data-testid="stMainBlockContainer"] {
  padding: 1.5vh 3vw 0 3vw !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { gap: 0 !important; }
.st-key-present_slide { height: 97vh !important; flex: 0 0 97vh !important; display: flex !important; flex-direction: column !important;
  gap: 1vh !important; overflow: hidden; }
.st-key-present_slide > div { flex: 0 0 auto !important; }
.st-key-present_slide > div:has(.st-key-present_chart) { flex: 1 1 0 !important; min-height: 0 !important; }
.st-key-present_chart { height: 100% !important; min-height: 0 !important; }
.st-key-present_chart > div { flex: 1 1 0 !important; min-height: 0 !important; }
.st-key-present_methods { overflow-y: auto; font-size: max(13px, 1.8vh); }
.st-key-present_chart [data-testid="stFullScreenFrame"], .st-key-present_chart [data-testid="stPlotlyChart"] {
  height: 100% !important; }
.st-key-present_slide [data-testid="stMarkdownContainer"], .st-key-present_slide [data-testid="stMarkdown"],
.st-key-present_slide [data-testid="stMarkdownContainer"] > * { margin: 0 !important; }
.st-key-present_slide .board-meta { font-size: max(14px, 2.1vh) !important; color: #5f6b7a; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; margin: 0 !important; line-height: 1.3 !important; }
.st-key-present_slide .board-headline { font-size: min(4.6vh, 2.9vw) !important; line-height: 1.18 !important;
  font-weight: 700; color: #1f2a37; margin: 0 !important; padding: 0 !important; }
.st-key-present_slide .board-evidence { font-size: max(14px, 2.6vh) !important; line-height: 1.3 !important;
  color: #1f2a37; margin: 0 !important; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.st-key-present_controls { flex-wrap: nowrap; align-items: center; }
.st-key-present_controls button { min-height: 0; padding: 0.1rem 0.7rem; }
.st-key-present_controls p { font-size: max(12px, 1.7vh); }
.st-key-present_hidden_keys { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
.board-notes { margin-top: 3vh; font-size: 1.2rem; line-height: 1.5; border-top: 2px solid #b8c2cc; padding-top: 1rem; }
</style>"""

# Ask for full screen when presentation mode opens (allowed within a few seconds of the click that opened
# it), and leave presentation mode when the person leaves full screen. Installed once per browser tab.
FULL_SCREEN_JS = """<script>
(function () {
  const doc = document;
  if (!doc.fullscreenElement && doc.documentElement.requestFullscreen) {
    doc.documentElement.requestFullscreen().catch(() => {});
  }
  if (window.__boardFullScreenWatch) { return; }
  window.__boardFullScreenWatch = true;
  doc.addEventListener('fullscreenchange', () => {
    if (doc.fullscreenElement) { return; }
    const leave = doc.querySelector('.st-key-present_leave button');
    if (leave) { leave.click(); }
  });
})();
</script>"""


def inert_html(text: str) -> str:
    """Data-derived text as HTML that shows it literally, school years kept on one line."""
    return _YEAR_RANGE.sub(r'<span style="white-space:nowrap">\1</span>', escape(str(text)))
