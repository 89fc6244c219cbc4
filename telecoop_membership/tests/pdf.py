# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Download a report through the route a user clicks, as a real PDF, and read its text.

In a test run Odoo 19 answers a PDF report with its HTML unless the context has
``force_report_rendering`` (``ir.actions.report._pre_render_qweb_pdf``). A portal
route builds its own context, so :meth:`PdfRouteMixin.force_pdf_rendering` makes
every report rendered during the test go through wkhtmltopdf, exactly as in
production: nothing of the rendering is replaced, only the test-mode shortcut is
turned off. The PDF's words come from ``pdftotext`` (Debian's poppler-utils,
installed by the set-up); a missing tool fails the test, it never skips it.
"""

import shutil
import subprocess

from odoo.tests import HttpCase


def pdf_text(pdf_bytes):
    """The text layer of a PDF, laid out as on the page (``pdftotext -layout``)."""
    binary = shutil.which("pdftotext")
    if not binary:
        raise AssertionError("pdftotext is missing: install Debian's poppler-utils")
    result = subprocess.run(
        [binary, "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf_bytes,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


class PdfRouteMixin:
    """For HttpCase tests that download PDFs through their portal or web routes."""

    def force_pdf_rendering(self):
        # _pre_render_qweb_pdf is where the shortcut is read; account's invoice download
        # (the pro forma fallback of _get_invoice_legal_documents) calls it directly
        report_class = type(self.env["ir.actions.report"])
        for name in ("_render_qweb_pdf", "_pre_render_qweb_pdf"):
            self.patch(report_class, name, self._forcing(getattr(report_class, name)))

    @staticmethod
    def _forcing(render):
        def forced(report, report_ref, res_ids=None, data=None):
            report = report.with_context(force_report_rendering=True)
            return render(report, report_ref, res_ids=res_ids, data=data)

        return forced

    def assert_pdf_response(self, response):
        """The response is a PDF document; returns its text."""
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertEqual(response.headers.get("Content-Type"), "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"), response.content[:200])
        text = pdf_text(response.content)
        self.assertTrue(text.strip(), "the PDF has no text layer")
        return text

    def download_pdf(self, url):
        """GET ``url`` (redirects not followed) and return the text of the PDF it answers."""
        self.force_pdf_rendering()
        response = self.url_open(url, allow_redirects=False, timeout=120)
        return self.assert_pdf_response(response)


class PdfRouteCase(PdfRouteMixin, HttpCase):
    pass
