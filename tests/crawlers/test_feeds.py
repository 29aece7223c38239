import gzip
import tracemalloc

import lxml.html
import pytest

from crawlers.feeds import (
    feed_urls,
    limits,
    looks_like_feed,
    looks_like_sitemap,
    parse_feed,
    parse_sitemap,
    rendered_with_stylesheet,
    robots_sitemaps,
    stylesheet_url,
    well_known_feeds,
    well_known_sitemaps,
)
from pipelines.dates import parse_date_text

SITE = "http://dj.jiaoyu.test"


def page(html: str, url: str):
    return lxml.html.document_fromstring(html, base_url=url)


def local_time(date_text: str | None) -> str:
    guess = parse_date_text(date_text, timezone="Asia/Shanghai")
    return guess.value.strftime("%Y-%m-%d %H:%M")


# --- feed discovery ---------------------------------------------------------------------------------------


def test_feed_urls_from_link_tags_and_anchors():
    html = """<html><head>
      <BASE HREF="http://dj.jiaoyu.test/wap/">
      <LINK REL="Alternate" TYPE="Application/RSS+XML; charset=gbk" HREF="lanmu/dwgz.xml" title="党委工作">
      <link rel="alternate feed" type="application/atom+xml" href="/dingyue/quanbu.atom">
      <link rel="alternate" type="application/feed+json" href="https://dj.jiaoyu.test/api/xinwen.json">
      <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/7">
      <link rel="stylesheet" type="application/rss+xml" href="/not-a-feed.xml">
      <link rel="alternate" hreflang="en" href="/en/">
    </head><body>
      <a href="lanmu/dwgz.xml">RSS</a>
      <a href="/zuzhi/tongzhi.rss">订阅通知</a>
      <a href="feed://dj.jiaoyu.test/xuexi/feed/">学习</a>
      <a href="/index.php?feed=rss2&amp;cat=4">WordPress</a>
      <a href="/portal.php?mod=list&amp;output=atom">Atom 输出</a>
      <a href="/dingyue.html">RSS订阅说明</a>
      <a href="/xwzx/202403/t20240305_881.html">新闻标题一则</a>
      <a href="mailto:dw@jiaoyu.test">信箱</a>
    </body></html>"""
    assert feed_urls(page(html, SITE + "/wap/index.html"), SITE + "/wap/index.html") == [
        SITE + "/wap/lanmu/dwgz.xml",
        SITE + "/dingyue/quanbu.atom",
        "https://dj.jiaoyu.test/api/xinwen.json",
        SITE + "/zuzhi/tongzhi.rss",
        SITE + "/xuexi/feed/",
        SITE + "/index.php?feed=rss2&cat=4",
        SITE + "/portal.php?mod=list&output=atom",
    ]


def test_feed_urls_without_base_resolve_against_the_page():
    html = '<html><head><link rel="ALTERNATE" type="application/x-rss+xml" href="../rss/all.xml"></head></html>'
    url = SITE + "/col/col12/index.html"
    assert feed_urls(page(html, url), url) == [SITE + "/col/rss/all.xml"]


def test_well_known_paths_go_to_the_host_root():
    feeds = well_known_feeds(SITE + "/dangjian/index.html")
    sitemaps = well_known_sitemaps(SITE + "/dangjian/index.html")
    assert SITE + "/feed/" in feeds and SITE + "/rss.xml" in feeds
    assert SITE + "/sitemap.xml" in sitemaps and SITE + "/sitemap_index.xml" in sitemaps


