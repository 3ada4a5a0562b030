"""govaudit annual-report FILE_OR_URL."""

from __future__ import annotations

import http.server
import json
import sys
import threading
from pathlib import Path

import pytest

from govaudit.cli import main

DATA = Path(__file__).parent / "data"
REAL = DATA / "realpages" / "annual_reports"
sys.path.insert(0, str(DATA / "annual"))
from make_pdf import text_pdf  # noqa: E402


def _json(capsys, *argv: str) -> dict:
    assert main(["annual-report", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_html_file_json(capsys):
    out = _json(capsys, str(REAL / "pingtan_2024_annual_report.html"))
    assert out["owner"] == "平潭综合实验区" and out["year"] == 2024 and out["published"] == "2025-03-10"
    assert len(out["sections"]) == 6 and out["tables_found"] == ["二", "三", "四"]
    assert out["table3"]["total"] == [217, 1, 0, 0, 0, 0, 218]
    assert out["arithmetic"] == {"ok": True, "issues": []}
    assert "text" not in out


def test_text_file_reports_inconsistency(tmp_path, capsys):
    text = (REAL / "pingtan_2024_annual_report.txt").read_text(encoding="utf-8")
    broken = text.replace("（七）总计21710000218", "（七）总计21810000219")
    assert broken != text  # one more handled than received
    f = tmp_path / "r.txt"
    f.write_text(broken, encoding="utf-8")
    out = _json(capsys, str(f))
    assert out["arithmetic"]["ok"] is False
    rules = {(i["rule"], i["column"]) for i in out["arithmetic"]["issues"]}
    assert ("balance", "总计") in rules and ("result_total", "总计") in rules


def test_pdf_file_and_plain_output(tmp_path, capsys):
    f = tmp_path / "r.pdf"
    f.write_bytes(text_pdf(["某县人民政府2023年政府信息公开工作年度报告", "一、总体情况"]))
    assert main(["annual-report", str(f)]) == 0
    out = capsys.readouterr().out
    assert "某县人民政府" in out and "2023" in out


def test_url_is_fetched(capsys):
    body = (REAL / "shuyang_fgj_2023_annual_report.html").read_bytes()

    class H(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        out = _json(capsys, f"http://127.0.0.1:{srv.server_address[1]}/gknb/r.shtml")
    finally:
        srv.shutdown()
        srv.server_close()
    assert out["owner"] == "沭阳县发展和改革局" and out["published"] == "2024-01-17"
    assert out["table2"]["normative"] == [8, 0, 18]


@pytest.mark.parametrize("target, message", [
    ("/no/such/report.pdf", "no such file"),
    ("ftp://example.gov.cn/r.pdf", "not an http(s) URL"),
])
def test_bad_input(target, message, capsys):
    assert main(["annual-report", target]) == 2
    assert message in capsys.readouterr().err


def test_wrong_kind_and_broken_pdf(tmp_path, capsys):
    doc = tmp_path / "r.docx"
    doc.write_bytes(b"PK")
    assert main(["annual-report", str(doc)]) == 2
    assert "expected a" in capsys.readouterr().err
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"not a pdf")
    assert main(["annual-report", str(pdf)]) == 2
    assert "not a readable PDF" in capsys.readouterr().err
