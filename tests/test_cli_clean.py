"""`opinion clean`: a posts file is cleaned line by line, one line out for each line in."""

from __future__ import annotations

from typer.testing import CliRunner

from opinion.cli import app

runner = CliRunner()
POSTS = "第一条帖子\nhttp://t.cn/A6abcd\n@人民日报\n第四条帖子\n\n第六条\n首页\n上一篇\n北京 / 上海 / 广州\n上海\n"


def test_cli_clean_keeps_line_i_as_line_i(tmp_path):
    """Finding h46/clean #3: the file was one page: 首页, 上一篇 … deleted and blank lines merged."""
    path = tmp_path / "posts.txt"
    path.write_text(POSTS, encoding="utf-8")
    result = runner.invoke(app, ["clean", str(path), "--contacts", "remove"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n")[:-1] == ["第一条帖子", "<URL>", "<USER>", "第四条帖子", "", "第六条", "首页", "上一篇",
                                              "北京 / 上海 / 广州", "上海"]


def test_cli_clean_line_break_inside_a_post_stays_on_its_line():
    result = runner.invoke(app, ["clean", "-"], input="第一行<br>还是第一行\n第二行 O网页链接\n")
    assert result.output == "第一行 还是第一行\n第二行\n"


def test_cli_clean_whole_is_one_page():
    result = runner.invoke(app, ["clean", "-", "--whole"], input="首页 > 新闻 > 标题\n标题\n正文。\n返回顶部\n")
    assert result.stdout == "标题\n正文。\n"
    assert "line by line" in runner.invoke(app, ["clean", "--help"]).stdout


def test_clean_reads_a_gzip_file(tmp_path):
    """`opinion clean posts.txt.gz` said "looks like binary data (control bytes)"."""
    import gzip

    from typer.testing import CliRunner

    from opinion.cli import app

    path = tmp_path / "posts.txt.gz"
    path.write_bytes(gzip.compress("武汉加油！！收起全文d\n口罩买不到\n".encode("gb18030")))
    result = CliRunner().invoke(app, ["clean", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["武汉加油！", "口罩买不到"]
