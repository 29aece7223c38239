import base64
import html
import json
from dataclasses import replace

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawlers.link_rules import LinkRules
from crawlers.site_config import SiteConfig
from crawlers.sources import (
    Endpoint,
    Link,
    UrlTemplate,
    clickable_links,
    element_target,
    endpoint_page,
    find_endpoints,
    next_endpoint_request,
    page_endpoints,
    plugin_endpoints,
    script_links,
    script_sources,
    token_value,
    url_templates,
    with_dom_reads,
    with_element_reads,
    with_token,
)

SITE = "http://127.0.0.1:18733"
PAGE = SITE + "/zzjs/lanmu/index.html"
find_date = LinkRules(SiteConfig(name="t", start_urls=[SITE + "/"])).find_date


def page(body: str, head: str = "") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def first(root, xpath: str):
    return root.xpath(xpath)[0]


# --- element_target and clickable_links -------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<a href="../wz/88.shtml">x</a>', SITE + "/zzjs/wz/88.shtml"),
        ("<a href=\"javascript:openWin('/xw/2023/0412/5521.html')\">x</a>", SITE + "/xw/2023/0412/5521.html"),
        ("<a href=\"JavaScript:location.href='detail.jsp?aid=31'\">x</a>", SITE + "/zzjs/lanmu/detail.jsp?aid=31"),
        ('<a href="javascript:void(0)" onclick="window.open(\'/dj/show_77.htm\', \'_blank\')">x</a>',
         SITE + "/dj/show_77.htm"),
        ('<li onclick="window.location = &quot;/gz/204.html&quot;">x</li>', SITE + "/gz/204.html"),
        ("<tr onclick=\"top.location.href='/tz/ty_9.aspx?nid=4'\"><td>x</td></tr>", SITE + "/tz/ty_9.aspx?nid=4"),
        ("<div onclick=\"parent.location='http://other.example.cn/a/1.html'\">x</div>",
         "http://other.example.cn/a/1.html"),
        ("<span onclick=\"self.location.assign('/b/2.html')\">x</span>", SITE + "/b/2.html"),
        ("<span onclick=\"location.replace('/b/3.html');return false;\">x</span>", SITE + "/b/3.html"),
        ('<p onclick="goDetail(\'view.php?id=15\', 2)">x</p>', SITE + "/zzjs/lanmu/view.php?id=15"),
        ('<map name="m"><area shape="rect" href="/tp/12.html" alt="图"></map>', SITE + "/tp/12.html"),
        ('<div data-href="/c/9.html">x</div>', SITE + "/c/9.html"),
    ],
)
def test_element_target_follows_hrefs_handlers_and_areas(markup, expected):
    root = page(markup)
    element = first(root, "//body//*[1]") if "<map" not in markup else first(root, "//area")
    if "<tr" in markup:
        element = first(root, "//tr")
    assert element_target(element, PAGE) == expected


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="javascript:void(0)">x</a>',
        '<a href="javascript:;" onclick="toggleMenu(\'nav-left\')">x</a>',
        '<a href="#top">x</a>',
        "<li onclick=\"showPic('/images/banner.jpg')\">x</li>",
        "<li onclick=\"xhr.open('GET', '/api/x')\">x</li>",
        '<a href="mailto:dw@example.cn">x</a>',
        '<div onclick="this.className = \'on\'">x</div>',
    ],
)
def test_element_target_is_none_where_nothing_leads_anywhere(markup):
    root = page(markup)
    assert element_target(first(root, "//body/*[1]"), PAGE) is None


def test_element_target_honours_base_href():
    root = page("<li onclick=\"location.href='n/5.html'\">x</li>", head='<base href="http://127.0.0.1:18733/fb/">')
    assert element_target(first(root, "//li"), PAGE) == SITE + "/fb/n/5.html"


def test_handlers_calling_page_functions_that_build_the_url():
    root = page("""
      <script>
        var ctxPath = '/zw';
        function showNews(cat, id) { window.open(ctxPath + '/xw/' + cat + '/' + id + '.shtml', '_blank'); }
        var toDetail = function (nid) { var target = 'detail.aspx?nid=' + nid; location.href = target; };
        const peek = (code) => { top.location.assign('/gk/' + code + '.html'); };
        function report(id) { $.post('/hit.do', {id: id}); }
      </script>
      <ul><li><a href="javascript:showNews('tzgg', 1203)">关于开展主题教育的通知</a></li>
        <li onclick="toDetail(88);">基层党建述职评议</li>
        <li><a href="javascript:void(0)" onclick="peek('ZB09')">支部工作法汇编</a></li>
        <li><a href="javascript:report(5)">只有统计</a></li>
        <li><a href="javascript:showNews(catId, 7)">参数不可知</a></li></ul>""")
    assert [link.url for link in clickable_links(root, PAGE, find_date)] == [
        SITE + "/zw/xw/tzgg/1203.shtml", SITE + "/zzjs/lanmu/detail.aspx?nid=88", SITE + "/gk/ZB09.html"]


def test_functions_from_fetched_script_files():
    root = page('<script src="/js/common.js"></script><span onclick="openArt(\'5521\')">专题学习</span>')
    common = "window.openArt = function (aid) { window.location.href = '/art/' + aid + '.htm'; };"
    assert element_target(first(root, "//span"), PAGE) is None
    assert element_target(first(root, "//span"), PAGE, scripts=[common]) == SITE + "/art/5521.htm"
    assert clickable_links(root, PAGE, find_date, scripts=[common]) == [
        Link(SITE + "/art/5521.htm", "专题学习", None, "script-href")]


def test_clickable_links_take_text_and_record_date_and_leave_plain_anchors():
    root = page("""
      <ul class="news">
        <li onclick="location.href='/djyw/2024/101.html'"><span class="t">学习贯彻全会精神专题研讨会召开</span>
            <em>2024-03-05</em></li>
        <li><a href="javascript:;" onclick="openArticle('/djyw/2024/102.html')">基层党组织书记培训班开班</a>
            <i>2024/03/01</i></li>
        <li><a href="/djyw/2024/103.html" onclick="count(103)">这是普通链接由链接规则读取</a></li>
        <li><a href="javascript:void(0)">没有去处</a></li>
      </ul>
      <table><tr onclick="window.open('/djyw/2024/104.html')"><td>主题党日活动纪实</td><td>2024年2月28日</td></tr>
        <tr onclick="window.open('/djyw/2024/105.html')"><td>支部换届选举工作部署</td><td>无日期</td></tr></table>
      <img src="/img/map.png" usemap="#m"><map name="m"><area href="/zt/dangshi.html" alt="党史学习"></map>
    """)
    links = clickable_links(root, PAGE, find_date)
    assert links == [
        Link(SITE + "/djyw/2024/101.html", "学习贯彻全会精神专题研讨会召开", "2024-03-05", "script-href"),
        Link(SITE + "/djyw/2024/102.html", "基层党组织书记培训班开班", "2024/03/01", "script-href"),
        Link(SITE + "/djyw/2024/104.html", "主题党日活动纪实", "2024年2月28日", "script-href"),
        Link(SITE + "/djyw/2024/105.html", "支部换届选举工作部署 无日期", None, "script-href"),
        Link(SITE + "/zt/dangshi.html", "党史学习", None, "area"),
    ]


