"""Writing files without losing any: `OutputFolder` (the folder of ``chainrule solve --out DIR``) and
`write_file` (one file, such as ``--draw FILE``), both all-or-nothing.

An `OutputFolder` writes every file into a temporary folder inside DIR (so on the same filesystem)
and only when all of them are complete moves them into DIR one by one with ``os.replace``; an
error or Ctrl-C before that leaves DIR as it was. It keeps a manifest (``.chainrule-manifest.json``)
of the files it wrote and their SHA-256, and treats every other file as the user's:

- a DIR holding files chainrule did not write is refused, unless ``force`` is given;
- even with ``force``, a file that is not chainrule's own (not in the manifest, or changed since)
  is never overwritten or deleted: a name clash with one is an error;
- chainrule's own files from an earlier run that this run does not write again are removed, so the
  folder never mixes two runs.

A lock file (``.chainrule-lock``, holding the process id) makes a second run into the same DIR wait
for the first (up to ``wait`` seconds) and then fail with a clear message, never mix its files in.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
from pathlib import Path

MANIFEST = ".chainrule-manifest.json"
LOCK = ".chainrule-lock"
TEMP_PREFIX = ".chainrule-tmp-"
LOCK_WAIT = 10.0  # seconds a run waits for another run writing into the same folder


class OutputError(Exception):
    """An output cannot be written safely; the message names the path and what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _is_ours(name: str) -> bool:
    return name in (MANIFEST, LOCK) or name.startswith(TEMP_PREFIX)


@contextlib.contextmanager
def _no_interrupt():
    """Hold back Ctrl-C (delivered right after) while files are moved, so a folder is never half moved."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _check_target(path: Path, what: str) -> None:
    """An existing ``path`` must be a regular file: never replace a folder, a device or a pipe."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode) and not stat.S_ISLNK(mode):
        raise OutputError(f"{what} {path}: exists and is not a regular file (a folder, device or pipe); "
                          f"give the name of a file to write")


