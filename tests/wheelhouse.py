"""An intranet's package share, made offline: okrdocs' wheel built from this checkout, and
wheels of its dependencies packed again from what the test venv has installed.

The README's "Hosting okrdocs on an intranet" builds the share with `pip wheel`, which
downloads the dependencies; the tests cannot reach an index, so the dependencies' wheels are
rebuilt from the installed files their RECORD lists (the same files, tags and metadata).
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sitebuild import REPO


def build_okrdocs_wheel(wheelhouse: Path) -> Path:
    """`pip wheel` of this checkout, without an index: hatchling comes from the test venv."""
    wheelhouse.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-index", "--no-build-isolation", "-q"]
        + ["--wheel-dir", str(wheelhouse), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheelhouse.glob("okrdocs-*.whl")
    return wheel


def wheel_requires(wheel: Path) -> list[str]:
    """The Requires-Dist lines of a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        text = archive.read(name).decode()
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")]


def dependencies(requirement: str, requires: list[str] | None = None) -> list[metadata.Distribution]:
    """The installed distributions `pip install REQUIREMENT` needs, the package itself left
    out; `requires`: the package's own Requires-Dist (default: its installed metadata, which
    an editable install wrote when it was made)."""
    wanted = [Requirement(requirement)]
    seen: dict[str, metadata.Distribution] = {}
    first = True
    while wanted:
        requirement_ = wanted.pop()
        for extra in sorted(requirement_.extras) or [""]:
            distribution = metadata.distribution(requirement_.name)
            lines = requires if first and requires is not None else distribution.requires
            for line in lines or []:
                dependency = Requirement(line)
                if dependency.marker and not dependency.marker.evaluate({"extra": extra}):
                    continue
                name = str(canonicalize_name(dependency.name))
                if name not in seen:
                    seen[name] = metadata.distribution(dependency.name)
                    wanted.append(dependency)
        first = False
    return list(seen.values())


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def pack_installed(distribution: metadata.Distribution, wheelhouse: Path) -> Path:
    """The wheel `distribution` was installed from, as far as pip needs it: its files (not the
    console scripts pip writes from entry_points.txt, nor bytecode), its tags, a new RECORD."""
    files = distribution.files or []
    info = next(f for f in files if f.name == "WHEEL" and f.parent.name.endswith(".dist-info"))
    tags = [line.split(":", 1)[1].strip() for line in info.read_text().splitlines() if line.startswith("Tag:")]
    parts = [sorted({tag.split("-")[i] for tag in tags}) for i in range(3)]
    name = distribution.metadata["Name"].replace("-", "_").replace(".", "_")
    wheel = wheelhouse / f"{name}-{distribution.version}-{'-'.join('.'.join(p) for p in parts)}.whl"
    record_name = f"{info.parent}/RECORD"
    lines = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            path = str(file)
            if path.startswith("..") or "__pycache__" in path or path == record_name or path.endswith(".pyc"):
                continue
            data = Path(distribution.locate_file(file)).read_bytes()
            archive.writestr(path, data)
            lines.append(_record_line(path, data))
        lines.append(f"{record_name},,")
        archive.writestr(record_name, "\n".join(lines) + "\n")
    return wheel


def make_wheelhouse(folder: Path, requirement: str = "okrdocs[material]") -> Path:
    """A folder pip can install `requirement` from with `--no-index --find-links`."""
    wheel = build_okrdocs_wheel(folder)
    for distribution in dependencies(requirement, wheel_requires(wheel)):
        pack_installed(distribution, folder)
    return folder
