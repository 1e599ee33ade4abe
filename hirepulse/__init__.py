"""hirepulse: candidate-experience listening next to brand perception.

The shared core: configuration (:mod:`hirepulse.config`), the DuckDB schema
(:mod:`hirepulse.db`), privacy helpers (:mod:`hirepulse.privacy`) and the
command line (:mod:`hirepulse.cli`).
"""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/hirepulse/hirepulse"
