"""`once`: a property computed on first use and kept on the object."""
from __future__ import annotations


class once:  # noqa: N801 — used as a decorator, like property
    """functools.cached_property without its lock, which Python 3.11 takes on every first use:
    a lint reads hundreds of these, and budgetlint never shares an object between threads."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value