def test_clickable_row_and_its_title_link_are_one_link():
    root = page("""<table>
      <tr onclick="location.href='/tzgg/31.html'"><td><a href="javascript:void(0)"
          onclick="location.href='/tzgg/31.html'">关于开展党员志愿服务的通知</a></td><td>2023-11-02</td></tr>
    </table>""")
    assert clickable_links(root, PAGE, find_date) == [
        Link(SITE + "/tzgg/31.html", "关于开展党员志愿服务的通知", "2023-11-02", "script-href")]


def test_script_sources_in_order_once_and_absolute():
    root = page('<script src="/js/jquery.min.js"></script><script>var a=1;</script>'
                '<script src="list.js?v=3"></script><script src="//cdn.example.cn/x.js"></script>'
                '<script src="/js/jquery.min.js"></script>', head='<base href="/zzjs/">')
    assert script_sources(root, PAGE) == [SITE + "/js/jquery.min.js", SITE + "/zzjs/list.js?v=3",
                                          "http://cdn.example.cn/x.js"]


# --- script_links: markup -----------------------------------------------------------------------


def test_xml_datastore_cdata_records_with_and_without_dates():
    root = page("""<div id="lst"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/m?p=2">更多</a>]]>
      </nextgroup><recordset>
      <record><![CDATA[<li><a href="/art/2024/3/8/art_301_9001.html" title="全面从严治党">全面从严治党工作推进会</a>
          <span class="bt-data-time">2024-03-08</span></li>]]></record>
      <record><![CDATA[
          <div class="item"><a target="_blank" href='../../art/2024/3/2/art_301_8990.html'>党建引领基层治理</a></div>
      ]]></record>
    </recordset></datastore></script></div>""")
    links = script_links(root, PAGE, find_date)
    assert Link(SITE + "/art/2024/3/8/art_301_9001.html", "全面从严治党工作推进会", "2024-03-08",
                "script-markup") in links
    assert Link(SITE + "/art/2024/3/2/art_301_8990.html", "党建引领基层治理", None, "script-markup") in links


def test_html_written_by_scripts_is_read_but_built_hrefs_are_not_links():
    root = page("""<script>
      var box = '';
      box += '<li class="row">';
      box += '<a href="/tzgg/2023/0901/71.html">关于做好党费收缴工作的通知</a>';
      box += "<span>2023-09-01</span></li>";
      document.write("<li><a href=\\"/tzgg/2023/0825/70.html\\">二〇二三年度组织生活会安排</a>" +
                     "<b>[08-25]</b></li>");
      for (var i = 0; i < rows.length; i++) {
        box += '<li><a href="' + rows[i].link + '">' + rows[i].title + '</a></li>';
      }
      $('#news').html(box);
    </script>""")
    links = script_links(root, PAGE, find_date)
    assert links == [
        Link(SITE + "/tzgg/2023/0901/71.html", "关于做好党费收缴工作的通知", "2023-09-01", "script-markup"),
        Link(SITE + "/tzgg/2023/0825/70.html", "二〇二三年度组织生活会安排", "[08-25]", "script-markup"),
    ]


def test_markup_template_script_yields_no_placeholder_links():
    root = page('<script type="text/html" id="tpl"><li><a href="/zx/{{ d.id }}.html">{{ d.title }}</a></li>'
                '<li><a href="/zx/guide.html">入党流程指南说明</a></li></script>')
    assert script_links(root, PAGE, find_date) == [
        Link(SITE + "/zx/guide.html", "入党流程指南说明", None, "script-markup")]


# --- script_links: data ---------------------------------------------------------------------------


def test_state_object_records_nested_with_timestamps_and_relative_urls():
    state = {
        "site": {"name": "机关党建网", "logo": "/static/img/logo.png", "css": ["/static/app.css"]},
        "column": {"items": [
            {"docTitle": "深入推进模范机关创建", "docUrl": "./2024/0311/c1_662.html", "pubTime": 1710124800000},
            {"docTitle": "党员教育<em>微课堂</em>上线", "docUrl": "/jgdj/2024/0305/c1_650.html",
             "pubTime": 1709596800},
            {"docTitle": "没有地址的记录不算", "docUrl": ""},
        ]},
    }
    root = page(f"<script>window.__APP_STATE__ = {json.dumps(state, ensure_ascii=False)};</script>")
    assert script_links(root, PAGE, find_date) == [
        Link(SITE + "/zzjs/lanmu/2024/0311/c1_662.html", "深入推进模范机关创建", "2024-03-11T02:40:00+00:00",
             "script-json"),
        Link(SITE + "/jgdj/2024/0305/c1_650.html", "党员教育 微课堂 上线", "2024-03-05T00:00:00+00:00",
             "script-json"),
    ]


def test_js_literals_with_unknown_key_names_by_value_shape():
    root = page("""<script>
      var listData = [
        {bt: '红色教育基地参观学习活动', lj: '/hd/2022/1015/88.htm', rq: '2022-10-15'},
        {bt: "青年理论学习小组集中学习", lj: "/hd/2022/1009/87.htm", rq: "2022年10月09日"},
        {bt: 'banner', lj: '/upload/slide1.jpg'},
      ];
      render(listData, function (row) { return row.bt; });
    </script>""")
    assert script_links(root, PAGE, find_date) == [
        Link(SITE + "/hd/2022/1015/88.htm", "红色教育基地参观学习活动", "2022-10-15", "script-json"),
        Link(SITE + "/hd/2022/1009/87.htm", "青年理论学习小组集中学习", "2022年10月09日", "script-json"),
    ]


def test_json_parse_of_escaped_string_and_json_script_and_iso_dates():
    payload = json.dumps({"rows": [{"name": "纪检监察业务培训", "href": "/jj/n_5.html",
                                    "updated": "2024-01-20T09:30:00+08:00"}]}, ensure_ascii=False)
    escaped = payload.replace('"', '\\"')
    root = page(f"""<script>var d = JSON.parse("{escaped}"); draw(d);</script>
      <script type="application/json" id="boot">{{"list": [{{"title": "支部标准化建设推进",
        "url": "http://127.0.0.1:18733/bz/9.html", "publishDate": "2023-12-30 08:00:00"}}]}}</script>""")
    links = script_links(root, PAGE, find_date)
    assert links == [
        Link(SITE + "/jj/n_5.html", "纪检监察业务培训", "2024-01-20T09:30:00+08:00", "script-json"),
        Link(SITE + "/bz/9.html", "支部标准化建设推进", "2023-12-30 08:00:00", "script-json"),
    ]


def test_records_a_page_hides_in_base64_are_read_decoded():
    payload = json.dumps({"list": [{"title": "青峰县开展党员冬训", "url": "/zzgz/202101/5.shtml", "date": "2021-01-05"}]},
                         ensure_ascii=False)
    encoded = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    root = page(f"""<script>var pageData = JSON.parse(decodeURIComponent(escape(window.atob('{encoded}'))));</script>
      <script>var other = atob("not base64!");</script>""")
    assert script_links(root, PAGE, find_date) == [
        Link(SITE + "/zzgz/202101/5.shtml", "青峰县开展党员冬训", "2021-01-05", "script-json")]


