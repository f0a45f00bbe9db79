"""Static images of Plotly figures: Plotly's own export (kaleido 1.x), which drives a local Chromium.

Kaleido finds Debian's /usr/bin/chromium by itself; `BROWSER_PATH` names another Chrome. Starting Chromium
takes a few seconds, so a batch of figures shares one (kaleido's sync server), opened by `renderer()` for the
length of the batch. The server is one per process and answers one caller at a time, so a lock keeps two
downloads in the app (each on its own thread) from reading each other's images.
"""

from __future__ import annotations

import os
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

import plotly.graph_objects as go

from charts.board import EXPORT_HEIGHT, EXPORT_WIDTH

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
_LOCK = threading.RLock()


def _browser_path() -> None:
    if not os.environ.get("BROWSER_PATH") and DEBIAN_CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(DEBIAN_CHROMIUM)


@contextmanager
def renderer(timeout: float = 90.0):
    """Hold one Chromium open for a batch of images (and the lock, so the batch is ours alone)."""
    import kaleido

    _browser_path()
    with _LOCK:
        started = False
        try:
            kaleido.start_sync_server(n=1, timeout=timeout, silence_warnings=True)
            started = True
        except Exception:  # noqa: BLE001 - without the server each image starts its own browser: slower, same result
            pass
        try:
            yield
        finally:
            if started:
                kaleido.stop_sync_server(silence_warnings=True)


def png_bytes(figure: go.Figure, width: int = EXPORT_WIDTH, height: int = EXPORT_HEIGHT) -> bytes:
    """The figure as a PNG, drawn at the slide's 2:1 proportions whatever height it has on screen."""
    _browser_path()
    export = go.Figure(figure)
    export.update_layout(width=width, height=height)
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server": the server has them
        return export.to_image(format="png", width=width, height=height, scale=2)
