"""DOCX -> PDF through LibreOffice (``soffice --headless --convert-to pdf``).

Each call gets its own temporary directory holding the input, the output and a private
LibreOffice user profile (``-env:UserInstallation``): two soffice processes sharing one
profile block each other or fail, and web/queue workers convert in parallel.

soffice runs with ``FONTCONFIG_FILE`` pointing at ``qms/lib/fonts/fonts.conf``: Times New
Roman becomes Liberation Serif 2.x (Debian ``fonts-liberation2``), metric-compatible and with
every Vietnamese letter, and Liberation 1.x, which lacks ư, ở, ễ…, is never used, so no
letter falls back to DejaVu.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = [
    "PdfConversionFailed",
    "PdfError",
    "PdfUnavailable",
    "docx_to_pdf",
    "soffice_available",
]

TIMEOUT_SECONDS = 120
FONTCONFIG = Path(__file__).resolve().parent / "fonts" / "fonts.conf"


class PdfError(Exception):
    """Base class of the errors below, for callers that treat them alike."""


class PdfUnavailable(PdfError):
    """LibreOffice is not installed (neither ``soffice`` nor ``libreoffice`` on PATH)."""


class PdfConversionFailed(PdfError):
    """LibreOffice ran but produced no PDF (bad input, crash or timeout)."""


def _soffice() -> str | None:
    # Looked up on every call (not cached) so installing LibreOffice needs no restart.
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_available() -> bool:
    return _soffice() is not None


def _command(executable: str, workdir: Path, source: Path) -> list[str]:
    profile = (workdir / "profile").as_uri()  # file:///tmp/qms-pdf-xxxx/profile
    return [
        executable,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(workdir / "out"),
        str(source),
    ]


def _environment() -> dict[str, str]:
    """The server's environment with our font configuration (it includes the system's)."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTCONFIG)}


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run in a new session so a timeout kills soffice.bin too, not just its launcher."""
    # The command is built from a PATH lookup and our own temp paths, never user input.
    process = subprocess.Popen(  # noqa: S603
        command,
        env=_environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfConversionFailed(f"LibreOffice timed out after {timeout:g} s") from exc
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def docx_to_pdf(docx: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Convert DOCX bytes to PDF bytes; raises PdfUnavailable or PdfConversionFailed."""
    executable = _soffice()
    if executable is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed or not on PATH")
    with tempfile.TemporaryDirectory(prefix="qms-pdf-") as tmp:
        workdir = Path(tmp)
        source = workdir / "document.docx"
        source.write_bytes(docx)
        result = _run(_command(executable, workdir, source), timeout)
        output = workdir / "out" / "document.pdf"
        if result.returncode != 0 or not output.is_file():
            detail = result.stderr.decode(errors="replace").strip()[-500:]
            raise PdfConversionFailed(
                f"LibreOffice exited with {result.returncode} and no PDF: {detail}"
            )
        return output.read_bytes()
