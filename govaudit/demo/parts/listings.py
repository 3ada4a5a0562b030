"""Demo part: listing pages in the real CMS styles (TRS createPageHTML, Hanweb
<datastore>, plain <a> pagers) and GBK-encoded pages, all fresh and correct."""

from __future__ import annotations

from ..site import DemoSite

NEWS_TITLES = [
    "县政府召开第{n}次常务会议", "县领导调研乡村振兴重点项目", "示范县举行政务公开日活动",
    "县政务服务中心推出“周末不打烊”服务", "县召开安全生产工作部署会", "县开展防汛应急演练",
    "县政府信息公开工作培训会召开", "县举办民营企业座谈会",
]


def build(site: DemoSite) -> None:
    # 工作动态: TRS list, createPageHTML pager, 3 pages, newest item 2 days old
    col, col_path, col_dir = "工作动态", "/xxgk/gzdt/index.html", "/xxgk/gzdt"
    items = []
    for i in range(23):
        d = site.day(2 + i * 4)
        title = NEWS_TITLES[i % len(NEWS_TITLES)].format(n=40 - i) + ("" if i < len(NEWS_TITLES) else f"（{i}）")
        enc = "gbk" if i in (1, 2) else "utf-8"
        path = site.article_path(col_dir, d)
        site.add_article(path, title=title, date=d, column=col, column_path=col_path, column_type="动态",
                         body_html=f"<p>{d.month}月{d.day}日，{title}。会议强调，要扎实做好各项工作，"
                                   "确保政务公开工作取得实效。</p>",
                         encoding=enc,
                         header_charset=(i != 2),  # GBK page 1: charset only in the header
                         meta_charset=(i != 1))  # GBK page 2: charset only in <meta>
        items.append((title, path.replace(col_dir, "."), d))
        if i < 3:
            site.add_home_item(title, path, d)
    site.add_listing(col_path, column=col, items=items, style="trs", per_page=10, column_type="动态")

    # 公示公告: Hanweb jpage list with <datastore> records (column /col/col379801/), 24 records
    col, col_path = "公示公告", "/col/col379801/index.html"
    items = []
    for i in range(24):
        d = site.day(10 + i * 6)
        title = f"关于示范县2026年第{24 - i}批公共资源交易项目的公示"
        path = f"/art/{d.year}/{d.month}/{d.day}/art_379801_{site.next_id()}.html"
        site.add_article(path, title=title, date=d, column=col, column_path=col_path, column_type="通知公告",
                         body_html="<p>根据有关规定，现将项目情况予以公示，公示期为5个工作日。</p>")
        items.append((title, path, d))
    # the page embeds 15 records; the other 9 come from POST /module/web/jpage/dataproxy.jsp
    site.add_listing(col_path, column=col, items=items, style="hanweb", column_type="通知公告", hanweb_embed=15)

    # 人事信息: plain <a> pager, 2 pages, newest 100 days old (fresh: the limit is 1 year)
    col, col_path, col_dir = "人事信息", "/xxgk/rsxx/index.html", "/xxgk/rsxx"
    items = []
    for i in range(12):
        d = site.day(100 + i * 25)
        title = f"示范县2026年公开招聘事业单位工作人员公告（{12 - i}）"
        path = site.article_path(col_dir, d)
        site.add_article(path, title=title, date=d, column=col, column_path=col_path, column_type="人事",
                         body_html="<p>根据工作需要，经研究决定公开招聘工作人员，现将有关事项公告如下。</p>")
        items.append((title, path.replace(col_dir, "."), d))
    site.add_listing(col_path, column=col, items=items, style="plain", per_page=10, column_type="人事")
