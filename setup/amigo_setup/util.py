"""Small helpers shared by the commands."""

import hashlib
import os
import shutil
import socket
import subprocess
import sys


class SetupError(Exception):
    """A failure the user can act on; printed without a traceback."""


def say(message):
    print(f"[amigo] {message}", flush=True)


def warn(message):
    print(f"[amigo] WARNING: {message}", file=sys.stderr, flush=True)


def run(cmd, check=True, **kwargs):
    """Run a command, echoing it; raise SetupError on failure."""
    result = subprocess.run([str(c) for c in cmd], check=False, **kwargs)  # noqa: S603
    if check and result.returncode:
        raise SetupError(f"command failed ({result.returncode}): {' '.join(map(str, cmd))}")
    return result


def is_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


def have_apt():
    return shutil.which("apt-get") is not None


_apt_updated = False


def apt_install(*packages):
    """Install Debian packages (root only). Returns True on success."""
    global _apt_updated  # noqa: PLW0603
    if not (is_root() and have_apt()):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if not _apt_updated:
        say("apt-get update")
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)  # noqa: S607
        _apt_updated = True
    say(f"apt-get install {' '.join(packages)}")
    result = subprocess.run(  # noqa: S603
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],  # noqa: S607
        env=env,
        check=False,
    )
    return result.returncode == 0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hash_paths(paths, extra=()):
    """A stable hash of the content of files under the given paths."""
    digest = hashlib.sha256()
    for item in extra:
        digest.update(str(item).encode())
        digest.update(b"\0")
    for base in sorted(str(p) for p in paths):
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(
                d for d in dirnames if d not in ("__pycache__", ".git", "node_modules")
            )
            for name in sorted(filenames):
                if name.endswith((".pyc", ".pyo")):
                    continue
                full = os.path.join(dirpath, name)
                digest.update(os.path.relpath(full, base).encode())
                digest.update(b"\0")
                with open(full, "rb") as handle:
                    digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()
