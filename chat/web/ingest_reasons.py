"""Why an upload was refused, in the persona's language: the knowledge base gives its
reasons in English (as the CLI prints them); the chat says them in Traditional Chinese to a
Chinese persona's users. A reason not listed here is shown as it came."""

from __future__ import annotations

import re

# (the English reason, as a pattern; its Chinese, with the pattern's groups)
_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), zh)
    for p, zh in [
        (r"^no such file$", "找不到這個檔案"),
        (r"^the file is empty$", "檔案是空的"),
        (
            r"^the file is ([\d.]+) MB, over the limit of (\d+) MB$",
            "檔案有 \\1 MB，超過上限 \\2 MB",
        ),
        (r"^not a PDF: the file is (.+)$", "不是 PDF：這個檔案是 \\1"),
        (r"^not a PDF file$", "不是 PDF 檔"),
        (r"^the PDF is truncated", "PDF 不完整（缺少檔案結尾），請上傳完整的檔案"),
        (r"^the PDF is encrypted with a password", "PDF 有密碼保護，請上傳沒有加密的版本"),
        (r"^the file is corrupt or not a valid PDF$", "檔案損毀，或不是有效的 PDF"),
        (r"^the PDF has no pages$", "PDF 沒有任何頁面"),
        (r"^the PDF has (\d+) pages, over the limit of (\d+)$", "PDF 有 \\1 頁，超過上限 \\2 頁"),
        (r"^the PDF is damaged and a page could not be read", "PDF 損毀，有一頁無法讀取"),
        (r"^parsing took longer than (\d+) s", "讀取超過 \\1 秒仍未完成，已停止（檔案可能有問題）"),
        (
            r"^parsing ran out of its memory or time limit",
            "讀取用盡記憶體或時間上限，已停止（檔案可能有問題）",
        ),
        (
            r"^the PDF has no text layer \(a scanned document\?\), and OCR is not installed",
            "PDF 沒有文字層（是掃描檔嗎？），而這台伺服器沒有安裝文字辨識（OCR）："
            "請管理員安裝 tesseract-ocr 與 tesseract-ocr-chi-tra",
        ),
        (
            r"^the PDF has no text layer, and OCR found no text",
            "PDF 沒有文字層，文字辨識（OCR）也沒有在掃描的頁面中找到文字",
        ),
        (
            r"^the PDF has (\d+) scanned pages to read by OCR, over the limit of (\d+)",
            "PDF 有 \\1 頁掃描頁面要做文字辨識（OCR），超過上限 \\2 頁；請分成較小的檔案",
        ),
        (r"^page (\d+) could not be read by OCR", "第 \\1 頁無法以文字辨識（OCR）讀取"),
        (
            r"^the PDF has no text layer",
            "PDF 沒有文字層（是掃描檔嗎？）：請先做文字辨識（OCR）再上傳",
        ),
        (
            r"^kbchat reads .+ files; (.+) is not one of them$",
            "kbchat 可讀取 PDF、Word（.docx）、Excel（.xlsx）、CSV、HTML、純文字（.txt）與 "
            "Markdown（.md）檔；\\1 不在其中",
        ),
        (r"^the document has no text$", "文件裡沒有文字"),
        (
            r"^not (?:a|an) (Word document|Excel workbook)(?: \(\.\w+\))?: the file is encrypted",
            "不是可讀的 Word 或 Excel 檔：檔案有密碼保護，或是舊的 .doc/.xls 格式；"
            "請另存一份沒有加密的 .docx 或 .xlsx",
        ),
        (
            r"^not a Word document(?: \(\.docx\))?: the file is (.+)$",
            "不是 Word 文件：這個檔案是 \\1",
        ),
        (
            r"^not an Excel workbook(?: \(\.xlsx\))?: the file is (.+)$",
            "不是 Excel 活頁簿：這個檔案是 \\1",
        ),
        (r"^not a CSV file: the file is (.+)$", "不是 CSV 檔：這個檔案是 \\1"),
        (r"^not an HTML page: the file is (.+)$", "不是 HTML 網頁：這個檔案是 \\1"),
        (r"^not a (?:text|Markdown) file: the file is (.+)$", "不是文字檔：這個檔案是 \\1"),
        (r"^the file is corrupt or not a valid Word document$", "檔案損毀，或不是有效的 Word 文件"),
        (
            r"^the file is corrupt or not a valid Excel workbook$",
            "檔案損毀，或不是有效的 Excel 活頁簿",
        ),
        (
            r"^the document unpacks to (\d+) MB, over the limit of (\d+) MB",
            "文件解壓縮後有 \\1 MB，超過上限 \\2 MB（可能是 ZIP 炸彈）",
        ),
        (
            r"^a part of the document unpacks to (\d+) times its size \((\d+) MB\), "
            r"over the limit of (\d+) times",
            "文件有一部分解壓縮後是原本的 \\1 倍（\\2 MB），超過上限 \\3 倍（可能是 ZIP 炸彈）",
        ),
        (
            r"^the workbook has more than (\d+) rows",
            "活頁簿超過 \\1 列的上限；請分成較小的檔案",
        ),
        (r"^the CSV file has more than (\d+) rows", "CSV 檔超過 \\1 列的上限；請分成較小的檔案"),
        (r"^the CSV file cannot be read at row (\d+)", "CSV 檔第 \\1 列無法讀取（格式有誤）"),
        (
            r"^the file is not text in any encoding",
            "檔案不是任何可辨識編碼的文字（是二進位檔嗎？）",
        ),
        (r"^the file holds binary data, not text$", "檔案是二進位資料，不是文字"),
        (r"^the same file is being ingested right now", "同一個檔案正在匯入中，請稍候"),
        (r"^could not store it", "無法儲存，什麼都沒有留下；請稍後再試"),
    ]
]


# What a file really is, as the knowledge base names it (formats/kinds.py, package.py).
_WHAT = {
    "a ZIP archive (an Office document such as .docx or .xlsx?)": (
        "ZIP 壓縮檔（.docx 或 .xlsx 之類的 Office 文件？）"
    ),
    "an old Office document (.doc or .xls) or an encrypted one": (
        "舊版 Office 文件（.doc 或 .xls）或加密的文件"
    ),
    "a ZIP archive of other files": "裝著其他檔案的 ZIP 壓縮檔",
    "a Word document (.docx)": "Word 文件（.docx）",
    "an Excel workbook (.xlsx)": "Excel 活頁簿（.xlsx）",
    "a PowerPoint presentation (.pptx)": "PowerPoint 簡報（.pptx）",
    "binary data, not text": "二進位資料，不是文字",
    "a PNG image": "PNG 圖片",
    "a JPEG image": "JPEG 圖片",
    "a GIF image": "GIF 圖片",
    "an RTF document": "RTF 文件",
    "a program (ELF)": "程式檔（ELF）",
    "a Windows program": "Windows 程式檔",
    "a gzip archive": "gzip 壓縮檔",
    "a PDF": "PDF 檔",
}


def ingest_reason(reason: str, locale: str) -> str:
    """The reason an upload was refused, in the persona's language."""
    if not locale.startswith("zh"):
        return reason
    for pattern, chinese in _REASONS:
        if match := pattern.search(reason):
            said = match.expand(chinese)
            for english, what in _WHAT.items():  # longest first: "a PDF" last
                said = said.replace(english, what)
            return said
    return reason