def test_robots_sitemaps():
    robots = (
        "\ufeffUser-agent: *\n"
        "Disallow: /admin/\n"
        "SITEMAP: http://dj.jiaoyu.test/ditu/index.xml  # the index\n"
        "  sitemap :https://dj.jiaoyu.test/ditu/news.xml.gz\n"
        "Sitemap：/ditu/zhuanti.txt\n"           # full-width colon, relative
        "# Sitemap: http://dj.jiaoyu.test/old.xml\n"
        "Disallow: /sitemap-private\n"
        "sitemap: http://dj.jiaoyu.test/ditu/index.xml\n"
        "Sitemap: javascript:void(0)\n"
    )
    assert robots_sitemaps(robots, SITE + "/robots.txt") == [
        SITE + "/ditu/index.xml",
        "https://dj.jiaoyu.test/ditu/news.xml.gz",
        SITE + "/ditu/zhuanti.txt",
    ]


# --- feed formats -----------------------------------------------------------------------------------------

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<?xml-stylesheet type="text/xsl" href="/style/rss.xsl"?>
<!-- generated nightly -->
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>党建动态</title><link>http://dj.jiaoyu.test/</link>
  <item>
    <title><![CDATA[学院召开<b>党史学习教育</b>动员会]]></title>
    <link> /djdt/2024/0305/c41a881/page.htm </link>
    <pubDate>Tue, 05 Mar 2024 10:20:00 +0800</pubDate>
  </item>
  <item>
    <title>支部书记 &amp; 委员培训班开班</title>
    <guid>http://dj.jiaoyu.test/djdt/2024/0306/c41a882/page.htm</guid>
    <dc:date>2024-03-06T08:00:00+08:00</dc:date>
  </item>
  <item>
    <title>只有内部编号的条目</title>
    <guid isPermaLink="false">tag:dj.jiaoyu.test,2024:883</guid>
  </item>
  <item>
    <title>重复的条目</title>
    <link>http://dj.jiaoyu.test/djdt/2024/0305/c41a881/page.htm</link>
  </item>
</channel></rss>""".encode()


def test_rss2():
    links = parse_feed(RSS2, SITE + "/rss/djdt.xml")
    assert [(link.url, link.text, link.source) for link in links] == [
        (SITE + "/djdt/2024/0305/c41a881/page.htm", "学院召开党史学习教育动员会", "feed"),
        (SITE + "/djdt/2024/0306/c41a882/page.htm", "支部书记 & 委员培训班开班", "feed"),
    ]
    assert links[0].date_text == "2024-03-05T10:20:00+08:00"
    assert local_time(links[1].date_text) == "2024-03-06 08:00"


def test_rss_item_link_beats_its_atom_self_link_and_cst_is_china_time():
    body = b"""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<item><atom:link rel="self" href="http://dj.jiaoyu.test/api/item/77.xml"/>
  <link>http://dj.jiaoyu.test/news/77.shtml</link><title>CST</title>
  <pubDate>Fri, 29 Dec 2023 23:30:00 CST</pubDate></item>
<item><title>GMT</title><link>http://dj.jiaoyu.test/news/78.shtml</link>
  <pubDate>Fri, 29 Dec 2023 16:30:00 GMT</pubDate></item>
</channel></rss>"""
    cst, gmt = parse_feed(body, SITE + "/rss.xml")
    assert cst.url == SITE + "/news/77.shtml"
    assert local_time(cst.date_text) == "2023-12-29 23:30"  # not US Central, which would be the 30th
    assert local_time(gmt.date_text) == "2023-12-30 00:30"


def test_rss1_rdf_with_dc_date():
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://dj.jiaoyu.test/rdf"><title>T</title><link>http://dj.jiaoyu.test/</link></channel>
  <item rdf:about="http://dj.jiaoyu.test/show.aspx?nid=51">
    <title>RDF entry one</title><link>http://dj.jiaoyu.test/show.aspx?nid=51</link>
    <dc:date>2023-11-20</dc:date>
  </item>
  <item rdf:about="http://dj.jiaoyu.test/show.aspx?nid=52">
    <title>RDF entry two</title><link>http://dj.jiaoyu.test/show.aspx?nid=52</link>
  </item>
</rdf:RDF>"""
    links = parse_feed(body, SITE + "/rdf")
    assert [link.url for link in links] == [SITE + "/show.aspx?nid=51", SITE + "/show.aspx?nid=52"]
    assert links[0].date_text == "2023-11-20" and links[1].date_text is None
    assert local_time(links[0].date_text) == "2023-11-20 00:00"


