"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, a Unix socket only,
stopped and deleted afterwards. Run as the `postgres` user when we are root (CI runs as root, and
PostgreSQL refuses to run as root)."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SERVER_FLAGS = "-c listen_addresses='' -c fsync=off -c full_page_writes=off -c synchronous_commit=off"


def find_bindir() -> Path | None:
    """The PostgreSQL server binaries: UKRMAP_PG_BIN, Debian's /usr/lib/postgresql/*/bin, or PATH."""
    candidates = [os.environ.get("UKRMAP_PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    on_path = shutil.which("pg_ctl")
    candidates.append(str(Path(on_path).parent) if on_path else "")
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


class Server:
    """One PostgreSQL cluster in a temporary folder, reachable at `url(db)` over a Unix socket."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="ukrmap-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        # As root, the child drops to `postgres` itself: no runuser or su needed, whatever PATH holds.
        user = {"user": "postgres", "group": "postgres", "extra_groups": []} if self.as_postgres else {}
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root, **user)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip()}\n{log}")

    def start(self) -> "Server":
        self._run("initdb", "-D", str(self.data), "-E", "UTF8", "--no-locale", "-A", "trust", "-U", "postgres", "--no-sync")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", f"{SERVER_FLAGS} -c unix_socket_directories={self.root}", "start")
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, db: str, user: str = "postgres") -> str:
        return f"postgresql://{user}@/{db}?host={self.root}"

    def execute(self, *statements: str, db: str = "postgres"):
        """Run statements outside a transaction (CREATE DATABASE needs that); the last one's rows."""
        import psycopg

        with psycopg.connect(self.url(db), autocommit=True) as conn:
            rows = None
            for sql in statements:
                cur = conn.execute(sql)
                rows = cur.fetchall() if cur.description else None
            return rows