def test_id_only_records_get_the_url_the_script_builds():
    root = page("""<script>
      var CTX = '/portal';
      var items = [{docId: 4401, subject: '廉政教育月活动启动', ts: '2023-06-01'},
                   {docId: 4400, subject: '机关党委理论中心组学习'}];
      $.each(items, function (i, item) {
        $('#ul').append('<li><a href="' + CTX + '/news/' + item.docId + '.html">' + item.subject + '</a></li>');
      });
    </script>""")
    assert script_links(root, PAGE, find_date) == [
        Link(SITE + "/portal/news/4401.html", "廉政教育月活动启动", "2023-06-01", "script-json"),
        Link(SITE + "/portal/news/4400.html", "机关党委理论中心组学习", None, "script-json"),
    ]


def test_url_templates_from_concatenation_template_literals_and_placeholders():
    assert url_templates("location.href = 'detail.jsp?cid=' + row.cat + '&nid=' + row['newsId'];") == (
        UrlTemplate(("detail.jsp?cid=", ("cat",), "&nid=", ("newsId",))),)
    assert url_templates("el.innerHTML = `<a href=\"/x/${o.info.no}.shtml\">${o.t}</a>`;") == (
        UrlTemplate(("/x/", ("info", "no"), ".shtml")),)
    assert url_templates('<a href="/y/<%= aid %>.htm"><%= name %></a>', markup=True) == (
        UrlTemplate(("/y/", ("aid",), ".htm")),)
    assert url_templates("var t = '共' + data.total + '条'; img.src = base + data.pic;") == ()
    assert UrlTemplate(("/x/", ("info", "no"), ".shtml")).fill({"info": {"no": 7}}) == "/x/7.shtml"
    assert UrlTemplate(("/x/", ("id",), ".html")).fill({"name": "无编号"}) is None


def test_script_records_resolve_against_base_href():
    root = page("<script>var news = [{title: '机关作风建设大讨论', link: 'wz/31.html'}];</script>",
                head='<base href="http://127.0.0.1:18733/jg/">')
    assert script_links(root, PAGE, find_date) == [
        Link(SITE + "/jg/wz/31.html", "机关作风建设大讨论", None, "script-json")]


def test_scripts_without_links_yield_nothing():
    root = page("""
      <script>var _hmt = _hmt || []; (function() { var hm = document.createElement("script");
        hm.src = "https://hm.example.com/hm.js?0a1b2c"; var s = document.getElementsByTagName("script")[0];
        s.parentNode.insertBefore(hm, s); })();</script>
      <script>$.get('/counter/hit.do?docid=9921');</script>
      <script>var config = {theme: 'red', logo: '/res/img/logo.png', scripts: ['/res/js/a.js'],
        style: {href: '/res/css/main.css', title: '默认样式表'}, api: '/res/data/menu.json', home: '/'};</script>
      <script>function broken( { var x = [1, 2, ; html += '<li><a href="</script>
      <script>var s = 'unterminated ; JSON.parse('{"a": ');</script>
      <script src="/js/app.js"></script>
    """)
    assert script_links(root, PAGE, find_date) == []


# --- list endpoints -------------------------------------------------------------------------------


def test_jquery_ajax_post_with_page_data_and_bindings():
    script = """
      var pageIndex = 1, cid = '12';
      function load(pageIndex) {
        $.ajax({
          url: '/cms/info/list.action', type: 'post', dataType: 'json',
          data: {channelId: '12', pageIndex: pageIndex, pageSize: 15, keyword: $('#kw').val()},
          success: function (res) { $.each(res.rows, function (i, r) { add(r); }); }
        });
      }"""
    [endpoint] = find_endpoints(script, PAGE)
    assert endpoint == Endpoint(SITE + "/cms/info/list.action", "POST",
                                {"channelId": "12", "pageIndex": "1", "pageSize": "15"}, "form", "pageIndex",
                                1, 1, "pageSize")
    assert next_endpoint_request(endpoint, 3) == (
        SITE + "/cms/info/list.action", "POST", {"channelId": "12", "pageIndex": "3", "pageSize": "15"})


def test_jquery_get_and_getjson_merge_data_into_the_query():
    script = """
      $.getJSON("../api/articles", {col: 'dwgk', pn: 0, rows: 20}, function (d) { show(d); });
      $.get('/m/list.php?type=3', {curPg: 1}, cb);
      $.getJSON(basePath + "/wx/list.json", {pageNo: 1});"""
    first_endpoint, second, third = find_endpoints(script, PAGE)
    assert (first_endpoint.url, first_endpoint.method, first_endpoint.page_param, first_endpoint.page_start) == (
        SITE + "/zzjs/api/articles?col=dwgk&pn=0&rows=20", "GET", "pn", 0)
    assert next_endpoint_request(first_endpoint, 2)[0] == SITE + "/zzjs/api/articles?col=dwgk&pn=1&rows=20"
    assert (second.url, second.page_param) == (SITE + "/m/list.php?type=3&curPg=1", "curPg")
    assert (third.url, third.page_param) == (SITE + "/wx/list.json?pageNo=1", "pageNo")


def test_fetch_axios_and_xhr_shapes():
    script = """
      fetch('/open/news/page', {method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({current: 1, size: 10, column: 'xxyd'})}).then(r => r.json());
      axios.get('/v2/notice/list', {params: {page: 1, limit: 12}}).then(({data}) => data.items.map(show));
      axios.post('/v2/topic/query', Qs.stringify({pageNum: 1, cat: 'dj'}));
      var xhr = new XMLHttpRequest();
      xhr.open('GET', '/old/getList.asp?lb=5&page=' + p, true);
      window.open('/help.html');
    """
    endpoints = {endpoint.url: endpoint for endpoint in find_endpoints(script, PAGE)}
    assert set(endpoints) == {SITE + "/open/news/page", SITE + "/v2/notice/list?page=1&limit=12",
                              SITE + "/v2/topic/query", SITE + "/old/getList.asp?lb=5&page=1"}
    posted = endpoints[SITE + "/open/news/page"]
    assert (posted.method, posted.body_format, posted.form, posted.page_param) == (
        "POST", "json", {"current": 1, "size": 10, "column": "xxyd"}, "current")
    assert next_endpoint_request(posted, 4)[2] == {"current": 4, "size": 10, "column": "xxyd"}
    form_post = endpoints[SITE + "/v2/topic/query"]
    assert (form_post.body_format, form_post.form) == ("form", {"pageNum": "1", "cat": "dj"})


def test_a_known_variable_after_a_parameter_name_is_its_value():
    script = ("var size = 6; function load(page) { fetch('/api/list?catalog=djdt&pageIndex=' + page + '&pageSize=' + size)"
              ".then(function (r) { return r.json(); }).then(function (res) { res.data.records.forEach(show); }); }")
    [endpoint] = find_endpoints(script, PAGE)
    assert endpoint.url == SITE + "/api/list?catalog=djdt&pageSize=6&pageIndex=1"


def test_a_graphql_query_is_paged_by_its_variables():
    script = """
      const QUERY = `query News($channel: String!, $page: Int!) { articles(channel: $channel, page: $page) { total } }`;
      let page = 1;
      function load() {
        fetch('/graphql', {method: 'POST', headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({query: QUERY, variables: {channel: 'dangjian', page: page, size: 6}})});
      }
    """
    [endpoint] = find_endpoints(script, PAGE)
    assert (endpoint.method, endpoint.body_format, endpoint.page_param) == ("POST", "json", "variables.page")
    url, method, form = next_endpoint_request(endpoint, 3)
    assert (url, method, form["variables"]) == (SITE + "/graphql", "POST", {"channel": "dangjian", "page": 3, "size": 6})
    assert form["query"].startswith("query News(")


