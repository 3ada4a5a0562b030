"""Parts of the bundled demo site.  Each module here has:

    def build(site: "govaudit.demo.site.DemoSite") -> None

which adds pages with site.add_article(...), site.add_listing(...), site.add_raw(...)
(see govaudit/demo/site.py) and plants the defects its checks find.  Dates are
relative to site.as_of so that the demo reads the same whatever the audit date.
"""