def test_atom_with_xml_base_and_alternate_links():
    body = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://dj.jiaoyu.test/zhuanti/">
  <title>专题</title>
  <entry xml:base="ershida/">
    <title type="html">&lt;em&gt;二十大&lt;/em&gt;精神宣讲</title>
    <link rel="edit" href="/api/entries/9"/>
    <link rel="alternate" type="text/html" href="wz-9.shtml"/>
    <link rel="enclosure" href="wz-9.pdf"/>
    <updated>2024-01-12T09:00:00Z</updated>
    <published>2024-01-10T16:30:00Z</published>
  </entry>
  <entry>
    <title>只有 related 链接</title>
    <link rel="related" href="fz/10.html"/>
    <updated>2024-01-11T00:00:00+08:00</updated>
  </entry>
  <entry><title>没有链接的条目</title><id>urn:uuid:11</id></entry>
</feed>""".encode()
    links = parse_feed(body, SITE + "/atom.xml")
    assert [(link.url, link.text) for link in links] == [
        (SITE + "/zhuanti/ershida/wz-9.shtml", "二十大精神宣讲"),
        (SITE + "/zhuanti/fz/10.html", "只有 related 链接"),
    ]
    assert links[0].date_text == "2024-01-10T16:30:00Z"  # published, not updated
    assert local_time(links[0].date_text) == "2024-01-11 00:30"  # in Beijing time


def test_json_feed():
    body = """{"version": "https://jsonfeed.org/version/1.1", "title": "x",
      "items": [
        {"id": "1", "url": "/xinwen/1001.html", "title": "  基层  党建 ", "date_published": "2024-02-01T12:00:00+08:00"},
        {"id": "2", "content_text": "no url"},
        {"id": "3", "url": "https://dj.jiaoyu.test/xinwen/1003.html", "date_modified": "2024-02-03T07:00:00+08:00"},
        "junk"
      ]}""".encode()
    links = parse_feed(body, SITE + "/feed.json")
    assert [(link.url, link.text, link.date_text) for link in links] == [
        (SITE + "/xinwen/1001.html", "基层 党建", "2024-02-01T12:00:00+08:00"),
        ("https://dj.jiaoyu.test/xinwen/1003.html", "", "2024-02-03T07:00:00+08:00"),
    ]


@pytest.mark.parametrize("declared", ["gb2312", "GBK", "gb18030"])
def test_gbk_feed(declared):
    # 喆 and 镕 are outside GB2312: a feed declaring gb2312 while using GBK still reads right
    body = f"""<?xml version="1.0" encoding="{declared}"?>
<rss version="2.0"><channel><title>组织部</title>
<item><title>张喆同志任职公示</title><link>http://dj.jiaoyu.test/gs/2024/03/0307_1.html</link>
<pubDate>2024年3月7日 09:15</pubDate></item>
<item><title>朱镕同志事迹</title><link>http://dj.jiaoyu.test/gs/2024/03/0308_2.html</link></item>
</channel></rss>""".encode("gbk")
    links = parse_feed(body, SITE + "/rss.xml")
    assert [link.text for link in links] == ["张喆同志任职公示", "朱镕同志事迹"]
    assert local_time(links[0].date_text) == "2024-03-07 09:15"


def test_malformed_feed_keeps_its_good_entries():
    body = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>乱</title>
<item><title>第一条 & 未转义的&ldquo;引号&rdquo;&nbsp;与 &#x515A;&#24314;</title>
  <link>http://dj.jiaoyu.test/a.jsp?id=1&cat=2&amp;lm=7</link></item>
<item><title>没有闭合的条目<link>http://dj.jiaoyu.test/a.jsp?id=2</link></item>
<item><title>第三条</title><link>http://dj.jiaoyu.test/a.jsp?id=3</link><pubDate>not a date</pubDate></item>
\x01\x02 junk <<<
<item><title>第四条</title><link>http://dj.jiaoyu.test/a.jsp?id=4</link></item>
""".encode()
    links = {link.url: link for link in parse_feed(body, SITE + "/rss.xml")}
    first = links[SITE + "/a.jsp?id=1&cat=2&lm=7"]
    assert first.text == "第一条 & 未转义的\u201c引号\u201d 与 党建"
    assert links[SITE + "/a.jsp?id=3"].text == "第三条"
    assert links[SITE + "/a.jsp?id=3"].date_text == "not a date"
    assert links[SITE + "/a.jsp?id=4"].text == "第四条"


