"""Remediation of a body's shortcomings (khắc phục khuyết điểm, REM-1 … REM-3)."""
