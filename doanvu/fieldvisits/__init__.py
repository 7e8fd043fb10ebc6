"""Field visits (đi cơ sở, FV-1 … FV-11). See docs/architecture.md."""
