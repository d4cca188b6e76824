"""`ukrmap dashboard`: run the Streamlit app, local and quiet, from any folder.

Streamlit reads `.streamlit/config.toml` from the working folder and from the script's folder,
neither of which exists for an installed package, so the settings that matter are passed as
flags: listen on 127.0.0.1 only, headless (no browser launched, and no first-run "Email:"
prompt, which would hold the server until someone presses Enter), no usage statistics.
Streamlit runs in this process, so Ctrl+C or a signal to this process stops the server.
"""
from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from geo.errors import ServerError

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"  # a checkout's, or site-packages'
FLAGS = (
    "--server.address", "127.0.0.1",
    "--server.headless", "true",
    "--server.showEmailPrompt", "false",
    "--browser.gatherUsageStats", "false",
    "--client.toolbarMode", "minimal",
)


def streamlit_args(extra: list[str]) -> list[str]:
    """`streamlit run` arguments; `extra` (e.g. --server.port 8502) comes last, so it wins."""
    return ["run", *FLAGS, str(DASHBOARD), *extra]


def prepare() -> None:
    """What the first start needs before the server answers: the data folder and the gazetteer
    (built here, with a word, rather than silently behind the first page load)."""
    from geo import gazetteer, paths

    for created in paths.seed():
        print(f"ukrmap: first run, copied the samples to {created}")
    if not gazetteer.is_cached():
        print(f"ukrmap: building the gazetteer index, about 10 s (once; cached in {paths.cache_dir()})",
              flush=True)
    gazetteer.Gazetteer.default()
    print(f"ukrmap: data in {paths.data_dir()}; stop the server with Ctrl+C", flush=True)


def run(extra: list[str]) -> int:
    from streamlit.web import cli as streamlit_cli

    prepare()
    try:
        streamlit_cli.main(args=streamlit_args(extra), prog_name="streamlit")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0


def free_port() -> int:
    """A free TCP port on 127.0.0.1, for a dashboard server started by a test, script or benchmark."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    """Return once Streamlit's health check at `url` answers; ServerError if `proc` exits first
    or nothing answers within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"the dashboard server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise ServerError(f"the dashboard server did not answer within {seconds:.0f} s")
