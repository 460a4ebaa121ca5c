"""okrdocs: OKRs as docs-as-code, published and checked by a MkDocs plugin."""

from .core.rules.check import CheckResult, check_folder

__all__ = ["CheckResult", "check_folder"]
__version__ = "0.1.0"
