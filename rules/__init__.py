"""The built-in rule pack. Importing it registers every rule (entry point `budgetlint.rules`)."""
from . import table_arithmetic  # noqa: F401
