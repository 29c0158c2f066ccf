"""``evalkit publish``: build the Hub repository folder and upload it in one commit."""

from __future__ import annotations

import argparse
import sys

DEFAULT_TOKEN_ENV = "HF_TOKEN"
DEFAULT_LICENSE = "unknown"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repo-id",
        required=True,
        metavar="ORG/NAME",
        help="the Hub dataset repository, e.g. my-org/ml-paper-digests",
    )
    parser.add_argument(
        "--dataset",
        metavar="DIR",
        default=None,
        help="papers.jsonl, a folder holding it, or digests (default: the bundled sample digests)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="where to build the repository folder (default: data/hub/ORG__NAME);"
        " an earlier build there is replaced",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="build the folder only, upload nothing"
    )
    parser.add_argument(
        "--private",
        action="store_true",
        help="create the repository private (an existing one keeps its visibility)",
    )
    parser.add_argument(
        "--token-env",
        metavar="NAME",
        default=DEFAULT_TOKEN_ENV,
        help=f"environment variable holding the Hub token (default: {DEFAULT_TOKEN_ENV})",
    )
    parser.add_argument(
        "--license",
        default=DEFAULT_LICENSE,
        metavar="ID",
        help=f"license identifier for the card, e.g. cc-by-4.0 (default: {DEFAULT_LICENSE})",
    )


def run(args: argparse.Namespace) -> int:
    from evalkit import __version__, dataset
    from evalkit.publish import layout, upload

    layout.validate_repo_id(args.repo_id)
    layout.validate_license(args.license)
    upload.validate_env_name(args.token_env)
    out = args.out if args.out is not None else layout.default_out(args.repo_id)
    papers = dataset.load(args.dataset)
    built = layout.build(papers, repo_id=args.repo_id, license_id=args.license)
    files = layout.write(built, out)
    fingerprint = dataset.fingerprint(papers)
    configs = ", ".join(t.name for t in built.tables)
    print(f"built {out}: {len(files)} files, configs {configs}, fingerprint {fingerprint}")
    if args.dry_run:
        print("dry run: nothing uploaded")
        return 0
    try:
        token = upload.read_token(args.token_env)
        result = upload.upload(
            out,
            repo_id=args.repo_id,
            token=token,
            private=args.private,
            commit_message=f"Publish dataset {fingerprint} (evalkit {__version__})",
        )
    except upload.UploadError as exc:
        raise upload.UploadError(
            f"{exc.message}; the folder {out} is ready, run again to retry"
        ) from None
    print(f"uploaded to {result.repo_url} ({result.commit_url or result.commit_oid})")
    sys.stdout.flush()
    return 0