def test_offset_parameter_steps_by_page_size():
    [endpoint] = find_endpoints("$.post('/s/q.do', {start: 0, limit: 25, t: 'news'}, fill);", PAGE)
    assert (endpoint.page_param, endpoint.page_start, endpoint.page_step) == ("start", 0, 25)
    assert next_endpoint_request(endpoint, 3)[2] == {"start": "50", "limit": "25", "t": "news"}


def test_record_range_moves_both_ends():
    script = """
      var q = {col: 1, unitid: 7741, webid: 2};
      $.ajax({url: '/mod/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15', type: 'POST', data: q,
              success: function (xml) { $(xml).find('record').each(put); }});"""
    [endpoint] = find_endpoints(script, PAGE)
    assert (endpoint.page_param, endpoint.page_start, endpoint.page_step, endpoint.range_end_param) == (
        "startrecord", 1, 45, "endrecord")
    assert endpoint.form == {"col": "1", "unitid": "7741", "webid": "2"}
    assert next_endpoint_request(endpoint, 2)[0] == SITE + "/mod/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"


def test_concatenated_page_url_outside_any_call():
    script = "function go(n) { loadInto('#box', ctx + '/col/more.jsp?colid=8&pno=' + n); }"
    [endpoint] = find_endpoints(script, PAGE)
    assert (endpoint.url, endpoint.page_param, endpoint.page_start) == (SITE + "/col/more.jsp?colid=8&pno=1",
                                                                       "pno", 1)


def test_endpoint_carries_the_url_template_its_script_builds_links_with():
    script = """
      function page(n) {
        $.post('/gov/dataproxy.do', {col: 1, columnid: 3301, pageNo: n}, function (res) {
          res.records.forEach(function (r) {
            $('#c').append('<p><a href="/gov/art/' + r.y + '/art_' + r.docid + '.html">' + r.t + '</a></p>');
          });
        }, 'json');
      }
      page(1);"""
    [endpoint] = find_endpoints(script, PAGE)
    assert endpoint.url_templates == (UrlTemplate(("/gov/art/", ("y",), "/art_", ("docid",), ".html")),)
    assert hash(endpoint) == hash(endpoint)  # usable as a set member and a request meta value
    body = json.dumps({"records": [{"y": 2024, "docid": 55, "t": "乡村振兴一线党旗红"}], "totalPage": 2},
                      ensure_ascii=False).encode()
    answer = endpoint_page(body, "application/json", PAGE, find_date, templates=endpoint.url_templates)
    assert answer.links == [Link(SITE + "/gov/art/2024/art_55.html", "乡村振兴一线党旗红", None, "endpoint")]


def test_endpoints_without_list_evidence_are_ignored():
    script = """
      $.get('/stat/visit.do', {siteId: 3, url: location.href});
      $.post('/member/login.do', {user: u, pwd: p}, function (r) { alert(r.msg); });
      $.ajax({url: '/count/click', data: {page: location.href, type: 1}});
      fetch('/api/ping');
      var t = '/a/b?x=' + y;
    """
    assert find_endpoints(script, PAGE) == []


def test_endpoint_without_page_parameter_counts_when_its_answer_is_iterated():
    [endpoint] = find_endpoints("$.getJSON('/home/hot.json', function (d) { d.forEach(add); });", PAGE)
    assert (endpoint.url, endpoint.page_param) == (SITE + "/home/hot.json", None)
    assert next_endpoint_request(endpoint, 1) == (SITE + "/home/hot.json", "GET", {})
    assert next_endpoint_request(endpoint, 2) is None


def test_malformed_scripts_do_not_raise():
    for script in ["$.ajax({url: '/x', data: {page: ", "fetch(", "axios.get(`/a/${", "$.post(')", "'a' + + 'b'",
                   "xhr.open(" + "(" * 300, "{{{{" * 50, ""]:
        find_endpoints(script, PAGE)
        script_links(page(f"<script>{script}</script>"), PAGE, find_date)


def test_requests_made_by_a_wrapper_are_read_at_each_call_of_it():
    script = """
      var gateway = { root: '/svc-gw', retries: 2 };
      function send(route, query) {
        return fetch(gateway.root + route, { method: 'POST', headers: {Accept: 'application/json'},
                                             body: JSON.stringify(query) }).then(function (r) { return r.json(); });
      }
      function columnPage(idx) {
        var box = document.getElementById('list');
        return send('/column/items', { pageIndex: idx, rows: 15, code: 'jcdj' }).then(function (res) {
          res.result.items.forEach(function (item) { box.appendChild(row(item)); });
          more.onclick = function () { columnPage(idx + 1); };
        });
      }
      columnPage(0);
      send('/user/login', { account: name, password: pwd });"""
    [endpoint] = find_endpoints(script, PAGE)
    assert endpoint == Endpoint(SITE + "/svc-gw/column/items", "POST", {"pageIndex": 0, "rows": 15, "code": "jcdj"},
                                "json", "pageIndex", 0, 1, "rows")
    assert next_endpoint_request(endpoint, 3) == (SITE + "/svc-gw/column/items", "POST",
                                                  {"pageIndex": 2, "rows": 15, "code": "jcdj"})


def test_wrapper_prefix_from_a_constant_and_api_functions_as_object_members():
    script = """
      const API_ROOT = '/open-api/v1';
      const get = (uri, query) => $.getJSON(API_ROOT + uri, query);
      const notices = {
        list: function (pageNo, kind) { return get('/notice/list', { pn: pageNo, kind: kind, ps: 20 }); },
        byYear(year) { return get('/notice/archive', { year: year }); },
      };
      notices.list(1, 'zbgz').done(function (d) { $.each(d.rows, add); });
      notices.byYear(2023);"""
    [endpoint] = find_endpoints(script, PAGE)
    assert (endpoint.url, endpoint.method, endpoint.page_param, endpoint.page_start) == (
        SITE + "/open-api/v1/notice/list?pn=1&kind=zbgz&ps=20", "GET", "pn", 1)
    assert next_endpoint_request(endpoint, 2)[0] == SITE + "/open-api/v1/notice/list?pn=2&kind=zbgz&ps=20"


def test_axios_clients_join_their_base_url():
    script = """
      const req = axios.create({ baseURL: '/cms-api/', timeout: 10000 });
      Vue.prototype.$req = req;
      req.post('/content/page', { current: 1, size: 10, siteId: 3 }).then(({ data }) => data.records.map(show));
      new Vue({ methods: { load() { this.$req.get('topic/list', { params: { page: 1, tag: 'xxjy' } }); } } });
      req.get('http://other.example.cn/feed/list', { params: { pageNum: 1 } });
      req({ url: '/content/search', method: 'post', data: { keyword: kw } });"""
    endpoints = {endpoint.url: endpoint for endpoint in find_endpoints(script, PAGE)}
    assert set(endpoints) == {SITE + "/cms-api/content/page", SITE + "/cms-api/topic/list?page=1&tag=xxjy",
                              "http://other.example.cn/feed/list?pageNum=1"}
    posted = endpoints[SITE + "/cms-api/content/page"]
    assert (posted.method, posted.body_format, posted.form, posted.page_param) == (
        "POST", "json", {"current": 1, "size": 10, "siteId": 3}, "current")


