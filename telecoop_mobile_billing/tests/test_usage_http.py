# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from odoo.tests import tagged

from .test_usage_import import UsageImportCommon, csv_file

KEY = "s3cret-key"


def _record(rid, qty=1000, **extra):
    return {
        "record_id": rid,
        "msisdn": "33611111111",
        "started_at": "2026-10-03T14:22:05+02:00",
        "usage_type": "data",
        "quantity": str(qty),
        "zone": "national",
        **extra,
    }


class HostOperator:
    """A real HTTP server on 127.0.0.1 playing the host operator's endpoint."""

    def __init__(self):
        self.reset()
        operator = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                query = parse_qs(url.query)
                cursor = query.get("cursor", [None])[0]
                operator.requests.append((url.path, cursor, query.get("limit", [None])[0]))
                if self.headers.get("Authorization") != f"Bearer {KEY}":
                    return self._answer(401, {"error": "unauthorized"})
                if url.path != "/api/usage" or cursor not in operator.pages:
                    return self._answer(404, {"error": "unknown cursor"})
                if operator.fail.get(cursor, 0):
                    operator.fail[cursor] -= 1
                    return self._answer(503, {"error": "try again"})
                records, next_cursor = operator.pages[cursor]
                return self._answer(200, {"records": records, "next_cursor": next_cursor})

            def _answer(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self):
        self.pages = {
            None: ([_record("H1"), _record("H2"), _record("H3")], "c2"),
            "c2": ([_record("H4"), _record("H5", zone="mars"), _record("H6")], "c3"),
            "c3": ([_record("H7")], None),
        }
        self.fail = {}  # cursor -> how many answers 503 before the page
        self.requests = []

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@tagged("post_install", "-at_install")
class TestUsageHttpPull(UsageImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = HostOperator()
        cls.addClassCleanup(cls.operator.stop)
        cls.http_source = cls.env["telecoop.usage.source"].create(
            {
                "name": "Host API",
                "company_id": cls.company.id,
                "base_url": cls.operator.url,
                "api_key": KEY,
                "page_limit": 3,
                "timeout": 5,
            }
        )

    def setUp(self):
        super().setUp()
        self.operator.reset()

    def _pull(self):
        action = self.http_source.with_context(
            queue_job__no_delay=True, telecoop_http_backoff=0
        ).action_pull()
        return self.env["telecoop.usage.import"].browse(action["res_id"])

    def test_pull_pages_retries_a_failed_page_and_remembers_the_cursor(self):
        self.operator.fail["c2"] = 1
        usage_import = self._pull()
        self.assertEqual(usage_import.state, "done")
        self.assertEqual(self._counts(usage_import), (7, 6, 0, 1, 0))
        self.assertEqual(
            self.operator.requests,
            [
                ("/api/usage", None, "3"),
                ("/api/usage", "c2", "3"),
                ("/api/usage", "c2", "3"),
                ("/api/usage", "c3", "3"),
            ],
        )
        error = usage_import.error_ids
        self.assertEqual((error.position, error.record_id, error.field), ("c2 #2", "H5", "zone"))
        self.assertEqual(self.http_source.last_cursor, "c3")
        self.assertEqual(len(self._records(source_id=self.http_source.id)), 6)

        # the next pull starts from the last cursor: nothing is billed twice,
        # and what the operator published since behind it is fetched
        self.operator.pages["c3"] = ([_record("H7"), _record("H8")], None)
        self.operator.requests.clear()
        again = self._pull()
        self.assertEqual([cursor for __, cursor, __ in self.operator.requests], ["c3"])
        self.assertEqual(self._counts(again), (2, 1, 1, 0, 0))
        self.assertEqual(len(self._records(source_id=self.http_source.id)), 7)

    def test_a_page_failing_past_the_retries_loses_and_doubles_nothing(self):
        self.operator.fail["c2"] = 10
        failed = self._pull()
        self.assertEqual(failed.state, "failed")
        self.assertIn("HTTP 503", failed.failure_reason)
        self.assertEqual(len([r for r in self.operator.requests if r[1] == "c2"]), 4)
        self.assertFalse(self.http_source.last_cursor)

        self.operator.fail.clear()
        retried = self._pull()
        self.assertEqual(retried.state, "done")
        records = self._records(source_id=self.http_source.id)
        self.assertEqual(sorted(records.mapped("record_id")), ["H1", "H2", "H3", "H4", "H6", "H7"])

    def test_import_profile_applies_to_the_api_too(self):
        self.http_source.column_mapping = "id = record_id"
        self.operator.pages[None] = (
            [{**{k: v for k, v in _record("M1").items() if k != "record_id"}, "id": "M1"}],
            None,
        )
        usage_import = self._pull()
        self.assertEqual(self._counts(usage_import), (1, 1, 0, 0, 0))

    def test_a_wrong_key_fails_at_once(self):
        self.http_source.api_key = "wrong"
        failed = self._pull()
        self.assertEqual(failed.state, "failed")
        self.assertIn("HTTP 401", failed.failure_reason)
        self.assertEqual(len(self.operator.requests), 1)

    def test_same_record_in_a_csv_then_an_xml_then_an_http_page_is_billed_once(self):
        # record H1 of the host operator, as its daily CSV file writes it...
        csv_import = self._import(
            csv_file("H1,33611111111,2026-10-03T14:22:05+02:00,data,1000,national,,"),
            source=self.http_source,
            name="cdr-20261003.csv",
        )
        # ... as its monthly XML file writes it again, late (UTC, same instant)...
        xml_import = self._import(
            b'<usage xmlns="urn:telecoop:usage:1"><record record_id="H1" msisdn="33611111111"'
            b' started_at="2026-10-03T12:22:05Z" usage_type="data" quantity="1000"'
            b' zone="national"/></usage>',
            source=self.http_source,
            name="cdr-202610.xml",
        )
        # ... and as its API publishes it with the rest of the month
        http_import = self._pull()
        self.assertEqual(
            [(i.kind, i.source_id) for i in (csv_import, xml_import, http_import)],
            [("csv", self.http_source), ("xml", self.http_source), ("http", self.http_source)],
        )
        self.assertEqual(self._counts(csv_import), (1, 1, 0, 0, 0))
        self.assertEqual(self._counts(xml_import), (1, 0, 1, 0, 0))
        self.assertEqual(self._counts(http_import), (7, 5, 1, 1, 0))
        records = self._records(source_id=self.http_source.id)
        self.assertEqual(records.filtered(lambda r: r.record_id == "H1").import_id, csv_import)
        # H1, H2, H3, H4, H6, H7 of 1,000 bytes each: 6,000 bytes, H1 counted once
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual(
            (sum(rated.mapped("record_count")), sum(rated.mapped("quantity"))), (6, 6000)
        )

    def test_a_record_re_sent_with_its_start_in_the_next_month_is_billed_once(self):
        # H1 as the daily CSV file writes it: the last minutes of October...
        csv_import = self._import(
            csv_file("H1,33611111111,2026-10-31T23:50:00+01:00,data,1000,national,,"),
            source=self.http_source,
            name="cdr-20261031.csv",
        )
        # ... re-sent in the monthly XML file with its start corrected into November...
        xml_import = self._import(
            b'<usage xmlns="urn:telecoop:usage:1"><record record_id="H1" msisdn="33611111111"'
            b' started_at="2026-11-01T00:05:00+01:00" usage_type="data" quantity="1000"'
            b' zone="national"/></usage>',
            source=self.http_source,
            name="cdr-202611.xml",
        )
        # ... and by the API, in November too
        self.operator.pages[None][0][0] = _record("H1", started_at="2026-11-01T00:05:00+01:00")
        http_import = self._pull()
        self.assertEqual(self._counts(csv_import), (1, 1, 0, 0, 0))
        self.assertEqual(self._counts(xml_import), (1, 0, 1, 0, 0))
        self.assertEqual(self._counts(http_import), (7, 5, 1, 1, 0))
        h1 = self._records(record_id="H1")
        self.assertEqual((len(h1), h1.period, h1.import_id), (1, date(2026, 10, 1), csv_import))
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual(set(rated.mapped("period")), {date(2026, 10, 1)})
        self.assertEqual((rated.record_count, rated.quantity), (6, 6000))
        november = self.env["telecoop.priced.month"].search(
            [("line_id", "=", self.line_a.id), ("period", "=", "2026-11-01")]
        )
        self.assertFalse(november.charge_ids.filtered(lambda c: c.kind == "usage"))
