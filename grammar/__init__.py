"""Lark grammars of budgetlint (package data)."""