def test_jquery_wrapper_with_an_unknown_context_path_and_an_options_wrapper():
    script = """
      function callApi(u, d, cb) { $.ajax({url: ctxPath + u, data: d, type: 'post', dataType: 'json', success: cb}); }
      function request(opts) { return $.ajax({url: '/gov' + opts.url, type: opts.type, data: opts.data}); }
      callApi('/info/queryList.do', {curPage: 1, channelId: 'c7'}, function (res) { render(res.list); });
      callApi(path, {curPage: 1});
      request({url: '/xxgk/list', type: 'get', data: {pageIndex: 1, unit: 'jw'}});"""
    first_endpoint, second = find_endpoints(script, PAGE)
    assert (first_endpoint.url, first_endpoint.method, first_endpoint.form, first_endpoint.body_format) == (
        SITE + "/info/queryList.do", "POST", {"curPage": "1", "channelId": "c7"}, "form")
    assert (second.url, second.method, second.page_param) == (SITE + "/gov/xxgk/list?pageIndex=1&unit=jw",
                                                               "GET", "pageIndex")


def test_members_of_the_same_name_are_told_apart_by_their_object():
    script = """
      const http = axios.create({ baseURL: '/mh' });
      const policyApi = { page(form) { return http.post('/policy/page', form); } };
      const eventApi = { page: (form) => http.post('/event/page', form) };
      const cache = { page(key) { return store[key]; } };
      eventApi.page({ pageNum: 1, pageSize: 6, area: 'xq' });
      policyApi.page({ pageNum: 1, pageSize: 9 });
      page({ pageNum: 1 });"""
    assert {(endpoint.url, tuple(endpoint.form.items())) for endpoint in find_endpoints(script, PAGE)} == {
        (SITE + "/mh/event/page", (("pageNum", 1), ("pageSize", 6), ("area", "xq"))),
        (SITE + "/mh/policy/page", (("pageNum", 1), ("pageSize", 9))),
    }


def test_wrappers_without_list_calls_and_non_wrappers_yield_nothing():
    script = """
      function post(path, payload) { return fetch(path, {method: 'POST', body: JSON.stringify(payload)}); }
      function track(evt, data) { navigator.sendBeacon('/log', JSON.stringify({e: evt, d: data})); }
      post('/member/login', {user: u, pwd: p});
      post(currentPath, {pageNo: 1});
      track('view', {page: 1});
      var map = new Map(); map.get('k');"""
    assert find_endpoints(script, PAGE) == []


# --- endpoint answers -----------------------------------------------------------------------------


def test_json_answer_records_totals_and_templates():
    body = json.dumps({"code": 0, "data": {"total": 57, "pages": 4, "list": [
        {"id": 8001, "title": "党支部书记述职评议会", "createTime": 1700000000000, "cover": "/up/1.jpg"},
        {"id": 8000, "title": "党员先锋岗授牌仪式", "createTime": "2023-11-10"},
    ]}}, ensure_ascii=False).encode("utf-8")
    answer = endpoint_page(body, "application/json;charset=UTF-8", PAGE, find_date,
                           templates=(UrlTemplate(("/dj/detail/", ("id",), ".html")),))
    assert answer.links == [
        Link(SITE + "/dj/detail/8001.html", "党支部书记述职评议会", "2023-11-14T22:13:20+00:00", "endpoint"),
        Link(SITE + "/dj/detail/8000.html", "党员先锋岗授牌仪式", "2023-11-10", "endpoint"),
    ]
    assert (answer.total_pages, answer.total_records) == (4, 57)


def test_an_answer_whose_link_header_names_the_next_page_is_followed_there():
    body = json.dumps([{"title": "机关党支部开展主题党日活动", "link": "/djb/gzdt/202106/30984/", "date": "2021-06-04"}],
                      ensure_ascii=False).encode("utf-8")
    header = (f'<{SITE}/api/posts/?category=dj&page=1>; rel="first", '
              f'<{SITE}/api/posts/?category=dj&page=2>; rel="next", <{SITE}/api/posts/?category=dj&page=4>; rel="last"')
    answer = endpoint_page(body, "application/json", PAGE, find_date, headers={"Link": header})
    assert answer.next_link == SITE + "/api/posts/?category=dj&page=2"
    assert endpoint_page(body, "application/json", PAGE, find_date, headers={"Link": f'<{SITE}/a>; rel="prev"'}
                         ).next_link is None
    endpoint = Endpoint(SITE + "/api/posts/?category=dj", next_url=answer.next_link)
    assert next_endpoint_request(endpoint, 2) == (SITE + "/api/posts/?category=dj&page=2", "GET", {})


def test_a_load_more_by_the_last_rows_id_asks_after_each_answers_last_record():
    script = """$('#more').on('click', function () {
      var lastId = $('#list').children('li').last().attr('data-id');
      $.getJSON('/api/news/more', {channel: 'djpd', lastId: lastId, size: 6}, function (res) {
        $.each(res.data, function (i, item) { $('#list').append('<li>' + item.title + '</li>'); });
      });
    });"""
    [endpoint] = find_endpoints(script, PAGE)
    assert (endpoint.url, endpoint.keyset_param) == (SITE + "/api/news/more?channel=djpd&size=6", "lastId")
    rows = [{"id": 72538, "title": "社区党委开展主题党日活动", "url": "/djpd/2021/0525/72538.html"},
            {"id": 70211, "title": "机关党支部召开组织生活会", "url": "/djpd/2021/0518/70211.html"}]

    def answer(more: bool):
        body = json.dumps({"code": 0, "hasMore": more, "data": rows}, ensure_ascii=False).encode("utf-8")
        return endpoint_page(body, "application/json", PAGE, find_date, keyset=endpoint.keyset_param)

    assert answer(True).next_cursor == ("lastId", "70211")
    assert answer(False).next_cursor is None
    following = replace(endpoint, cursor=answer(True).next_cursor)
    assert next_endpoint_request(following, 2)[0] == SITE + "/api/news/more?channel=djpd&size=6&lastId=70211"


def test_a_click_handler_on_tabs_asks_for_each_tabs_own_list():
    html = """<ul class="year-tab"><li data-year="2021" class="on">2021年</li><li data-year="2020">2020年</li>
      <li data-year="2019">2019年</li></ul><div id="yearList"></div>"""
    script = """$(function () {
      $('.year-tab li').on('click', function () {
        var $tab = $(this), year = $tab.data('year');
        $.get('/dgw/djdt/yearList.jsp', { year: year }, function (html) { $('#yearList').html(html); });
      });
      $('.photo').click(function () { $('#big').attr('src', $(this).attr('data-big')); });
    });"""
    urls = [endpoint.url for endpoint in page_endpoints(script, page(html), PAGE)]
    assert sorted(urls) == [SITE + "/dgw/djdt/yearList.jsp"] + [
        SITE + f"/dgw/djdt/yearList.jsp?year={year}" for year in (2019, 2020, 2021)]


