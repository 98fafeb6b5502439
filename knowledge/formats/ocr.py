"""Reading scanned PDF pages (in the parsing worker): each rendered by PDFium at 200 dpi in
grayscale and read by the ``tesseract`` program, two pages at a time.

200 dpi, not the 300 often advised: on the scanned dev sets Tesseract's LSTM models read
Chinese better from 200 dpi images (character accuracy 0.984 against 0.971) and English as
well (0.999), in 12-18 % less time (bench/scanned.py, docs/benchmarks.md).

Tesseract is called as a program rather than through pytesseract: that is all pytesseract
does, through temporary files, and the program's absence is then one clear case
(docs/decisions.md). Each page is read with Traditional Chinese alone (``chi_tra``, 40 %
faster than ``chi_tra+eng`` on Chinese) while the document's pages come out mostly Han;
otherwise with ``chi_tra+eng``, which reads English almost as fast as ``eng`` does and still
reads Chinese. The first pages' languages come from Tesseract's script detection (OSD, about
a second) on the first scanned page: Han starts with ``chi_tra``, anything else with both. A
wrong guess costs only time: a page read as Chinese that comes out mostly non-Han is read
again with both. Characters are kept as Tesseract reads them: Traditional is never converted.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pypdfium2 as pdfium

from knowledge.formats.protocol import Progress, Refused
from knowledge.text import is_cjk

DPI = 200
MAX_PIXELS = 40_000_000
"""A page over 40 megapixels at 200 dpi (A0) is rendered smaller: one page cannot use up memory."""
PAGES_AT_ONCE = 2
"""Tesseract processes at a time, one core each (its own threads fight each other)."""
LANGUAGES = ("chi_tra", "eng")
CHINESE, BOTH = "chi_tra", "chi_tra+eng"
_SCRIPT = re.compile(r"^Script: (\w+)", re.MULTILINE)
HAN_SHARE = 0.5
"""A page whose characters (spaces aside) are at least this share Han reads as Chinese."""
MISSING = (
    "the PDF has no text layer (a scanned document?), and OCR is not installed on this "
    "server: ask the administrator to install tesseract-ocr and tesseract-ocr-chi-tra"
)


def tesseract_problem(program: str = "tesseract") -> str | None:
    """Why Tesseract cannot read pages here (not installed, a language missing), or None."""
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, timeout=30,
                                check=True, text=True).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError) as error:
        return f"tesseract cannot be run ({error})"
    missing = [language for language in LANGUAGES if language not in listed.split()]
    return f"tesseract lacks the languages {', '.join(missing)}" if missing else None


def han_share(text: str) -> float:
    """The share of Han (CJK) characters among the text's non-space characters."""
    characters = [c for c in text if not c.isspace()]
    return sum(map(is_cjk, characters)) / len(characters) if characters else 0.0


def page_image(pdf: pdfium.PdfDocument, index: int) -> bytes:
    """A page as a grayscale PGM image at 200 dpi (less for a page larger than A0)."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        scale = min(DPI / 72, (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
        image = page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()
    out = io.BytesIO()
    image.save(out, "PPM")  # uncompressed: quicker to write and to read than PNG
    return out.getvalue()


class Tesseract:
    """Reads page images, choosing the languages by what the document's pages held so far."""

    def __init__(self, timeout_s: float, program: str = "tesseract") -> None:
        self.timeout_s, self.program = timeout_s, program
        self.languages = BOTH  # until a page shows the document is Chinese

    def run(self, image: bytes, languages: str, *options: str) -> str:
        """The text Tesseract reads in an image with the given languages."""
        # No second reading of each line as white-on-black text: a scan's text is dark on
        # light, and that check cost a quarter of the time (bench/scanned.py).
        command = [self.program, "stdin", "stdout", "-l", languages, "--dpi", str(DPI),
                   "-c", "tessedit_do_invert=0", *options]  # fmt: skip
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(command, input=image, capture_output=True,
                                  timeout=self.timeout_s, env=env)  # fmt: skip
        except subprocess.TimeoutExpired:
            raise Refused(f"it took longer than {self.timeout_s:.0f} s") from None
        except OSError as error:
            raise Refused(f"tesseract could not be run ({error})") from None
        if done.returncode != 0:
            said = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
            raise Refused(f"tesseract failed ({'; '.join(said) or done.returncode})")
        return done.stdout.decode("utf-8", errors="replace").replace("\f", "\n").strip()

    def guess(self, image: bytes) -> None:
        """Start with Chinese alone if OSD finds Han script in the image; else (Latin, or too
        little text to tell, or no ``osd`` data installed) with both languages."""
        try:
            said = self.run(image, "osd", "--psm", "0")
        except Refused:
            said = ""
        found = _SCRIPT.search(said)
        self.languages = CHINESE if found and found.group(1) == "Han" else BOTH

    def read(self, image: bytes) -> str:
        """A page's text; a page read as Chinese that comes out mostly non-Han is read again
        with English too."""
        languages = self.languages
        text = self.run(image, languages)
        if languages == CHINESE and han_share(text) < HAN_SHARE:
            text = self.run(image, BOTH)
        self.languages = CHINESE if han_share(text) >= HAN_SHARE else BOTH
        return text


def read_scanned(
    pdf: pdfium.PdfDocument,
    indexes: Sequence[int],
    reader: Tesseract,
    progress: Callable[[int], None],
) -> dict[int, str]:
    """The OCR text of the pages ``indexes``, rendered here in turn and read two at a time;
    ``progress(n)`` after each of the n pages done, in page order."""
    texts: dict[int, str] = {}
    pending: deque[tuple[int, Future[str]]] = deque()
    with ThreadPoolExecutor(PAGES_AT_ONCE) as pool:
        try:
            for index in indexes:
                image = page_image(pdf, index)
                if index == indexes[0]:
                    reader.guess(image)
                pending.append((index, pool.submit(reader.read, image)))
                while len(pending) > PAGES_AT_ONCE:  # one rendered page waits, no more
                    _finish(pending.popleft(), texts, progress)
            while pending:
                _finish(pending.popleft(), texts, progress)
        finally:
            pool.shutdown(cancel_futures=True)
    return texts


def _finish(
    job: tuple[int, Future[str]], texts: dict[int, str], progress: Callable[[int], None]
) -> None:
    index, future = job
    try:
        texts[index] = future.result()
    except Refused as refusal:
        raise Refused(f"page {index + 1} could not be read by OCR: {refusal}") from None
    progress(len(texts))


def ocr_progress(progress: Progress, before: int, total: int) -> Callable[[int], None]:
    """Progress of OCR'd pages counted after the ``before`` pages read from their text."""
    return lambda done: progress(before + done, total)
