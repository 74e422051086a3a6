"""budgetlint: a compliance and anomaly linter for Chinese government budget disclosures."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Finding", "lint_path", "lint_text", "__version__"]


def __getattr__(name):
    # Lazy: `import budgetlint` stays cheap for the CLI and for tools that only need the API.
    if name in {"lint_text", "lint_path"}:
        from . import engine

        return getattr(engine, name)
    if name == "Finding":
        from .findings import Finding

        return Finding
    raise AttributeError(name)