def test_a_spa_reads_its_api_base_and_parameters_from_a_config_file_and_its_urls_from_a_route_table():
    config = "window.__CONFIG__ = { apiBase: '/prod-api', siteId: 3, catalogs: { news: 12 } };"
    app = """(function () {
      var config = window.__CONFIG__ || {};
      var http = axios.create({ baseURL: config.apiBase, timeout: 10000 });
      var routes = [{ path: '/news/:contentId.html', name: 'NewsDetail' }];
      new Vue({ data: { pageNum: 1 }, methods: { load: function () { var vm = this;
        http.get('/cms/content/list', { params: { siteId: config.siteId, catalogId: config.catalogs.news,
                                                  pageNum: vm.pageNum } }).then(function (res) { vm.rows = res.data.rows; });
      } } });
    })();"""
    assert find_endpoints(app, PAGE) == []  # the base is not known yet: nothing is asked at the site's root
    [endpoint] = find_endpoints(config + "\n" + app, PAGE)
    assert (endpoint.url, endpoint.page_param) == (SITE + "/prod-api/cms/content/list?siteId=3&catalogId=12&pageNum=1",
                                                   "pageNum")
    body = json.dumps({"rows": [{"contentId": 688154, "title": "新区党群工作部开展主题党日活动"}]},
                      ensure_ascii=False).encode("utf-8")
    answer = endpoint_page(body, "application/json", PAGE, find_date, templates=endpoint.url_templates)
    assert [link.url for link in answer.links] == [SITE + "/news/688154.html"]


def test_spa_answer_with_records_linked_by_the_bundle_or_by_their_own_link():
    bundle = """
      var http = axios.create({ baseURL: '/dj-api' });
      function getArticles(data) { return http.post('/article/page', data); }
      function toDetail(row) { return row.linkUrl || "/article/".concat(row.articleId, ".html"); }
      getArticles({ current: 1, size: 12, columnId: 44 }).then(function (res) { list = res.data.records; });"""
    [endpoint] = find_endpoints(bundle, PAGE)
    assert (endpoint.url, endpoint.page_param, endpoint.body_format) == (SITE + "/dj-api/article/page", "current",
                                                                         "json")
    assert endpoint.url_templates == (UrlTemplate(("/article/", ("articleId",), ".html")),)
    body = json.dumps({"code": 0, "msg": "ok", "data": {"records": [
        {"articleId": 9021, "title": "党员冬训工作部署会召开", "publishDate": "2024-01-05", "linkUrl": "",
         "coverUrl": "/upload/c/9021.jpg"},
        {"articleId": 9020, "title": "转载：基层治理典型经验", "linkUrl": "https://news.example.org/2024/n_88.html"},
        {"articleId": 9019, "title": "外链：理论学习专栏", "jumpUrl": "https://theory.example.net/zt/xuexi/"},
    ], "total": 37, "size": 12, "current": 1, "pages": 4}}, ensure_ascii=False).encode()
    answer = endpoint_page(body, "application/json", PAGE, find_date, templates=endpoint.url_templates)
    assert answer.links == [
        Link(SITE + "/article/9021.html", "党员冬训工作部署会召开", "2024-01-05", "endpoint"),
        Link("https://news.example.org/2024/n_88.html", "转载：基层治理典型经验", None, "endpoint"),
        Link("https://theory.example.net/zt/xuexi/", "外链：理论学习专栏", None, "endpoint"),
    ]
    assert (answer.total_pages, answer.total_records) == (4, 37)


def test_jsonp_answer_in_gbk():
    body = 'jQuery1720({"totalPage":"9","rows":[{"t":"干部作风建设年动员","u":"/zf/3.htm"}]});'.encode("gbk")
    answer = endpoint_page(body, "text/javascript; charset=gbk", PAGE, find_date)
    assert answer.links == [Link(SITE + "/zf/3.htm", "干部作风建设年动员", None, "endpoint")]
    assert answer.total_pages == 9


def test_xml_answer_with_child_records_and_cdata_markup():
    body = """<?xml version="1.0" encoding="UTF-8"?>
      <result><pagecount>3</pagecount><totalcount>25</totalcount>
        <item><biaoti>两新组织党建工作交流</biaoti><lianjie>/lx/2024/12.html</lianjie><fbsj>2024-02-02</fbsj></item>
        <item><![CDATA[<li><a href="/lx/2024/11.html">社区党群服务中心开放</a><span>2024-01-30</span></li>]]></item>
      </result>""".encode()
    answer = endpoint_page(body, "text/xml", PAGE, find_date)
    assert answer.links == [
        Link(SITE + "/lx/2024/12.html", "两新组织党建工作交流", "2024-02-02", "endpoint"),
        Link(SITE + "/lx/2024/11.html", "社区党群服务中心开放", "2024-01-30", "endpoint"),
    ]
    assert (answer.total_pages, answer.total_records) == (3, 25)


def test_html_fragment_answer_and_junk():
    body = '<ul><li><a href="/wm/6.html">文明单位创建经验</a> <span>2022-05-06</span></li></ul>'.encode()
    assert endpoint_page(body, "text/html", PAGE, find_date).links == [
        Link(SITE + "/wm/6.html", "文明单位创建经验", "2022-05-06", "endpoint")]
    assert endpoint_page(b"\x00\x01\x02\xff" * 20, None, PAGE, find_date).links == []
    assert endpoint_page(b'{"ok": true', "application/json", PAGE, find_date).links == []


# --- a busy page -------------------------------------------------------------------------------


ORDINARY_SCRIPTS = [
    "var _paq = window._paq || []; _paq.push(['trackPageView']); (function () { var u = '//tj.example.cn/';"
    " _paq.push(['setSiteId', '{n}']); var g = document.createElement('script'); g.src = u + 'p.js'; })();",
    "$(function () { $('.nav li').hover(function () { $(this).addClass('on'); }, function () {"
    " $(this).removeClass('on'); }); $('#tab{n} a').click(function () { return false; }); });",
    "function setFont(size) { document.getElementById('zoom').style.fontSize = size + 'px'; } var v{n} = 1;",
    "var shareConf = {title: document.title, pic: '/images/share{n}.png', url: location.href, site: '党建网'};",
    "document.write('<div class=\"foot\">版权所有 党建网 备案号{n}</div>');",
]


def list_page_with_scripts(variant: int) -> lxml.html.HtmlElement:
    """A list page as they come: twenty inline scripts, three of them holding the list (a state object, a
    datastore, an endpoint call), the rest page furniture; thirty clickable rows."""
    state = json.dumps({"list": [{"title": f"第{n}条党建要闻标题{variant}", "url": f"/yw/{variant}/{n}.html",
                                  "date": f"2024-01-{n % 28 + 1:02d}"} for n in range(20)]}, ensure_ascii=False)
    records = "".join(f'<record><![CDATA[<li><a href="/tz/{variant}/{n}.html">第{n}条通知公告标题</a>'
                      f"<span>2024-02-{n % 28 + 1:02d}</span></li>]]></record>" for n in range(20))
    scripts = [f"window.__STATE__ = {state};", f'<datastore><recordset>{records}</recordset></datastore>',
               f"$.ajax({{url: '/api/list{variant}', data: {{page: 1, size: 20}}, success: function (r) {{"
               f" $.each(r.rows, function (i, d) {{ $('#l').append('<li><a href=\"/d/' + d.id + '.html\">'"
               f" + d.t + '</a></li>'); }}); }}}});"]
    scripts += [ORDINARY_SCRIPTS[n % len(ORDINARY_SCRIPTS)].replace("{n}", f"{variant}{n}") for n in range(17)]
    blocks = "".join(f'<script type="text/xml">{text}</script>' if text.startswith("<datastore")
                     else f"<script>{text}</script>" for text in scripts)
    rows = "".join(f"<li onclick=\"location.href='/c/{variant}/{n}.html'\">栏目条目{n}<i>2024-03-01</i></li>"
                   for n in range(30))
    return page(f"<ul>{rows}</ul>{blocks}")


