"""Publishing the aligned dataset as a Hugging Face Hub dataset repository.

* :mod:`evalkit.publish.tables`: the rows of each config and split (plain Python);
* :mod:`evalkit.publish.features`: the ``datasets.Features`` of each config;
* :mod:`evalkit.publish.parquet`: deterministic parquet written by ``datasets``;
* :mod:`evalkit.publish.counts`: counts per week, config and language pair;
* :mod:`evalkit.publish.metadata`, :mod:`evalkit.publish.docs` and
  :mod:`evalkit.publish.card`: the dataset card (YAML, fixed prose, assembly);
* :mod:`evalkit.publish.layout`: the repository folder (build in memory, then write);
* :mod:`evalkit.publish.upload`: the ``huggingface_hub`` upload, token kept secret.

>>> from evalkit import dataset
>>> from evalkit.publish import layout
>>> built = layout.build(dataset.load(), repo_id="ORG/NAME")
>>> layout.write(built, "data/hub/ORG__NAME")                     # doctest: +SKIP

Submodules import datasets, pyarrow, yaml and huggingface_hub only inside the functions
that use them, so importing this package is cheap.
"""
