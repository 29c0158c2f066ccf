"""Neural metrics (extra ``neural``): BERTScore and COMET on local models only.

Importing this package is cheap: torch and transformers are imported when a scorer
first loads its model. Models come from a folder or the local Hugging Face cache
(see :mod:`evalkit.models`); nothing is ever downloaded.
"""
