"""Pure processing steps: plain functions on plain records (see records.py). No Scrapy, Prefect or CLI here."""
