"""Lindung: social security coverage for vulnerable village workers."""

__version__ = "0.1.0"
