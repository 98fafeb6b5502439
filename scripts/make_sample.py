"""Write samples/kbchat-hospital-guide.pdf, the bilingual sample document for the README demo.

Run with the dev dependencies installed: ``.venv/bin/python scripts/make_sample.py``.
The hospital is fictional; the text is ours (Apache-2.0, like the code).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

PAGES = [
    (
        "門診服務 Outpatient services",
        [
            "本院門診時間為週一至週五上午八點至下午五點，週六上午八點至十二點。",
            "週日及國定假日休診，急診二十四小時開放。",
            "初診病人請攜帶健保卡與身分證明文件，至一樓掛號櫃檯辦理。",
            "可使用網路掛號、電話語音掛號或現場掛號；網路掛號可於七天前預約。",
            "Outpatient clinics open 8 am to 5 pm on weekdays, 8 am to noon on Saturday.",
            "First-time patients should bring their NHI card and an identity document.",
        ],
    ),
    (
        "住院與探病 Inpatient care and visiting",
        [
            "一般病房探病時間為每日上午十點至晚上八點，每位病人同時以兩位訪客為限。",
            "加護病房探病時間為上午十一點及晚上七點，每次三十分鐘。",
            "發燒或有呼吸道症狀的訪客請勿探病，進入病房前請以酒精乾洗手。",
            "Visitors are welcome from 10 am to 8 pm; intensive care visits are at 11 am and 7 pm.",
            "Visitors with fever or respiratory symptoms are asked not to visit.",
        ],
    ),
    (
        "檢查與用藥 Tests and medicines",
        [
            "抽血檢查前需空腹八小時，可以喝少量白開水。",
            "磁振造影（MRI）檢查前請移除所有金屬物品，裝有心律調節器者請先告知醫師。",
            "領藥請至一樓藥局，慢性病連續處方箋可於藥局或社區藥局領取。",
            "Fast for eight hours before a blood test; small sips of water are fine.",
            "Remove all metal before an MRI scan and tell the doctor about any pacemaker.",
        ],
    ),
]


def main() -> None:
    """Draw the three pages."""
    pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
    out = Path(__file__).resolve().parents[1] / "samples" / "kbchat-hospital-guide.pdf"
    pdf = canvas.Canvas(str(out), pagesize=A4)
    pdf.setTitle("kbchat sample hospital guide")
    for title, lines in PAGES:
        pdf.setFont("MSung-Light", 16)
        pdf.drawString(56, 780, title)
        y = 748
        for line in lines:
            pdf.setFont("MSung-Light" if not line.isascii() else "Helvetica", 10)
            pdf.drawString(56, y, line)
            y -= 20
        pdf.showPage()
    pdf.save()


if __name__ == "__main__":
    main()
