"""The built-in rule pack. Importing it registers every rule (entry point `budgetlint.rules`)."""
from . import (  # noqa: F401
    compliance, document_rules, hygiene, justification, narrative, performance_targets, table_arithmetic)