def write_file(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once: into a temporary file beside it, then ``os.replace``.

    A failure (a full disk, Ctrl-C) leaves any earlier file at ``path`` as it was.

    Raises:
        OutputError: ``path`` is a folder, a device or a pipe.
        OSError: the folder is missing or not writable, or the disk is full.
    """
    path = Path(path)
    _check_target(path, "the output file")
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return path


class OutputFolder:
    """A folder that receives a set of files all at once. Use it as a context manager::

        with OutputFolder("handout") as out:
            out.write("solution.md", text.encode())
            drawing.render_to(out.path("graph.svg"))   # anything that writes a file by name
        # here, and only here, the files appear in handout/

    Args:
        folder: the folder (created when missing).
        force: write into a folder that holds files chainrule did not write (never touching them).
        wait: seconds to wait for another run that is writing into the same folder.

    Raises:
        OutputError: the folder is a file, holds files chainrule did not write (without ``force``),
            a file to write would replace one that is not chainrule's, or another run holds the lock.
        OSError: the folder cannot be created or written (permissions, a full disk).
    """

    def __init__(self, folder, force: bool = False, wait: float = LOCK_WAIT) -> None:
        self.folder = Path(folder)
        self.force = force
        self.wait = wait
        self.names: list[str] = []
        self._temp: Path | None = None
        self._locked = False

    # -- set-up ---------------------------------------------------------------------------------

    def __enter__(self) -> "OutputFolder":
        if self.folder.exists() and not self.folder.is_dir():
            raise OutputError(f"--out {self.folder}: this is a file, not a folder; give the name of a folder "
                              f"(it is created when missing)")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            self._own = self._read_manifest()
            foreign = [p.name for p in sorted(self.folder.iterdir()) if not _is_ours(p.name) and not self._is_own(p)]
            if foreign and not self.force:
                shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
                raise OutputError(f"--out {self.folder}: the folder holds files chainrule did not write ({shown}); "
                                  f"choose a new or empty folder, or add --force to write beside them "
                                  f"(chainrule never overwrites or deletes a file it did not write)")
            self._temp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=self.folder))
        except BaseException:
            self._unlock()
            raise
        return self

    def _lock(self) -> None:
        lock = self.folder / LOCK
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._lock_holder(lock)
                if holder is None:  # left behind by a run that no longer exists
                    with contextlib.suppress(FileNotFoundError):
                        lock.unlink()
                    continue
                if time.monotonic() >= deadline:
                    raise OutputError(
                        f"--out {self.folder}: another chainrule run (process {holder}) is writing into this folder; "
                        f"wait for it to finish, or write into another folder. If no such run exists, delete "
                        f"{lock}") from None
                time.sleep(0.05)
                continue
            with os.fdopen(fd, "w") as f:
                f.write(str(os.getpid()))
            self._locked = True
            return

    @staticmethod
    def _lock_holder(lock: Path) -> int | None:
        try:
            pid = int(lock.read_text().strip() or "0")
        except (OSError, ValueError):
            return -1  # being written right now, or unreadable: treat as held
        if pid <= 0:
            return -1
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # alive, someone else's
        return pid

    def _unlock(self) -> None:
        if self._locked:
            with contextlib.suppress(FileNotFoundError):
                (self.folder / LOCK).unlink()
            self._locked = False

    def _read_manifest(self) -> dict[str, str]:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
            files = data["files"]
            return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
        except (OSError, ValueError, KeyError, TypeError):
            return {}  # no manifest (or a damaged one): nothing here counts as chainrule's

    def _is_own(self, path: Path) -> bool:
        """A file chainrule wrote and nobody changed since (its SHA-256 is the one recorded)."""
        recorded = self._own.get(path.name)
        try:
            return recorded is not None and path.is_file() and not path.is_symlink() and _sha256(path) == recorded
        except OSError:
            return False

    # -- writing --------------------------------------------------------------------------------

    def path(self, name: str) -> Path:
        """Where to write the file ``name`` for now (inside the temporary folder). Each name once."""
        if self._temp is None:
            raise RuntimeError("OutputFolder.path is used inside `with OutputFolder(...) as out:`")
        if not name or "/" in name or "\\" in name or name in (".", "..") or _is_ours(name):
            raise ValueError(f"not a plain file name: {name!r}")
        if any(name.casefold() == n.casefold() for n in self.names):
            raise ValueError(f"{name!r} is written twice (names must differ, also in case)")
        self.names.append(name)
        return self._temp / name

    def write(self, name: str, data: bytes) -> None:
        """Write the file ``name`` (bytes) into the set."""
        with open(self.path(name), "wb") as f:
            f.write(data)

    # -- the move -------------------------------------------------------------------------------

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self._commit()
        finally:
            if self._temp is not None:
                shutil.rmtree(self._temp, ignore_errors=True)
            self._unlock()

    def _commit(self) -> None:
        made = [n for n in self.names if (self._temp / n).is_file()]
        missing = [n for n in self.names if n not in made]
        if missing:
            raise OutputError(f"--out {self.folder}: {', '.join(missing)} was not written; nothing was moved "
                              f"into the folder")
        for name in made:  # every check before the first move
            target = self.folder / name
            if target.exists() or target.is_symlink():
                if not self._is_own(target):
                    raise OutputError(f"--out {self.folder}: {name} exists and chainrule did not write it (or it "
                                      f"was changed since); chainrule never overwrites such a file: move it away "
                                      f"or choose another folder")
        stale = [n for n in self._own if n not in made and self._is_own(self.folder / n)]
        for name in made:
            with open(self._temp / name, "rb") as f:
                os.fsync(f.fileno())
        hashes = {name: _sha256(self._temp / name) for name in made}
        manifest = json.dumps({"written_by": "chainrule", "files": hashes}, indent=1, sort_keys=True)
        with _no_interrupt():
            for name in made:
                os.replace(self._temp / name, self.folder / name)
            for name in stale:
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / name).unlink()
            write_file(self.folder / MANIFEST, manifest.encode("utf-8"))


def describe_os_error(e: OSError, what: str = "") -> str:
    """One line for an OSError met while reading or writing a user's path, with what to do."""
    path = e.filename if e.filename is not None else what
    fixes = {errno.ENOSPC: "the disk is full: free some space or write somewhere else",
             errno.EDQUOT: "the disk quota is used up: free some space or write somewhere else",
             errno.EACCES: "permission denied: choose a place you can write to (or read from)",
             errno.EPERM: "not permitted: choose a place you can write to",
             errno.EROFS: "the filesystem is read-only: write somewhere else",
             errno.ENOENT: "no such file or folder: check the path (a missing folder is not created for a single file)",
             errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
             errno.EISDIR: "this is a folder: give a file name",
             errno.ENAMETOOLONG: "the name is too long: choose a shorter one"}
    fix = fixes.get(e.errno, e.strerror or str(e))
    return f"{path}: {fix}" if path else fix
