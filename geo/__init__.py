"""Geo: news articles about the war in Ukraine in, a dated, sourced, verifiable event table out."""

__version__ = "0.1.0"
