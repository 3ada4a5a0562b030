"""Demo part: broken links (错链、断链) and the things that look broken but are not."""

from __future__ import annotations

from ..site import EXT, DemoSite, e

COLUMN = "通知公告"
COLUMN_PATH = "/xxgk/tzgg/index.html"


def build(site: DemoSite) -> None:
    d = site.day(3)
    links = [
        ("2025年度部门预算公开说明", "/xxgk/tzgg/202501/t20250105_404.html"),  # dead internal page (fixed in round 2)
        ("2026年度预算说明（PDF）", "/xxgk/uploads/2026年度预算说明.pdf"),  # dead attachment
        ("依申请公开申请表（Word）", "/xxgk/uploads/sqb.doc"),  # HEAD refused (405), GET works: not broken
        ("公开事项清单（Excel）", "/xxgk/uploads/qd.xlsx"),  # fine
        ("上级政府政策文件库", f"{EXT}/old/zcwj.html"),  # dead external link
        ("上级政府门户网站", f"{EXT}/index.html"),  # fine
        ("网上办事大厅", "/xxgk/loop/a.html"),  # redirect loop
        ("原政务公开目录", "/xxgk/moved.html"),  # redirect chain ending in 404
        ("原信息公开指南", "/xxgk/old-guide.html"),  # live redirect: not broken
        ("统计数据查询", "/xxgk/slow/tjsj.html"),  # timeout
        ("政务服务评价", "/xxgk/reset.html"),  # connection reset
        ("在线访谈", "/xxgk/error500.html"),  # HTTP 500
        ("省政务服务网", f"{EXT}/waf/protected.html"),  # WAF 412: blocked, not broken
        ("历史公开信息", "/xxgk/lsxx.html"),  # soft-404 (200 page saying it does not exist)
        ("市民热线", "http://127.0.0.3:9/"),  # connection refused
    ]
    if site.round >= 2:
        links.append(("新版公开目录", "/xxgk/xbml/index.html"))  # a new dead link in round 2
    body = "<p>为做好政府信息公开专栏日常检查，现将有关链接汇总如下：</p><ul>"
    body += "".join(f'<li><a href="{e(h)}">{e(t)}</a></li>' for t, h in links)
    body += "</ul>"
    body += ('<p>联系方式：<a href="mailto:gkb@example.gov.cn">gkb@example.gov.cn</a>，'
             '<a href="tel:0571-00000000">0571-00000000</a>，<a href="javascript:void(0)" onclick="window.print()">打印本页</a>，'
             '<a href="#top">返回顶部</a>，<a href="{{article.url}}">模板链接</a></p>')
    path = site.article_path("/xxgk/tzgg", d)
    site.add_article(path, title="关于开展政府信息公开专栏链接检查的通知", date=d, body_html=body, column=COLUMN,
                     column_path=COLUMN_PATH)
    site.add_home_item("关于开展政府信息公开专栏链接检查的通知", path, d)
    site.links_article = path  # type: ignore[attr-defined]

    # targets
    if site.round >= 2:
        site.add_article("/xxgk/tzgg/202501/t20250105_404.html", title="2025年度部门预算公开说明",
                         date=site.day(300), body_html="<p>本单位2025年度部门预算已按规定公开。</p>",
                         column=COLUMN, column_path=COLUMN_PATH)
    site.add_raw("/xxgk/uploads/sqb.doc", b"\xd0\xcf\x11\xe0" + b"0" * 2000, content_type="application/msword",
                 behaviour="head_refused")
    site.add_raw("/xxgk/uploads/qd.xlsx", b"PK\x03\x04" + b"0" * 2000,
                 content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    site.add_raw("/index.html", "<html><body><h1>上级政府门户网站</h1></body></html>", host="ext")
    site.add_behaviour("/xxgk/loop/a.html", "redirect_loop", location="/xxgk/loop/b.html")
    site.add_behaviour("/xxgk/loop/b.html", "redirect_loop", location="/xxgk/loop/a.html")
    site.add_behaviour("/xxgk/moved.html", "redirect", location="/xxgk/gone.html")
    site.add_behaviour("/xxgk/old-guide.html", "redirect", location="/xxgk/zn/index.html")
    site.add_raw("/xxgk/slow/tjsj.html", "<html><body>统计数据</body></html>", behaviour="slow", seconds=8)
    site.add_behaviour("/xxgk/reset.html", "reset")
    site.add_raw("/xxgk/error500.html", "<html><body>Internal Server Error</body></html>", status=500)
    site.add_behaviour("/waf/protected.html", "waf", host="ext")
    site.add_raw("/xxgk/lsxx.html", site.page(
        title="提示信息", body='<div class="error-box"><h2>提示信息</h2><p>对不起，您访问的页面不存在或已被删除！</p>'
                           '<p><a href="/xxgk/index.html">返回首页</a></p></div>'))
