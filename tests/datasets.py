"""The test and benchmark data sets kept in the repository (see tests/data/*/ATTRIBUTION.md)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DRCD = DATA / "drcd-dev"
PUBMED = DATA / "pubmedqa-dev"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
HOSPITAL_GUIDE = SAMPLES / "kbchat-hospital-guide.pdf"

# From drcd-dev's qrels: the answer to this question is on page 6 of drcd-dev-000.pdf.
KNOWN_PDF = DRCD / "drcd-dev-000.pdf"
KNOWN_QUESTION, KNOWN_PAGE = "一任新北市長最多只能當多久除非連任？", 6