@pytest.mark.parametrize("body", [b"", b"   ", b"<html><body><p>404</p></body></html>", b"\x00\x01\x02\x03" * 50,
                                  b"{not json", b'{"items": 5}'])
def test_not_a_feed_yields_nothing(body):
    assert parse_feed(body, SITE + "/rss.xml") == []


def test_xxe_reads_no_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("LEAKED-FILE")
    dtd = tmp_path / "outer.dtd"
    dtd.write_text('<!ENTITY fromdtd "LEAKED-DTD">')
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "{dtd.as_uri()}" [
  <!ENTITY passwd SYSTEM "file:///etc/passwd">
  <!ENTITY secret SYSTEM "{secret.as_uri()}">
  <!ENTITY % param SYSTEM "{dtd.as_uri()}"> %param;
]>
<rss version="2.0"><channel>
<item><title>A&passwd;B&secret;&fromdtd;</title><link>http://dj.jiaoyu.test/x/1.html?q=&secret;</link></item>
</channel></rss>""".encode()
    links = parse_feed(body, SITE + "/rss.xml")
    text = " ".join(f"{link.url} {link.text}" for link in links)
    assert "root:" not in text and "LEAKED" not in text
    assert [link.text for link in links] == ["AB"]
    as_sitemap = body.replace(b"<rss", b"<urlset><url><loc>http://dj.jiaoyu.test/&secret;</loc></url></urlset><x")
    assert all("LEAKED" not in link.url for link in parse_sitemap(as_sitemap, SITE).links)


# --- sitemaps ---------------------------------------------------------------------------------------------

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>http://dj.jiaoyu.test/dwxx/content_7001.html</loc><lastmod>2022-09-14</lastmod>
       <image:image><image:loc>http://dj.jiaoyu.test/img/7001.jpg</image:loc></image:image></url>
  <url><loc> http://dj.jiaoyu.test/dwxx/content_7002.html </loc><lastmod>2022-09-15T18:05:00+08:00</lastmod></url>
  <url><loc>/dwxx/content_7003.html</loc></url>
  <url><lastmod>2022-09-16</lastmod></url>
</urlset>"""


def test_urlset():
    sitemap = parse_sitemap(URLSET, SITE + "/sitemap.xml")
    assert sitemap.sitemaps == []
    assert [(link.url, link.date_text, link.source) for link in sitemap.links] == [
        (SITE + "/dwxx/content_7001.html", "2022-09-14", "sitemap"),
        (SITE + "/dwxx/content_7002.html", "2022-09-15T18:05:00+08:00", "sitemap"),
        (SITE + "/dwxx/content_7003.html", None, "sitemap"),
    ]
    assert local_time(sitemap.links[1].date_text) == "2022-09-15 18:05"


def test_sitemap_index_with_a_gzipped_child():
    index = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://dj.jiaoyu.test/ditu/part-1.xml.gz</loc><lastmod>2024-03-01</lastmod></sitemap>
  <sitemap><loc>ditu/part-2.xml</loc></sitemap>
