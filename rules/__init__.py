"""The built-in rule pack. Importing it registers every rule (entry point `budgetlint.rules`)."""
from . import document_rules, justification, narrative, table_arithmetic  # noqa: F401
