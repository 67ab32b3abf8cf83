"""ccgkg: English NHS commissioning law (2012-2022) as a knowledge graph.

The public API lives in the submodules (``ccgkg.law``, ``ccgkg.store``, ``ccgkg.reasoning``, ``ccgkg.validation``,
``ccgkg.queries``, ``ccgkg.importers``); this module only carries the version.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ccgkg")
except PackageNotFoundError:  # running from a source checkout that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
