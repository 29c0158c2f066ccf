"""``evalkit dataset``: look at a dataset as it would be published.

* ``evalkit dataset stats [--dataset DIR] [--format text|json]``: counts per week, config
  and language pair (text: Markdown tables; json: an object with ``schema_version``);
* ``evalkit dataset card [--dataset DIR] [--repo-id ORG/NAME] [--license ID]``: the
  dataset card ``evalkit publish`` would write, on stdout.
"""

from __future__ import annotations

import argparse

PLACEHOLDER_REPO_ID = "ORG/NAME"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="dataset_command", metavar="ACTION", required=True)
    stats = sub.add_parser("stats", help="counts per week, config and language pair")
    card = sub.add_parser("card", help="print the dataset card that publish would write")
    for p in (stats, card):
        p.add_argument(
            "--dataset",
            metavar="DIR",
            default=None,
            help="papers.jsonl, a folder holding it, or digests"
            " (default: the bundled sample digests)",
        )
    stats.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text (Markdown tables, default) or json",
    )
    card.add_argument(
        "--repo-id",
        metavar="ORG/NAME",
        default=PLACEHOLDER_REPO_ID,
        help=f"repository named in the card (default: {PLACEHOLDER_REPO_ID})",
    )
    card.add_argument(
        "--license",
        metavar="ID",
        default="unknown",
        help="license identifier for the card (default: unknown)",
    )


def run(args: argparse.Namespace) -> int:
    from evalkit import dataset

    if args.dataset_command == "card":
        from evalkit.publish import layout

        layout.validate_repo_id(args.repo_id)
        layout.validate_license(args.license)
        built = layout.build(
            dataset.load(args.dataset), repo_id=args.repo_id, license_id=args.license
        )
        print(built.card, end="")
        return 0

    from evalkit.io import dumps
    from evalkit.publish import counts as dataset_counts

    counts = dataset_counts.compute(dataset.load(args.dataset))
    if args.format == "json":
        print(dumps(counts, indent=2))
    else:
        print(dataset_counts.markdown_table(counts))
        print("Rows per config and split:\n")
        print(dataset_counts.config_table(counts), end="")
    return 0
