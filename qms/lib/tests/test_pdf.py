"""DOCX -> PDF through LibreOffice.

Real conversions run only where LibreOffice is installed; the error paths replace the
``soffice`` found on PATH (the environment) with a missing or a fake executable.
"""

import shutil
import stat
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qms.lib import pdf
from qms.lib.officialdoc import build_docx
from qms.lib.pdf import PdfConversionFailed, PdfUnavailable, docx_to_pdf, soffice_available
from qms.lib.tests.test_officialdoc import make_plan

needs_soffice = pytest.mark.skipif(
    not soffice_available(), reason="LibreOffice (soffice) is not installed on this machine"
)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; cannot read the PDF text")
    source = tmp_path / "out.pdf"
    source.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True, text=True
    ).stdout


def fake_soffice(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@needs_soffice
def test_it_converts_an_official_document_to_pdf(tmp_path: Path) -> None:
    data = docx_to_pdf(build_docx(make_plan()))
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "KT. TRƯỞNG BAN" in text


@needs_soffice
def test_it_converts_in_parallel_with_separate_profiles() -> None:
    documents = [build_docx(make_plan(subject=f"Kế hoạch số {i}")) for i in range(2)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(docx_to_pdf, documents))
    assert all(result.startswith(b"%PDF") for result in results)


def test_it_reports_soffice_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    assert not soffice_available()
    with pytest.raises(PdfUnavailable):
        docx_to_pdf(b"PK")


def test_it_raises_conversion_failed_when_soffice_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n")
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: fake)
    with pytest.raises(PdfConversionFailed, match="could not be loaded"):
        docx_to_pdf(b"not a docx")


def test_it_raises_conversion_failed_when_no_pdf_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_soffice(tmp_path, "exit 0\n")  # LibreOffice exits 0 on some load failures
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: fake)
    with pytest.raises(PdfConversionFailed):
        docx_to_pdf(b"PK")


def test_it_kills_soffice_on_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_soffice(tmp_path, "sleep 30\n")
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: fake)
    started = time.monotonic()
    with pytest.raises(PdfConversionFailed, match="timed out"):
        docx_to_pdf(b"PK", timeout=0.5)
    assert time.monotonic() - started < 10


def test_it_gives_each_call_its_own_profile_and_default_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "calls.log"
    # Record the arguments, then write the PDF where --outdir says, as soffice would.
    script = f"""echo "$@" >> {log}
outdir=""; prev=""
for arg in "$@"; do [ "$prev" = "--outdir" ] && outdir="$arg"; prev="$arg"; done
mkdir -p "$outdir" && printf '%%PDF-1.7 fake' > "$outdir/document.pdf"
"""
    fake = fake_soffice(tmp_path, script)
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: fake)
    assert docx_to_pdf(b"PK") == b"%PDF-1.7 fake"
    assert docx_to_pdf(b"PK") == b"%PDF-1.7 fake"
    calls = log.read_text().splitlines()
    profiles = [
        arg for call in calls for arg in call.split() if arg.startswith("-env:UserInstallation=")
    ]
    assert len(profiles) == 2 and profiles[0] != profiles[1]
    assert all(p.startswith("-env:UserInstallation=file:///") for p in profiles)
    assert all("--headless" in call and "--convert-to pdf" in call for call in calls)
    assert pdf.TIMEOUT_SECONDS == 120


def test_it_runs_soffice_with_the_font_configuration_of_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = tmp_path / "fontconfig.txt"
    script = f"""echo "$FONTCONFIG_FILE" > {seen}
outdir=""; prev=""
for arg in "$@"; do [ "$prev" = "--outdir" ] && outdir="$arg"; prev="$arg"; done
mkdir -p "$outdir" && printf '%%PDF-1.7 fake' > "$outdir/document.pdf"
"""
    fake = fake_soffice(tmp_path, script)
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: fake)
    docx_to_pdf(b"PK")
    assert Path(seen.read_text().strip()) == pdf.FONTCONFIG
    assert pdf.FONTCONFIG.is_file()