</sitemapindex>"""
    parsed = parse_sitemap(index, SITE + "/sitemap_index.xml")
    assert parsed.links == []
    assert parsed.sitemaps == [SITE + "/ditu/part-1.xml.gz", SITE + "/ditu/part-2.xml"]
    child = parse_sitemap(gzip.compress(URLSET), parsed.sitemaps[0])
    assert [link.url for link in child.links][:2] == [SITE + "/dwxx/content_7001.html",
                                                      SITE + "/dwxx/content_7002.html"]
    # a .gz URL whose body the HTTP layer already decompressed is read as it is
    assert parse_sitemap(URLSET, parsed.sitemaps[0]) == child


def test_news_sitemap_title_and_publication_date():
    body = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>http://dj.jiaoyu.test/yw/2024/03/09/art_3_901.html</loc><lastmod>2024-03-10T02:00:00+08:00</lastmod>
    <n:news><n:publication><n:name>某校党建网</n:name><n:language>zh</n:language></n:publication>
      <n:publication_date>2024-03-09T21:40:00+08:00</n:publication_date>
      <n:title>全校  党员大会召开</n:title></n:news></url>
  <url><loc>http://dj.jiaoyu.test/yw/2024/03/08/art_3_900.html</loc><lastmod>2024-03-08</lastmod></url>
</urlset>""".encode()
    links = parse_sitemap(body, SITE + "/news-sitemap.xml").links
    assert [(link.text, link.date_text) for link in links] == [
        ("全校 党员大会召开", "2024-03-09T21:40:00+08:00"),
        ("", "2024-03-08"),
    ]


def test_plain_text_sitemap():
    body = (b"\xef\xbb\xbfhttp://dj.jiaoyu.test/a/1.html\r\n\r\n"
            b"  https://dj.jiaoyu.test/a/2.html  \n"
            b"not a url\nftp://dj.jiaoyu.test/file\nhttp://dj.jiaoyu.test/a/1.html\n")
    parsed = parse_sitemap(body, SITE + "/sitemap.txt")
    assert [link.url for link in parsed.links] == [SITE + "/a/1.html", "https://dj.jiaoyu.test/a/2.html"]
    assert parsed.sitemaps == []


def test_sitemap_stops_at_the_url_limit():
    limit = limits()["max_urls_per_sitemap"]
    entries = b"".join(b"<url><loc>http://dj.jiaoyu.test/n/%d.html</loc></url>" % n for n in range(limit + 25))
    body = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + entries + b"</urlset>"
    links = parse_sitemap(body, SITE + "/sitemap.xml").links
    assert len(links) == limit
    assert links[0].url == SITE + "/n/0.html" and links[-1].url == SITE + f"/n/{limit - 1}.html"


