"""Site health for people: the rows `dangjian health` prints, and `dangjian report`'s one static HTML page.

Both read the runs the store recorded (`Store.run_history`) and judge nothing themselves: the status and the
reason of each run are pipelines/health.py's, stored with the run. The page needs no server and no script:
per site a sparkline of new articles per run (inline SVG), its health and reason, its last errors and the
`dangjian sites check` command that shows what the spider now takes from its list page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

STATUS_COLOURS = {"ok": "#2e7d32", "stale": "#b28704", "degraded": "#e65100", "failed": "#c62828",
                  None: "#757575"}  # None: a run recorded before health was judged, or interrupted
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 160, 32, 3
LAST_ERRORS = 3


def run_status(run: dict) -> str:
    return run["health"] or run["status"]


def run_row(run: dict) -> dict:
    """One run as a line of `dangjian health`."""
    signals = run["health_signals"] or {}
    links = signals.get("list_links") or {}
    return {"site": run["site"], "started": run["started_at"], "mode": run["mode"], "status": run_status(run),
            "new": signals.get("new"), "list pages": len(links), "article links": sum(links.values()),
            "seconds": signals.get("seconds"), "reason": run["health_reason"] or run["error"]}


def by_site(runs: Iterable[dict]) -> dict[str, list[dict]]:
    sites: dict[str, list[dict]] = {}
    for run in runs:
        sites.setdefault(run["site"], []).append(run)
    return sites


def sparkline(runs: list[dict], timezone: str) -> str:
    """New articles per run, oldest left, as an inline SVG line with one dot per run in its health's colour."""
    counts = [(run["health_signals"] or {}).get("new", 0) for run in runs]
    top = max(counts, default=0) or 1
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(counts) - 1, 1)
    points = [(SPARK_PAD + i * step, SPARK_HEIGHT - SPARK_PAD - count / top * (SPARK_HEIGHT - 2 * SPARK_PAD))
              for i, count in enumerate(counts)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{STATUS_COLOURS.get(run["health"], STATUS_COLOURS[None])}">'
        f"<title>{escape(_when(run['started_at'], timezone))}: {count} new, {escape(run_status(run))}</title></circle>"
        for (x, y), count, run in zip(points, counts, runs, strict=True))
    label = f"new articles per run: {', '.join(map(str, counts))}"
    return (f'<svg class="spark" role="img" aria-label="{label}" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" '
            f'viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}"><polyline fill="none" stroke="#1565c0" stroke-width="1.5" '
            f'points="{line}"/>{dots}</svg>')


def _when(moment: datetime | None, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M") if moment else ""


def check_command(site: str, config_path: Path | str, last: dict) -> str:
    """What to run next: the site's config checked against its list page, the broken one when a page broke."""
    command = f"dangjian sites check {config_path}"
    links = (last["health_signals"] or {}).get("list_links") or {}
    empty = [url for url, count in links.items() if not count and "://" in url]
    if run_status(last) in ("degraded", "failed") and empty:
        command += f" --list-page SAVED.html --url {empty[0]}"
    return command


def last_errors(runs: list[dict], timezone: str) -> list[str]:
    """The site's latest errors and health findings, newest first."""
    problems = [f"{_when(run['started_at'], timezone)} {run_status(run)}: {run['error'] or run['health_reason']}"
                for run in runs if run["error"] or run_status(run) not in ("ok", "running")]
    return problems[::-1][:LAST_ERRORS]


def render(runs: Iterable[dict], config_paths: dict[str, Path | str], *, timezone: str, generated: datetime) -> str:
    """The report page: one row per site (worst status first), every site's recent runs as its sparkline."""
    from pipelines.health import STATUSES

    sites = by_site(runs)
    order = sorted(sites, key=lambda name: (-_rank(run_status(sites[name][-1]), STATUSES), name))
    counts: dict[str, int] = {}
    for name in order:
        counts[run_status(sites[name][-1])] = counts.get(run_status(sites[name][-1]), 0) + 1
    rows = []
    for name in order:
        site_runs = sites[name]
        last = site_runs[-1]
        status = run_status(last)
        errors = "".join(f"<li>{escape(line)}</li>" for line in last_errors(site_runs, timezone)) or "<li>none</li>"
        rows.append(
            f'<tr class="site" data-site="{escape(name)}" data-status="{escape(status)}">'
            f'<td class="name">{escape(name)}</td>'
            f'<td><span class="status" style="background:{STATUS_COLOURS.get(last["health"], STATUS_COLOURS[None])}">'
            f"{escape(status)}</span></td>"
            f"<td>{sparkline(site_runs, timezone)}</td>"
            f'<td class="reason">{escape(last["health_reason"] or last["error"] or "")}</td>'
            f'<td><ul class="errors">{errors}</ul></td>'
            f'<td><code class="check">{escape(check_command(name, config_paths.get(name, f"config/sites/{name}.yaml"), last))}'
            f"</code></td></tr>")
    summary = ", ".join(f"{count} {status}" for status, count in counts.items()) or "no runs recorded yet"
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>dangjian: site health</title>
<style>
body {{ font: 14px/1.4 system-ui, "Noto Sans CJK SC", sans-serif; margin: 2em; color: #212121; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: .5em .7em; border-bottom: 1px solid #e0e0e0; }}
.status {{ color: white; border-radius: 3px; padding: .1em .5em; font-weight: 600; }}
.errors {{ margin: 0; padding-left: 1.1em; color: #555; font-size: 12px; }}
code {{ font-size: 12px; background: #f5f5f5; padding: .1em .3em; }}
</style></head>
<body><h1>Site health</h1>
<p id="summary">{len(order)} sites: {escape(summary)} · generated {escape(_when(generated, timezone))} ({escape(timezone)})</p>
<table id="sites"><thead><tr><th>site</th><th>status</th><th>new articles per run</th><th>reason</th>
<th>last errors</th><th>check it</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""


def _rank(status: str, statuses: tuple[str, ...]) -> int:
    return statuses.index(status) if status in statuses else len(statuses)  # running/interrupted: first, to see
