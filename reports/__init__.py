"""Reports: render the 通报 (Word .docx and self-contained HTML) from a report model dict."""
