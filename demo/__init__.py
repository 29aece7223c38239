"""Synthetic party-building sites served on 127.0.0.1 for `make demo` and the crawler/flow tests.

`demo.farm` generates the sites and their ground truth, `demo.server.FarmServer` serves them.
"""
