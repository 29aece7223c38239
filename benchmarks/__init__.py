"""`make bench`: throughput figures for extraction, load + dedup and crawl, and a profile of extraction.

Timing lives here and only here: unit tests never assert on speed. Every benchmark prints its tables and
appends them, dated and with the machine's core count, to docs/benchmarks.md.
"""
