"""Fingerprints of what generated files are made from, for the caches of a build.

A build whose inputs did not change reuses what the last one made (`diagram_jobs` the
diagrams' cache keys, `page_cache` the pages' HTML). `site_digest` (okrdocs' code, the
OKRs and every generated page's URL) keys the diagrams of a front end that does not key
each page (`okrdocs generate`); `fingerprint` hashes settings and other digests.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from typing import Any

from ..core.caches.identity import code_identity
from ..core.domain.cascade import Cascade
from .layout import OkrPage


def site_digest(cascade: Cascade, urls: dict[OkrPage, str]) -> str:
    """okrdocs' code, the content of the OKR folder and every generated page's URL."""
    digest = hashlib.sha256(code_identity().encode())
    digest.update(json.dumps([[page.kind, page.key, url] for page, url in urls.items()]).encode())
    repository = cascade.repository
    # A repository made in code, not read from files, has no digest of its files.
    digest.update(repository.digest.encode() or pickle.dumps(repository, protocol=pickle.HIGHEST_PROTOCOL))
    return digest.hexdigest()


def fingerprint(*parts: Any) -> str:
    """A hash of JSON-able parts (settings, other digests); dict keys in any order."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
