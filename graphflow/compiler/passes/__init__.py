"""Compiler passes: small functions `Program -> None` that rewrite it and return a report line."""
