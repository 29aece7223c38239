"""The docs say what the code does: every `dangjian` command and option they name exists (read from its
`--help`), and the example queries for downstream readers run on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from flows.cli import app

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# `dangjian` where a command line starts (a line or a code span, or `…/bin/dangjian`), then its words; not
# where prose, a path or another tool's arguments merely name it (`/srv/dangjian`, `--pool dangjian`).
COMMAND_LINE = re.compile(r"(?:^|(?<=bin/))dangjian((?: +[^\s`|]+)+)", re.MULTILINE)
CODE = re.compile(r"```[a-z]*\n(.*?)```|`([^`\n]+)`", re.DOTALL)


def documented_commands() -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """(doc file, the text, command path, options) of every `dangjian …` in code spans and code blocks."""
    root = typer.main.get_command(app)
    found = []
    for doc in DOCS:
        for block, span in CODE.findall(doc.read_text(encoding="utf-8")):
            for match in COMMAND_LINE.finditer(block or span):
                words = match.group(1).split()
                group, path = root, []
                while words and words[0] in getattr(group, "commands", {}):
                    group = group.commands[words[0]]
                    path.append(words.pop(0))
                options = tuple(sorted({re.sub(r"[=\[\]().,;…].*$", "", word.lstrip("[(")) for word in words
                                        if word.lstrip("[(").startswith("-")} - {"-", "--"}))
                found.append((doc.name, match.group(0), tuple(path), options))
    return found


DOCUMENTED = documented_commands()


def test_the_docs_name_commands_at_all():
    assert {path[0] for _, _, path, _ in DOCUMENTED if path} >= {"crawl", "sites", "serve", "export", "reprocess"}


@pytest.mark.parametrize(("doc", "text", "path", "options"), DOCUMENTED, ids=[f"{d}: {t}" for d, t, _, _ in DOCUMENTED])
def test_every_documented_command_and_option_exists(doc, text, path, options):
    assert path, f"{doc}: `{text}` names no dangjian command"
    shown = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "300", "NO_COLOR": "1"}, terminal_width=300)
    assert shown.exit_code == 0, shown.output
    for option in options:
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", shown.output), \
            f"{doc}: `{text}`: dangjian {' '.join(path)} has no option {option}"


SQL_BLOCK = re.compile(r"([^\n]*)\n\n```sql\n(.*?)```", re.DOTALL)

DATED_2024 = """首页 >> 党建工作 >> 支部风采

机关党支部开展主题党日活动

作者:李 明 来源:机关党委 发布时间:2024-05-20 15:40

五月二十日下午，机关党支部组织全体党员前往革命纪念馆开展主题党日活动，重温入党誓词，接受红色教育。

活动中，党员们认真聆听讲解员的介绍，仔细观看展出的历史图片和实物，深切缅怀革命先烈的光辉事迹。

大家纷纷表示，要把学习成果转化为做好本职工作的强大动力，以实际行动践行初心使命。
"""


@pytest.mark.slow
def test_the_example_queries_for_readers_run_on_both_backends(db_url, data_dir, tmp_path, prefect_api):
    from sqlalchemy import create_engine, text

    backend = "PostgreSQL" if db_url.startswith("postgresql") else "SQLite"
    [query] = [sql for lead, sql in SQL_BLOCK.findall((REPO / "docs" / "schema.md").read_text(encoding="utf-8"))
               if backend in lead]
    dump = tmp_path / "dump.txt"
    dump.write_text(DATED_2024, encoding="utf-8")
    loaded = subprocess.run([str(Path(sys.executable).parent / "dangjian"), "ingest-text", "--quiet", "--site",
                             "dangxiao", "--db", db_url, str(dump)], capture_output=True, text=True, cwd=REPO,
                            timeout=300, env={**os.environ, **prefect_api})
    assert loaded.returncode == 0, loaded.stderr[-3000:]

    engine = create_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(text(query)).mappings().all()
    engine.dispose()

    assert [row["title"] for row in rows] == ["机关党支部开展主题党日活动"]
    assert rows[0]["copies"] == 1 and rows[0]["date_precision"] == "minute"