def test_a_list_page_with_twenty_scripts_yields_exactly_its_lists():
    """Its cost is measured by the crawl benchmark (`make bench`), not here: timings do not belong in tests."""
    for root in [list_page_with_scripts(variant) for variant in range(3)]:
        assert len(script_links(root, PAGE, find_date)) == 40
        assert len(clickable_links(root, PAGE, find_date)) == 30
        assert sum(len(find_endpoints(script.text, PAGE)) for script in root.iter("script")) == 1


JS_PIECES = ["$.ajax({", "url:", "ctx", "$.get(", "'/a/list.do?page='", "+", "n", "})", "fetch(", "axios.post(", "JSON.parse('",
             '{"rows": [', "{title: '党建工作会议召开', url: '/x/1.html'}", "]", "`", "${d.id}", "<![CDATA[",
             "<li><a href=\"/y/2.html\">", "]]>", "\\", "'", '"', "/*", "*/", "//", "(", ")", "[", "{", ";", "\n",
             "location.href=", "window.open(", "xhr.open('POST', ", "data: {pn: 0}", "JSON.stringify(", ",",
             "function send(u, d) {", "send('/n/list', {pageNo: 1})", "send(", "u", "d", "=>", "const http =",
             "axios.create({baseURL: '/b'})", "http.post(", "'/c/'.concat(", "x.y"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(JS_PIECES), max_size=40))
def test_no_script_text_makes_the_readers_raise(pieces):
    script = " ".join(pieces)
    for endpoint in find_endpoints(script, PAGE):
        next_endpoint_request(endpoint, 2)
    script_links(page(f"<script>{script}</script>"), PAGE, find_date)
    endpoint_page(script.encode(), None, PAGE, find_date)
    root = page(f"<div onclick=\"{html.escape(script)}\">x</div>")
    clickable_links(root, PAGE, find_date)


# --- JSONP, conditionals and cursors ----------------------------------------------------------------


def test_a_jquery_jsonp_placeholder_is_given_a_callback_and_its_answer_unwrapped():
    [endpoint] = find_endpoints("function load(p) { $.getJSON('/api/news.jsp?callback=?&col=12&page=' + p, "
                                "function (res) { $.each(res.list, add); }); } load(1);", PAGE)
    url, method, _ = next_endpoint_request(endpoint, 2)
    assert (url, method) == (SITE + "/api/news.jsp?callback=jsonpCallback&col=12&page=2", "GET")
    body = b'jsonpCallback({"list": [{"url": "/content/7.shtml", "title": "\xe5\x85\x9a\xe6\x97\x97\xe5\x9c\xa8\xe4\xb8\x80\xe7\xba\xbf\xe9\xa3\x98\xe6\x89\xac"}], "pages": 3})'
    answer = endpoint_page(body, "application/javascript", PAGE, find_date)
    assert [link.url for link in answer.links] == [SITE + "/content/7.shtml"] and answer.total_pages == 3


def test_a_url_built_with_a_conditional_is_read_in_the_pages_starting_state():
    script = """
      var next = null;
      function load() {
        var url = '/api/v2/articles?channel=dj' + (next ? '&cursor=' + encodeURIComponent(next) : '');
        fetch(url).then(function (r) { return r.json(); }).then(function (d) { d.items.forEach(show); });
      }
      load();"""
    [endpoint] = find_endpoints(script, PAGE)
    assert endpoint.url == SITE + "/api/v2/articles?channel=dj"


def test_an_answer_naming_its_next_cursor_asks_for_the_batch_after_it():
    [endpoint] = find_endpoints("fetch('/api/feed?ch=1').then(r => r.json()).then(d => d.items.forEach(show));", PAGE)
    body = json.dumps({"items": [{"url": "/n/1.html", "title": "基层党建工作推进会召开"}],
                       "next_cursor": "eyJpZCI6MX0"}).encode()
    answer = endpoint_page(body, "application/json", PAGE, find_date)
    assert answer.next_cursor == ("cursor", "eyJpZCI6MX0")
    following = Endpoint(endpoint.url, cursor=answer.next_cursor)
    assert next_endpoint_request(following, 2) == (SITE + "/api/feed?ch=1&cursor=eyJpZCI6MX0", "GET", {})
    last = endpoint_page(json.dumps({"items": [], "nextPageToken": None}).encode(), "application/json", PAGE,
                         find_date)
    assert last.next_cursor is None
    token = endpoint_page(json.dumps({"data": {"rows": [], "nextPageToken": "t2"}}).encode(), None, PAGE, find_date)
    assert token.next_cursor == ("pageToken", "t2")


def test_a_list_plugin_pages_its_data_proxy_in_groups_after_the_records_the_page_shows():
    script = ("var columnId = 77;\n$(function(){ $('#list77').jpage({ dataStore: $('#list77 script').text(), "
              "totalRecord: 40, perPage: 10, groupSize: 2, proxyUrl: '/module/web/jpage/dataproxy.jsp', "
              "ajaxParam: { col: 1, webid: 3, columnid: columnId, unitid: 512, path: '/' } }); });")
    (endpoint,) = plugin_endpoints(script, PAGE, shown=20)
    assert next_endpoint_request(endpoint, 1) == (
        SITE + "/module/web/jpage/dataproxy.jsp?startrecord=21&endrecord=40&perpage=10", "POST",
        {"col": "1", "webid": "3", "columnid": "77", "unitid": "512", "path": "/"})
    assert next_endpoint_request(endpoint, 2)[0] == SITE + "/module/web/jpage/dataproxy.jsp?startrecord=41&endrecord=60&perpage=10"
    assert plugin_endpoints(script.replace("proxyUrl: '/module/web/jpage/dataproxy.jsp', ", ""), PAGE, 20) == []


def test_a_function_from_a_script_file_builds_the_article_url_from_parts_of_its_arguments():
    script = ("function showArticle(ym, d, id) {\n"
              "  var u = '/xwzx/' + ym.substring(0, 4) + '/' + ym.substr(4, 2) + d.slice(0, 2) + '/c' + id + '.shtml';\n"
              "  window.open(u);\n}")
    root = page('<a href="javascript:;" onclick="showArticle(\'202106\',\'04\',\'777\')">某支部学习会</a>')
    anchor = next(root.iter("a"))
    assert element_target(anchor, PAGE) is None  # the file not read yet: nowhere knowable
    assert element_target(anchor, PAGE, scripts=[script]) == SITE + "/xwzx/2021/0604/c777.shtml"


