"""agreements: a source-verified register of bilateral agreements."""

__version__ = "0.1.0"