def test_gzip_bomb_stops_at_the_size_limit():
    max_bytes = limits()["max_decompressed_bytes"]
    head = gzip.compress(b'<?xml version="1.0"?><urlset><url><loc>http://dj.jiaoyu.test/q/1.html</loc></url>')
    padding = gzip.compress(b" " * (1 << 20))  # several members: gzip streams may be concatenated
    tail = gzip.compress(b"<url><loc>http://dj.jiaoyu.test/q/past-the-limit.html</loc></url></urlset>")
    bomb = head + padding * (10 * max_bytes // (1 << 20)) + tail  # 10x the limit once inflated
    tracemalloc.start()
    try:
        parsed = parse_sitemap(bomb, SITE + "/sitemap.xml.gz")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [link.url for link in parsed.links] == [SITE + "/q/1.html"]
    assert peak < 4 * max_bytes  # a few working copies of the limit, not of the inflated stream


def test_truncated_and_corrupt_gzip_keep_what_decompressed():
    packed = gzip.compress(URLSET)
    cut = parse_sitemap(packed[: len(packed) * 3 // 4], SITE + "/s.xml.gz")
    assert cut.links and cut.links[0].url == SITE + "/dwxx/content_7001.html"
    assert parse_sitemap(b"\x1f\x8b" + b"\xff" * 40, SITE + "/s.xml.gz").links == []


# --- sniffers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type, body, expected", [
    ("text/xml", RSS2, True),
    (None, b'<?xml version="1.0"?><a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:entry/></a:feed>', True),
    ("application/xml", b'<rdf:RDF xmlns="http://purl.org/rss/1.0/"><item/></rdf:RDF>', True),
    ("application/xml", b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>', False),
    ("application/json", b' {"version": "https://jsonfeed.org/version/1", "items": []}', True),
    ("application/json", b'{"code": 0, "data": []}', False),
    ("application/rss+xml", b"<!DOCTYPE html><html><body>error</body></html>", False),
    ("application/rss+xml; charset=gbk", b"", True),
    ("text/html", b"<html><head><title>rss</title></head></html>", False),
    ("text/xml", URLSET, False),
])
def test_looks_like_feed(content_type, body, expected):
    assert looks_like_feed(content_type, body) is expected


@pytest.mark.parametrize("content_type, body, expected", [
    ("text/xml", URLSET, True),
    ("application/x-gzip", gzip.compress(URLSET), True),
    (None, b"<sitemapindex><sitemap><loc>http://dj.jiaoyu.test/1.xml</loc></sitemap></sitemapindex>", True),
    ("text/plain; charset=utf-8", b"http://dj.jiaoyu.test/a/1.html\nhttp://dj.jiaoyu.test/a/2.html\n", True),
    (None, b"https://dj.jiaoyu.test/only-one.html", True),
    ("text/html", b"http://dj.jiaoyu.test/a/1.html\n", False),
    ("text/plain", b"User-agent: *\nDisallow: /\n", False),
    ("text/xml", RSS2, False),
    ("text/html", b"<html><body>sitemap</body></html>", False),
])
def test_looks_like_sitemap(content_type, body, expected):
    assert looks_like_sitemap(content_type, body) is expected


XML_COLUMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/dj/xsl/list.xsl"?>
<document><channel name="\xe5\xb7\xa5\xe4\xbd\x9c\xe5\x8a\xa8\xe6\x80\x81"><item><title>T1</title><link>/dj/a/1.html</link></item>
<item><title>T2</title><link>/dj/a/2.html</link></item></channel></document>"""
LIST_XSL = b"""<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="html" encoding="UTF-8"/>
<xsl:template match="/document"><html><body><ul><xsl:for-each select="channel/item">
<li><a><xsl:attribute name="href"><xsl:value-of select="link"/></xsl:attribute><xsl:value-of select="title"/></a></li>
</xsl:for-each></ul></body></html></xsl:template>
</xsl:stylesheet>"""
PRYING_XSL = LIST_XSL.replace(b"</ul>", b"</ul><xsl:copy-of select=\"document('file:///etc/hostname')\"/>")


def test_an_xml_column_is_read_as_its_stylesheet_draws_it():
    url = SITE + "/dj/gzdt/"
    assert stylesheet_url(XML_COLUMN, url) == SITE + "/dj/xsl/list.xsl"
    assert stylesheet_url(b"<?xml version='1.0'?><?xml-stylesheet type='text/css' href='a.css'?><a/>", url) is None
    assert stylesheet_url(b"<html><body>no</body></html>", url) is None
    drawn = rendered_with_stylesheet(XML_COLUMN, LIST_XSL, url)
    root = page(drawn, url)
    assert [(a.get("href"), a.text) for a in root.iter("a")] == [("/dj/a/1.html", "T1"), ("/dj/a/2.html", "T2")]


def test_a_stylesheet_may_read_nothing_else_and_garbage_draws_nothing():
    assert rendered_with_stylesheet(XML_COLUMN, PRYING_XSL, SITE + "/dj/gzdt/") is None  # document() is refused
    assert rendered_with_stylesheet(XML_COLUMN, b"not a stylesheet", SITE) is None
    assert rendered_with_stylesheet(b"<broken", LIST_XSL, SITE) is None