def test_what_a_script_reads_from_the_page_elements_is_the_page_value():
    root = page('<div id="box" data-url="/api/list?col=3"></div><a id="more" href="list_2.html">更多</a>',
                head='<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts?categories=7">')
    script = ("var api = document.querySelector('link[rel=\"alternate\"][type=\"application/json\"]').href;"
              "var feed = $('#box').data('url'); var raw = document.getElementById('more').getAttribute('href');"
              "var none = document.querySelector('.missing').href;")
    assert with_dom_reads(script, root, PAGE) == (
        f'var api = "{SITE}/wp-json/wp/v2/posts?categories=7";var feed = "/api/list?col=3"; var raw = "list_2.html";'
        "var none = document.querySelector('.missing').href;")


def test_a_bare_array_answer_pages_by_its_headers_and_its_titles_may_be_rendered_objects():
    answer = json.dumps([{"id": n, "link": f"{SITE}/archives/{n}", "date": "2021-06-04T09:00:00",
                          "title": {"rendered": f"某支部开展主题党日活动第{n}期"}} for n in (3, 4)]).encode()
    found = endpoint_page(answer, "application/json", PAGE, find_date, headers={"X-WP-TotalPages": "4", "X-WP-Total": "21"})
    assert [(link.url, link.text) for link in found.links] == [
        (f"{SITE}/archives/3", "某支部开展主题党日活动第3期"), (f"{SITE}/archives/4", "某支部开展主题党日活动第4期")]
    assert (found.total_pages, found.total_records) == (4, 21)


def test_nuxt_axios_data_calls_are_list_endpoints():
    chunk = ('asyncData:function(t){var e=t.$axios,n=t.query;return e.$get("/prod-api/portal/news/list",'
             '{params:{channelId:12,pageNum:n.page||1,pageSize:10}}).then(function(t){return{list:t.rows}})},'
             'methods:{goDetail:function(t){this.$router.push("/news/detail/"+t.id)}}')
    (endpoint,) = find_endpoints(chunk, PAGE)
    assert (endpoint.method, endpoint.page_param, endpoint.page_size_param) == ("GET", "pageNum", "pageSize")
    assert next_endpoint_request(endpoint, 2)[0] == SITE + "/prod-api/portal/news/list?channelId=12&pageSize=10&pageNum=2"
    assert endpoint.url_templates == (UrlTemplate(("/news/detail/", ("id",))),)


def test_a_server_rendered_state_gives_its_records_with_the_urls_the_script_files_build():
    state = ('window.__NUXT__=(function(a,b,c){return {layout:"default",data:[{list:['
             '{id:4990,title:"某村党支部开展主题党日活动",publishTime:"2021-06-03 13:24:00",isLink:b,linkUrl:c,channelId:a},'
             '{id:17,title:"区委党校举办青年干部培训班",publishTime:"2021-06-01 09:00:00",isLink:b,linkUrl:c,channelId:a}'
             '],total:19}]}}(12,!1,""));')
    root = page(f"<div id='__nuxt'></div><script>{state}</script>")
    unlinked: list[dict] = []
    assert script_links(root, PAGE, find_date, unlinked=unlinked) == []
    assert [record["id"] for record in unlinked] == [4990, 17]  # headlines whose URL no script read so far builds
    chunk = 'methods:{goDetail:function(t){t.isLink?window.open(t.linkUrl):this.$router.push("/news/detail/"+t.id)}}'
    assert [(link.url, link.date_text) for link in script_links(root, PAGE, find_date, scripts=[chunk])] == [
        (SITE + "/news/detail/4990", "2021-06-03 13:24:00"), (SITE + "/news/detail/17", "2021-06-01 09:00:00")]


def test_a_custom_element_fetches_the_list_its_page_attributes_name_and_pages_it_once():
    element_js = ("class NewsBox extends HTMLElement {\n connectedCallback() { this.page = 1; this.load(1);\n"
                  "  this.querySelector('.more').onclick = () => this.load(this.page + 1); }\n"
                  " load(page) { const size = parseInt(this.dataset.pageSize, 10) || 10;\n"
                  "  fetch(this.getAttribute('data-src') + '&page=' + page + '&size=' + size).then((r) => r.json())\n"
                  "   .then((data) => data.items.forEach((item) => this.add('/content/' + item.id + '.html'))); } }\n"
                  "customElements.define('news-box', NewsBox);")
    html = '<html><body><news-box data-src="/api/list?col=7" data-page-size="6"></news-box></body></html>'
    read = with_element_reads(element_js, html)
    assert 'fetch("/api/list?col=7" +' in read and 'parseInt("6", 10)' in read
    (endpoint,) = find_endpoints(read, PAGE)  # the call with the next page's number is the same endpoint
    assert (endpoint.page_param, next_endpoint_request(endpoint, 2)[0]) == ("page", SITE + "/api/list?col=7&page=2")
    assert with_element_reads(element_js, "<html><body></body></html>") == element_js


def test_a_column_that_writes_its_data_file_and_pager_from_its_own_address():
    shell = ("<ul><script>var p = parseInt((location.search.match(/[?&]p=(\\d+)/) || [0, 1])[1], 10);\n"
             "document.write('<script src=\"/data/dwgk_' + p + '.js\"><\\/script>');</script>"
             "<script>for (var i = 0; i < news.length; i++) { var d = news[i];"
             " document.write('<li><a href=\"/dwgk/' + d.id + '.html\">' + d.title + '</a></li>'); }</script></ul>"
             "<div class='pg'><script>if (p < total) { document.write('<a href=\"list.html?p=' + (p + 1) + '\">下一页</a>'); }"
             "</script></div>")
    data = 'var total = 2;\nvar news = [{"id": "77", "title": "某支部开展主题党日活动", "date": "2021-06-04"}];'
    first, second = page(shell), page(shell)
    assert script_sources(first, PAGE) == [SITE + "/data/dwgk_1.js"]
    assert script_sources(second, PAGE + "?p=2") == [SITE + "/data/dwgk_2.js"]
    links = script_links(first, PAGE, find_date, scripts=[data])
    assert {(link.url, link.text) for link in links} == {
        (SITE + "/dwgk/77.html", "某支部开展主题党日活动"), (SITE + "/zzjs/lanmu/list.html?p=2", "下一页")}
    last = script_links(second, PAGE + "?p=2", find_date, scripts=[data])  # p < total fails on the last page
    assert [link.text for link in last] == ["某支部开展主题党日活动"]


def test_a_list_request_whose_token_another_request_answers_asks_that_request_first():
    script = ("$(function () { var accessToken = '';\n function load(page) { $.ajax({ url: '/api/list', "
              "data: { col: 'dwgk', page: page, access_token: accessToken }, success: function (res) {"
              " $.each(res.rows, function (i, item) { show('/a/' + item.id + '.html'); }); } }); }\n"
              " $.getJSON('/api/auth', { app: 'portal' }, function (res) { accessToken = res.data.value;\n load(1); });\n});")
    (endpoint,) = find_endpoints(script, PAGE)
    token = endpoint.token
    assert (token.url, token.method, token.path, token.param) == (SITE + "/api/auth?app=portal", "GET",
                                                                  ("data", "value"), "access_token")
    value = token_value(json.dumps({"data": {"value": "a1b2"}}).encode(), token)
    asked = with_token(endpoint, value)
    assert asked.token is None and next_endpoint_request(asked, 2)[0] == SITE + "/api/list?col=dwgk&page=2&access_token=a1b2"
    assert token_value(b'{"data": {}}', token) is None
