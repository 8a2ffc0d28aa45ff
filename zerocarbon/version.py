"""The code version every evaluation records."""

from importlib.metadata import PackageNotFoundError, version

try:
    CODE_VERSION = f"zerocarbon {version('zerocarbon')}"
except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
    CODE_VERSION = "zerocarbon 0+unknown"
