"""axe-core, the accessibility rules engine: every page must pass its WCAG 2.1 A/AA rules in Chromium with no
serious or critical violation. The page walk of tests/test_browser.py runs `serious_violations` on each page of
the demo district after its script run is idle and its charts are drawn.

axe-core is vendored (tests/vendor/axe-core, MPL-2.0) and checked here by its sha256.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"
RUN_AXE_JS = """async () => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                            resultTypes: ['violations']});
    return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').slice(0, 160))}));
}"""


def test_vendored_axe_core_is_the_pinned_release():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE_JS)
