"""evalkit: translation and summarization evaluation for EN/KO/JA ML-paper digests.

Importing this package is cheap on purpose: heavy dependencies (numpy, datasets,
MeCab, torch) are imported by the modules that use them, never here.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
