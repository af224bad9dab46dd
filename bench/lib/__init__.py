"""Shared code of the benchmarks under bench/ (run them from the repository root)."""
