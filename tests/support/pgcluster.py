"""A private PostgreSQL primary and a streaming replica of it, for the replica tests.

Both are real servers of the machine's PostgreSQL, on loopback ports of their
own, in a temporary directory: ``initdb`` makes the primary, ``pg_basebackup``
copies it into a standby that streams the primary's log. Nothing of the
machine's own server is touched. As root (CI), the servers run as the
``postgres`` user, since PostgreSQL refuses to run as root.
"""

import glob
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin directory, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(*argv: str | Path) -> None:
    command = [str(part) for part in argv]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode:
        raise AssertionError(f"{' '.join(command)}: {done.returncode}\n{done.stderr}")


@dataclass
class Cluster:
    bin: Path
    data: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        _run(
            self.bin / "pg_ctl", "-D", self.data, "-w", "-t", "60", "-l", self.data / "log", "start"
        )

    def stop(self) -> None:
        _run(self.bin / "pg_ctl", "-D", self.data, "-w", "-m", "fast", "stop")

    def query(self, sql: str, database: str = "postgres") -> list[tuple]:
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []


def _owned_directory(path: Path) -> Path:
    path.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    return path


def primary_and_replica(directory: Path) -> tuple[Cluster, Cluster]:
    """Start a new primary and a hot standby streaming from it; the caller stops both."""
    bin_dir = binaries()
    if bin_dir is None:
        raise AssertionError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    primary = Cluster(bin_dir, _owned_directory(directory / "primary"), _free_port())
    # -A trust: initdb's pg_hba.conf then lets loopback connect, replication included.
    _run(bin_dir / "initdb", "-D", primary.data, "-U", "postgres", "-A", "trust", "--no-sync")
    with open(primary.data / "postgresql.conf", "a") as conf:
        conf.write(
            f"port = {primary.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{primary.data}'\n"
            "wal_level = replica\nmax_wal_senders = 4\nfsync = off\n"
        )
    primary.start()
    replica = Cluster(bin_dir, directory / "replica", _free_port())
    # -R writes standby.signal and the connection to the primary: a streaming standby.
    _run(
        bin_dir / "pg_basebackup",
        "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
        "-D", replica.data, "-R", "-X", "stream",
    )  # fmt: skip
    with open(replica.data / "postgresql.conf", "a") as conf:
        conf.write(f"port = {replica.port}\nunix_socket_directories = '{replica.data}'\n")
    replica.start()
    deadline = time.monotonic() + 60
    while not replica.query("SELECT pg_is_in_recovery()")[0][0]:
        if time.monotonic() > deadline:
            raise AssertionError("the replica did not start as a standby")
        time.sleep(0.2)
    return primary, replica
