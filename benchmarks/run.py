"""`make bench` (`python -m benchmarks.run`): every benchmark, sized for a 2-core machine, recorded in docs.

Sizes: `--size small` is a quick smoke run, `default` finishes in about ten minutes on two cores, `large`
takes the figures the targets are stated for (the corpus replicated 10x, 100 000 articles through both
databases, a 5 000-page farm). Single values override a size: `--articles`, `--farm-pages`, `--replicas`.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace

from benchmarks.common import RESULTS, Section, machine, publish


@dataclass(frozen=True)
class Sizes:
    replicas: tuple[int, ...]  # corpus copies per extraction throughput table
    dedup_articles: int  # synthetic articles clustered in memory (pure dedup functions)
    load_articles: int  # synthetic articles loaded into each database through Store.load
    checks: int  # single new articles checked against the stored index
    farm_pages: int  # article pages of the crawl farm
    profile_pages: int | None  # corpus pages profiled (None: all)


SIZES = {
    "small": Sizes((1,), 10_000, 2_000, 50, 500, 40),
    "default": Sizes((1,), 100_000, 10_000, 200, 2_000, None),
    "large": Sizes((1, 10), 100_000, 100_000, 500, 5_000, None),
}
BENCHMARKS = ("extraction", "profile", "dedup", "crawl")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", choices=SIZES, default="default")
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run just this one (repeatable)")
    parser.add_argument(
        "--replicas",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        help="corpus copies per extraction table, e.g. 1,10",
    )
    parser.add_argument("--articles", type=int, help="synthetic articles for the load + dedup benchmark")
    parser.add_argument("--farm-pages", type=int, help="article pages of the crawl farm")
    parser.add_argument(
        "--workers", type=int, help="processes for the all-cores extraction step (default: cores)"
    )
    parser.add_argument(
        "--no-record", action="store_true", help=f"print only; do not append to {RESULTS.name}"
    )
    return parser


def sizes_from(args: argparse.Namespace) -> Sizes:
    sizes = SIZES[args.size]
    if args.replicas:
        sizes = replace(sizes, replicas=args.replicas)
    if args.articles:
        sizes = replace(sizes, dedup_articles=args.articles, load_articles=args.articles)
    if args.farm_pages:
        sizes = replace(sizes, farm_pages=args.farm_pages)
    return sizes


def run_one(name: str, sizes: Sizes, workers: int | None) -> Section:
    # Imported per benchmark: each pulls in its own stack (trafilatura, SQLAlchemy, Scrapy's runner).
    if name == "extraction":
        from benchmarks import extraction

        return extraction.run(sizes.replicas, workers)
    if name == "profile":
        from benchmarks import extraction_profile

        return extraction_profile.run(sizes.profile_pages)
    if name == "dedup":
        from benchmarks import load_dedup

        return load_dedup.run(sizes.dedup_articles, sizes.load_articles, sizes.checks)
    from benchmarks import crawl

    return crawl.run(sizes.farm_pages)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sizes = sizes_from(args)
    machine_line = machine()
    print(f"# benchmarks ({args.size} sizes): {machine_line}", flush=True)
    for name in args.only or BENCHMARKS:
        publish(run_one(name, sizes, args.workers), record=not args.no_record, machine_line=machine_line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
