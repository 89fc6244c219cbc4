# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
import itertools
import os
from datetime import UTC, date, datetime, time, timedelta, timezone
from unittest.mock import patch
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from . import jobs
from .common import GB, MobileBillingCommon
from .test_cdr_parse import BILLION_LAUGHS

HEADER = "record_id,msisdn,started_at,usage_type,quantity,zone,destination,third_party_amount\n"


def csv_file(*rows):
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


class UsageImportCommon(MobileBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line_a = cls._create_line("33611111111", cls.plan_classic)
        cls.line_b = cls._create_line(
            "33622222222", cls.plan_step, partner=cls.holder2, activation="2026-10-10"
        )
        cls.xml_source = cls.env["telecoop.usage.source"].create(
            {"name": "Other host operator", "company_id": cls.company.id}
        )

    def _set_sizes(self, **sizes):
        """Batch sizes as staff set them (system parameters), for this test only."""
        params = self.env["ir.config_parameter"].sudo()
        for name, value in sizes.items():
            params.set_param(f"telecoop_mobile_billing.usage_import_{name}", str(value))

    def _import(self, content, source=None, name="usage.csv", now=None):
        """Upload ``content`` through the wizard; the job runs at once."""
        wizard = (
            self.env["telecoop.usage.upload.wizard"]
            .with_context(queue_job__no_delay=True, telecoop_usage_now=now)
            .create(
                {
                    "source_id": (source or self.source).id,
                    "file": __import__("base64").b64encode(content),
                    "file_name": name,
                }
            )
        )
        action = wizard.action_import()
        return self.env["telecoop.usage.import"].browse(action["res_id"])

    def _records(self, **domain):
        return self.env["telecoop.usage.record"].search(
            [("company_id", "=", self.company.id)] + [(k, "=", v) for k, v in domain.items()]
        )

    def _counts(self, usage_import):
        return (
            usage_import.count_read,
            usage_import.count_new,
            usage_import.count_duplicate,
            usage_import.count_rejected,
            usage_import.count_unmatched,
        )


@tagged("post_install", "-at_install")
class TestUsageImport(UsageImportCommon):
    def test_same_file_twice_bills_nothing_twice(self):
        content = csv_file(
            "A1,33611111111,2026-10-01T08:00:12+02:00,data,52428800,national,,",
            "A2,33611111111,2026-10-01T09:15:00+02:00,voice,125,national,33140000000,",
            "A3,33622222222,2026-10-12T10:00:00+02:00,sms,1,international,4479460000,",
            "A4,33611111111,2026-10-02T11:30:00+02:00,voice,60,premium,33899000000,1.80",
        )
        first = self._import(content)
        self.assertEqual(first.state, "done")
        self.assertEqual(self._counts(first), (4, 4, 0, 0, 0))
        records = self._records()
        self.assertEqual(len(records), 4)
        self.assertEqual(records.filtered(lambda r: r.record_id == "A3").line_id, self.line_b)
        premium = records.filtered(lambda r: r.record_id == "A4")
        self.assertEqual(premium.third_party_amount, 1.80)
        self.assertEqual(premium.line_id, self.line_a)
        self.assertEqual(premium.started_at.isoformat(), "2026-10-02T09:30:00")
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual(sum(rated.mapped("record_count")), 3)

        second = self._import(content)
        self.assertEqual(self._counts(second), (4, 0, 4, 0, 0))
        self.assertEqual(len(self._records()), 4)
        rated_again = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual(sum(rated_again.mapped("record_count")), 3)
        self.assertEqual(sum(rated_again.mapped("quantity")), 52428800 + 125 + 60)

    def test_same_record_twice_in_one_file_counts_once(self):
        row = "A1,33611111111,2026-10-01T08:00:12+02:00,data,1000,national,,"
        odd = '"A\\2,""x""",33611111111,2026-10-01T08:00:12+02:00,data,1000,national,,'
        usage_import = self._import(csv_file(row, odd, row))
        self.assertEqual(self._counts(usage_import), (3, 2, 1, 0, 0))
        self.assertEqual(sorted(self._records().mapped("record_id")), ["A1", 'A\\2,"x"'])

    def test_bad_rows_are_reported_and_good_rows_kept(self):
        usage_import = self._import(
            csv_file(
                "B1,33611111111,2026-10-01T08:00:12+02:00,data,1000,national,,",
                "B2,33611111111,2026-10-01T08:00:12+02:00,fax,1,national,,",
                "B3,33611111111,2026-10-01T08:00:12+02:00,voice,-3,national,,",
                "B4,33611111111,2026-10-01T08:00:12,sms,1,national,,",
                "B5,33611111111,2026-10-01T08:00:12+02:00,sms,1,mars,,",
                ",33611111111,2026-10-01T08:00:12+02:00,sms,1,national,,",
                "B7,33611111111,2026-10-01T08:00:12+02:00,sms",
                "B8,33611111111,2026-10-03T08:00:12+02:00,sms,1,national,,",
            )
        )
        self.assertEqual(usage_import.state, "done")
        self.assertEqual(self._counts(usage_import), (8, 2, 0, 6, 0))
        self.assertEqual(sorted(self._records().mapped("record_id")), ["B1", "B8"])
        log = [(e.position, e.record_id or "", e.field, e.reason) for e in usage_import.error_ids]
        self.assertEqual(
            log,
            [
                ("3", "B2", "usage_type", "unknown type 'fax'"),
                ("4", "B3", "quantity", "negative"),
                ("5", "B4", "started_at", "no UTC offset"),
                ("6", "B5", "zone", "unknown zone 'mars'"),
                ("7", "", "record_id", "missing"),
                ("8", "", "row", "4 cells, 8 expected"),
            ],
        )

    def test_unmatched_records_wait_then_are_rated_once_attached(self):
        usage_import = self._import(
            csv_file(
                # nobody has this number
                "U1,33699999999,2026-10-05T08:00:00+02:00,data,2000000000,national,,",
                # line B is active from 10 October only
                "U2,33622222222,2026-10-05T08:00:00+02:00,data,1000,national,,",
                "U3,33622222222,2026-10-10T00:30:00+02:00,data,1000,national,,",
            )
        )
        self.assertEqual(self._counts(usage_import), (3, 3, 0, 0, 2))
        unmatched = self._records(line_id=False)
        self.assertEqual(sorted(unmatched.mapped("record_id")), ["U1", "U2"])
        self.assertEqual(self._records(record_id="U3").line_id, self.line_b)

        wizard = (
            self.env["telecoop.usage.attach.wizard"]
            .with_user(self.billing_user)
            .with_context(active_model="telecoop.usage.record", active_ids=unmatched[:1].ids)
            .create({})
        )
        self.assertEqual(wizard.record_count, 1)
        wizard.line_id = self.line_a
        wizard.action_attach()
        self.assertEqual(unmatched[:1].line_id, self.line_a)
        rated = self.env["telecoop.rated.usage"].search(
            [("line_id", "=", self.line_a.id), ("period", "=", "2026-10-01")]
        )
        self.assertEqual(rated.quantity, unmatched[:1].quantity)
        # 20 EUR plan with 9 GB included: 2 GB stay included
        self.assertEqual(rated.amount, 0.0)
        # a line with usage records is not deleted (terminated instead)
        with self.assertRaises(UserError):
            self.line_a.unlink()

    def test_period_is_the_month_in_the_company_time_zone(self):
        self._import(
            csv_file(
                # 31 October 23:30 UTC is 1 November 00:30 in Paris
                "T1,33611111111,2026-10-31T23:30:00Z,data,1000,national,,",
                "T2,33611111111,2026-11-01T00:30:00+01:00,data,1000,national,,",
                "T3,33611111111,2026-10-31T23:59:59+01:00,data,1000,national,,",
            )
        )
        periods = {r.record_id: r.period for r in self._records()}
        self.assertEqual(
            periods,
            {"T1": date(2026, 11, 1), "T2": date(2026, 11, 1), "T3": date(2026, 10, 1)},
        )

    def test_xml_file_streams_into_the_same_records(self):
        content = (
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<usage xmlns="urn:telecoop:usage:1" source="host-operator">\n'
            b'  <record record_id="X1" msisdn="33611111111" started_at="2026-10-01T08:00:12+02:00"'
            b' usage_type="data" quantity="%d" zone="eu"/>\n'
            b'  <record record_id="X2" msisdn="33611111111" started_at="2026-10-01T08:00:12+02:00"'
            b' usage_type="voice" quantity="60" zone="worldwide"/>\n'
            b'  <record record_id="X3" msisdn="33611111111" started_at="2026-10-02T08:00:12+02:00"'
            b' usage_type="sms" quantity="1" zone="national" destination="33612345678"/>\n'
            b"</usage>\n" % (12 * GB)
        )
        usage_import = self._import(content, source=self.xml_source, name="usage.xml")
        self.assertEqual(self._counts(usage_import), (3, 2, 0, 1, 0))
        error = usage_import.error_ids
        self.assertEqual((error.position, error.field), ("2 (line 4)", "zone"))
        self.assertEqual(self._records(record_id="X1").quantity, 12 * GB)
        again = self._import(content, source=self.xml_source, name="usage.xml")
        self.assertEqual(self._counts(again), (3, 0, 2, 1, 0))

    def test_a_file_missing_a_column_fails_with_its_reason(self):
        usage_import = self._import(b"record_id,msisdn\nA1,33611111111\n")
        self.assertEqual(usage_import.state, "failed")
        self.assertIn("started_at: missing column", usage_import.failure_reason)
        self.assertFalse(self._records())

    def test_import_killed_half_way_resumes_without_doubles(self):
        rows = [
            f"K{i},33611111111,2026-10-{1 + i % 28:02d}T08:00:00+02:00,data,{1000 + i},national,,"
            for i in range(10)
        ]
        rows.insert(4, "KBAD,33611111111,2026-10-01T08:00:00+02:00,data,x,national,,")
        content = csv_file(*rows)
        # batches of three records, one batch per job (the system parameters staff set)
        self._set_sizes(batch_size=3, job_batches=1)
        with trap_jobs() as trap:
            attachment = self.env["ir.attachment"].create({"name": "big.csv", "raw": content})
            usage_import = self.env["telecoop.usage.import"].create(
                {"source_id": self.source.id, "attachment_id": attachment.id}
            )
            usage_import.action_start()
            with self.assertRaises(UserError):
                usage_import.action_start()  # a second click queues nothing
            trap.assert_jobs_count(1)
            self.assertEqual(usage_import.state, "queued")
            # the first job writes one batch and queues the rest
            trap.perform_enqueued_jobs()
            self.assertEqual(usage_import.state, "running")
            self.assertEqual(usage_import.position, 3)
            self.assertEqual(len(self._records()), 3)
            self.assertGreater(usage_import.progress, 0)
            trap.assert_jobs_count(1)
            # the worker dies; the position stored is even lost: nothing is doubled
            usage_import.position = 0
            usage_import.action_resume()
            trap.assert_jobs_count(1)  # the job already waiting, not a second one
            while trap.enqueued_jobs:
                trap.perform_enqueued_jobs()
        self.assertEqual(usage_import.state, "done")
        self.assertEqual(len(self._records()), 10)
        self.assertEqual(usage_import.count_new, 10)
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual(rated.quantity, sum(1000 + i for i in range(10)))

    def test_import_job_whose_worker_died_is_requeued_by_the_runner(self):
        """Stored jobs run as the runner runs them: the first job writes a batch and
        queues the next; the worker of that one dies (its transaction rolled back), the
        runner's dead-job requeue puts it back, the workers go on: every record once."""
        rows = [
            f"W{i},33611111111,2026-10-{1 + i:02d}T08:00:00+02:00,data,{1000 + i},national,,"
            for i in range(8)
        ]
        self._set_sizes(batch_size=3, job_batches=1)
        attachment = self.env["ir.attachment"].create({"name": "w.csv", "raw": csv_file(*rows)})
        usage_import = (
            self.env["telecoop.usage.import"]
            .with_context(queue_job__no_delay=False)
            .create({"source_id": self.source.id, "attachment_id": attachment.id})
        )
        usage_import.action_start()

        def queued():
            return (
                self.env["queue.job"]
                .search([("model_name", "=", "telecoop.usage.import")])
                .filtered(lambda j: j.records == usage_import)
            )

        first = queued()
        self.assertEqual(len(first), 1)
        jobs.run(self.env, first)
        self.assertEqual((usage_import.state, usage_import.position), ("running", 3))
        second = queued() - first
        self.assertEqual(second.state, "pending")
        jobs.take(self.env, second)
        self.assertEqual(jobs.requeue_dead(self.env, second), [second.uuid])
        self.assertEqual((second.state, second.retry), ("pending", 1))
        # 8 records in batches of 3, a batch per job: the requeued job and one more
        self.assertEqual(jobs.run_ready(self.env, queued), ["_job_import", "_job_import"])
        self.assertEqual(usage_import.state, "done")
        self.assertEqual(sorted(self._records().mapped("record_id")), [f"W{i}" for i in range(8)])
        self.assertEqual(usage_import.count_new, 8)
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual(rated.quantity, sum(1000 + i for i in range(8)))

    def test_retention_purge_keeps_recent_records_and_rated_usage(self):
        self._import(
            csv_file(
                "R1,33611111111,2025-10-31T08:00:00+01:00,data,1000,national,,",
                "R2,33611111111,2025-11-01T08:00:00+01:00,data,1000,national,,",
                "R3,33611111111,2026-10-01T08:00:00+02:00,data,1000,national,,",
            )
        )
        rated_before = self.env["telecoop.rated.usage"].search_count(
            [("line_id", "=", self.line_a.id)]
        )
        deleted = self.env["telecoop.usage.record"]._purge_expired(
            batch_size=1, today=date(2026, 11, 25)
        )
        self.assertEqual(deleted, 1)
        self.assertEqual(sorted(self._records().mapped("record_id")), ["R2", "R3"])
        self.assertEqual(
            self.env["telecoop.rated.usage"].search_count([("line_id", "=", self.line_a.id)]),
            rated_before,
        )
        self.company.telecoop_usage_retention_months = 1
        self.env["telecoop.usage.record"]._purge_expired(today=date(2026, 11, 25))
        self.assertEqual(self._records().mapped("record_id"), ["R3"])

    def test_access_users_read_managers_configure(self):
        self._import(csv_file("S1,33611111111,2026-10-01T08:00:00+02:00,data,1,national,,"))
        Source = self.env["telecoop.usage.source"]
        self.assertEqual(len(self._records().with_user(self.billing_user).read(["record_id"])), 1)
        with self.assertRaises(AccessError):
            Source.with_user(self.billing_user).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.source.with_user(self.billing_user).read(["api_key"])
        source = Source.with_user(self.billing_manager).create(
            {"name": "API", "base_url": "http://x", "api_key": "k"}
        )
        # the key is stored and the manager reads it back (a field of the managers)
        source.invalidate_recordset()
        self.assertEqual(source.read(["api_key"])[0]["api_key"], "k")
        with self.assertRaises(AccessError):
            self._records().with_user(self.internal_user).read(["record_id"])
        with self.assertRaises(AccessError):
            self.env["telecoop.usage.import"].with_user(self.internal_user).search([])

    def test_staff_see_the_usage_of_their_companies_only(self):
        other = self.env["res.company"].create({"name": "Other Coop"})
        self.env.user.company_ids |= other
        source = self.env["telecoop.usage.source"].create(
            {"name": "Other host", "company_id": other.id}
        )
        usage_import = self._import(
            csv_file("O1,33611111111,2026-10-01T08:00:00+02:00,data,1,national,,"), source=source
        )
        record = self.env["telecoop.usage.record"].search([("source_id", "=", source.id)])
        # the line of the number belongs to the test company: no match in the other one
        self.assertEqual((len(record), record.line_id.id), (1, False))
        self.assertEqual(record.company_id, other)
        as_user = self.env(user=self.billing_user)
        self.assertFalse(as_user["telecoop.usage.record"].search([("source_id", "=", source.id)]))
        self.assertFalse(as_user["telecoop.usage.import"].search([("id", "=", usage_import.id)]))
        with self.assertRaises(AccessError):
            record.with_user(self.billing_user).read(["msisdn"])

    def test_import_profile_maps_the_host_operator_names(self):
        with self.assertRaises(ValidationError):
            self.xml_source.column_mapping = "cdr = colour"
        self.source.column_mapping = "cdr_id = record_id\na_number = msisdn\nstart = started_at"
        usage_import = self._import(
            b"cdr_id,a_number,start,usage_type,quantity,zone\n"
            b"P1,33611111111,2026-10-01T08:00:00+02:00,voice,60,national\n"
        )
        self.assertEqual(self._counts(usage_import), (1, 1, 0, 0, 0))
        self.assertEqual(self._records(record_id="P1").line_id, self.line_a)
        self.xml_source.column_mapping = "id = record_id"
        xml = self._import(
            b'<usage xmlns="urn:telecoop:usage:1"><record id="P2" msisdn="33611111111" '
            b'started_at="2026-10-01T08:00:00+02:00" usage_type="sms" quantity="1" '
            b'zone="national"/></usage>',
            source=self.xml_source,
        )
        self.assertEqual(self._counts(xml), (1, 1, 0, 0, 0))


@tagged("post_install", "-at_install")
class TestUsageImportHostileFiles(UsageImportCommon):
    """Files as a host operator really sends them, and files no one should send."""

    def test_format_is_told_from_the_content_not_the_name(self):
        xml = (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<usage xmlns="urn:telecoop:usage:1">'
            b'<record record_id="F1" msisdn="33611111111" started_at="2026-10-01T08:00:00+02:00"'
            b' usage_type="sms" quantity="1" zone="national"/></usage>\n'
        )
        usage_import = self._import(xml, name="cdr-20261001.csv")
        self.assertEqual((usage_import.kind, usage_import.state), ("xml", "done"))
        self.assertEqual(self._counts(usage_import), (1, 1, 0, 0, 0))
        csv_import = self._import(
            csv_file("F2,33611111111,2026-10-01T08:00:00+02:00,sms,1,national,,"), name="x.xml"
        )
        self.assertEqual((csv_import.kind, csv_import.count_new), ("csv", 1))
        with self.assertRaises(UserError):
            self._import(b"\x00PK\x03\x04", name="cdr.zip")

    def test_destination_with_spaces_and_a_comma_is_kept_and_billed(self):
        usage_import = self._import(
            csv_file(
                'D1,33611111111,2026-10-02T10:00:00+02:00,sms,1,international,"4930000000, ext 2",',
                "D2,33611111111,2026-10-02T10:05:00+02:00,voice,60,national,33 1 40 00 00 00,",
                "D3,33611111111,2026-10-02T10:06:00+02:00,voice,60,national,\\\\33140000000,",
            )
        )
        self.assertEqual(self._counts(usage_import), (3, 3, 0, 0, 0))
        self.assertEqual(
            {r.record_id: r.destination for r in self._records()},
            {"D1": "4930000000, ext 2", "D2": "33 1 40 00 00 00", "D3": "\\\\33140000000"},
        )
        rated = self.env["telecoop.rated.usage"].search(
            [("line_id", "=", self.line_a.id), ("usage_type", "=", "sms")]
        )
        self.assertEqual((rated.zone, rated.record_count), ("international", 1))

    def test_a_record_dated_in_the_future_is_rejected_with_that_reason(self):
        usage_import = self._import(
            csv_file(
                "Z1,33611111111,2026-10-02T10:00:00+02:00,sms,1,national,,",
                # 1 hour after "now" (10:00 UTC): beyond the 15 minutes of clock skew
                "Z2,33611111111,2026-10-02T13:00:00+02:00,sms,1,national,,",
                # 10 minutes after "now": the host operator's clock runs ahead
                "Z3,33611111111,2026-10-02T12:10:00+02:00,sms,1,national,,",
            ),
            now=datetime(2026, 10, 2, 10, 0, tzinfo=UTC),
        )
        self.assertEqual(self._counts(usage_import), (3, 2, 0, 1, 0))
        error = usage_import.error_ids
        self.assertEqual(
            (error.position, error.record_id, error.field, error.reason),
            ("3", "Z2", "started_at", "in the future (beyond the allowed clock skew)"),
        )

    def _batched_import(self, content, batch_size=2):
        self._set_sizes(batch_size=batch_size)
        return self._import(content)

    def test_broken_quote_fails_with_file_and_line_keeping_the_good_batches(self):
        rows = [
            f"Q{i},33611111111,2026-10-03T08:00:00+02:00,data,1000,national,," for i in range(5)
        ]
        rows.insert(5, 'Q5,33611111111,2026-10-03T08:00:00+02:00,data,1000,national,"3314,')
        rows.append("Q6,33611111111,2026-10-03T08:00:00+02:00,data,1000,national,,")
        usage_import = self._batched_import(csv_file(*rows))
        self.assertEqual(usage_import.state, "failed")
        self.assertEqual(
            usage_import.failure_reason,
            "file usage.csv, file: line 7: "
            "a quoted field runs over the end of the line (broken quote)",
        )
        # the five good records before the break are written, counted and rated
        self.assertEqual(sorted(self._records().mapped("record_id")), [f"Q{i}" for i in range(5)])
        self.assertEqual((usage_import.count_new, usage_import.position), (5, 5))
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual(rated.quantity, 5000)

    def test_latin1_csv_fails_with_file_and_line_keeping_the_good_batches(self):
        content = csv_file(
            "L1,33611111111,2026-10-03T08:00:00+02:00,data,1000,national,,",
            "L2,33611111111,2026-10-03T08:00:00+02:00,data,1000,national,,",
            "L3,33611111111,2026-10-03T08:00:00+02:00,data,1000,national,,",
        ) + "L4,33611111111,2026-10-03T08:00:00+02:00,voice,1,national,Hôtel,\n".encode("latin-1")
        usage_import = self._batched_import(content)
        self.assertEqual(usage_import.state, "failed")
        self.assertIn(
            "file usage.csv, file: line 5: not UTF-8 (byte 0xf4", usage_import.failure_reason
        )
        self.assertEqual(sorted(self._records().mapped("record_id")), ["L1", "L2", "L3"])

    def test_billion_laughs_and_dtd_fail_fast_with_a_clear_reason(self):
        for name, content in (
            ("laughs.xml", BILLION_LAUGHS),
            ("dtd.xml", b'<?xml version="1.0"?><!DOCTYPE usage SYSTEM "usage.dtd"><usage/>'),
        ):
            with self.subTest(name=name):
                usage_import = self._import(content, name=name)
                self.assertEqual((usage_import.kind, usage_import.state), ("xml", "failed"))
                self.assertIn(
                    "a document type (DTD) or entity declaration is refused",
                    usage_import.failure_reason,
                )
        self.assertFalse(self._records())

    def test_an_unexpected_error_fails_the_import_it_never_stays_running(self):
        content = csv_file("E1,33611111111,2026-10-03T08:00:00+02:00,data,1000,national,,")

        def boom(*args, **kwargs):
            raise ZeroDivisionError("a bug")

        with (
            patch.object(type(self.env["telecoop.usage.import"]), "_apply_batch", boom),
            self.assertLogs("odoo.addons.telecoop_mobile_billing.models.telecoop_usage_import"),
        ):
            usage_import = self._import(content)
        self.assertEqual(usage_import.state, "failed")
        self.assertIn("ZeroDivisionError('a bug')", usage_import.failure_reason)
        self.assertFalse(self._records())
        # once the bug is gone, the import resumes from where it stood
        usage_import.with_context(queue_job__no_delay=True).action_resume()
        self.assertEqual((usage_import.state, usage_import.count_new), ("done", 1))


@tagged("post_install", "-at_install")
class TestUsageSourcesAndMonths(UsageImportCommon):
    def test_sources_of_one_operator_merge_and_what_came_twice_goes(self):
        row = "M1,33611111111,2026-10-04T08:00:00+02:00,data,1000,national,,"
        self._import(csv_file(row))
        self._import(
            csv_file(row, "M2,33611111111,2026-10-04T09:00:00+02:00,data,500,national,,"),
            source=self.xml_source,
        )
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual(rated.record_count, 3)  # M1 counted twice, as before the merge
        doubled = (self.source | self.xml_source)._merge_into(self.source)
        self.assertEqual(doubled, 1)
        records = self._records()
        self.assertEqual(sorted(records.mapped("record_id")), ["M1", "M2"])
        self.assertEqual(records.source_id, self.source)
        self.assertFalse(self.xml_source.active)
        self.assertEqual(self.source.import_count, 2)
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual((rated.record_count, rated.quantity), (2, 1500))
        # from now on the XML file of the operator is a duplicate of what is known
        again = self._import(csv_file(row))
        self.assertEqual(self._counts(again), (1, 0, 1, 0, 0))

    def test_migration_removes_the_copies_of_a_record_in_another_month(self):
        """19.0.1.2.0: a record counted in two months before is counted once."""
        self._import(csv_file("X1,33611111111,2026-10-31T23:50:00+01:00,data,1000,national,,"))
        Record = self.env["telecoop.usage.record"]
        Record.flush_model()
        # the copy the old unique index (source, record, month) let in
        self.env.cr.execute(
            """
            INSERT INTO telecoop_usage_record (company_id, source_id, record_id, line_id, msisdn,
                   started_at, period, usage_type, quantity, zone)
            SELECT company_id, source_id, record_id, line_id, msisdn,
                   started_at + interval '20 minutes', '2026-11-01', usage_type, quantity, zone
              FROM telecoop_usage_record WHERE record_id = 'X1'
            """
        )
        Record._rerate(self.company, {"2026-11-01": self.line_a.ids})
        Rated = self.env["telecoop.rated.usage"]
        domain = [("line_id", "=", self.line_a.id)]
        self.assertEqual(sorted(Rated.search(domain).mapped("record_count")), [1, 1])
        path = os.path.join(
            os.path.dirname(os.path.dirname(__file__)), "migrations/19.0.1.2.0/post-migrate.py"
        )
        spec = importlib.util.spec_from_file_location("telecoop_migration_19_0_1_2_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.1.1.0")
        Record.invalidate_model()
        Rated.invalidate_model()
        x1 = self._records(record_id="X1")
        self.assertEqual((len(x1), x1.period), (1, date(2026, 10, 1)))
        rated = Rated.search(domain)
        self.assertEqual((rated.period, rated.record_count), (date(2026, 10, 1), 1))

    def test_merged_sources_keep_one_copy_of_a_record_sent_in_two_months(self):
        self._import(csv_file("N1,33611111111,2026-10-31T23:50:00+01:00,data,1000,national,,"))
        self._import(
            csv_file("N1,33611111111,2026-11-01T00:05:00+01:00,data,1000,national,,"),
            source=self.xml_source,
        )
        self.assertEqual(len(self._records(record_id="N1")), 2)  # two sources before the merge
        self.assertEqual((self.source | self.xml_source)._merge_into(self.source), 1)
        n1 = self._records(record_id="N1")
        self.assertEqual((len(n1), n1.period, n1.source_id), (1, date(2026, 10, 1), self.source))
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual((rated.period, rated.record_count), (date(2026, 10, 1), 1))
        # from now on the November copy is a duplicate of what the operator sent
        again = self._import(
            csv_file("N1,33611111111,2026-11-01T00:05:00+01:00,data,1000,national,,")
        )
        self.assertEqual(self._counts(again), (1, 0, 1, 0, 0))

    def test_each_month_goes_to_its_partition_created_on_demand(self):
        Record = self.env["telecoop.usage.record"]
        self.assertNotIn(date(2019, 3, 1), Record._get_partitions())
        self._import(
            csv_file(
                "P1,33611111111,2019-03-31T23:30:00+02:00,data,1000,national,,",
                "P2,33611111111,2026-10-04T08:00:00+02:00,data,1000,national,,",
            )
        )
        partitions = Record._get_partitions()
        self.assertEqual(partitions[date(2019, 3, 1)], "telecoop_usage_record_y2019m03")
        self.env.cr.execute("SELECT record_id FROM telecoop_usage_record_y2019m03")
        self.assertEqual(self.env.cr.fetchall(), [("P1",)])
        self.env.cr.execute("SELECT relkind FROM pg_class WHERE relname = 'telecoop_usage_record'")
        self.assertEqual(self.env.cr.fetchone()[0], "p")


@tagged("post_install", "-at_install")
class TestUsageRetention(UsageImportCommon):
    def _invoice(self, period, due):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.holder.id,
                "invoice_date": period.replace(month=period.month + 1, day=5),
                "invoice_date_due": due,
                "telecoop_billing_period": period,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product_plan.id, "price_unit": 20})
                ],
            }
        )
        invoice.action_post()
        return invoice

    def test_a_purged_month_leaves_no_raw_record_nor_file_and_keeps_the_bills(self):
        other = self.env["res.company"].create({"name": "Other Coop"})
        self.env.user.company_ids |= other
        other_source = self.env["telecoop.usage.source"].create(
            {"name": "Other host", "company_id": other.id}
        )
        october = self._import(
            csv_file(
                "O1,33611111111,2026-10-03T08:00:00+02:00,voice,60,national,33140000000,",
                "O2,33611111111,2026-10-04T08:00:00+02:00,fax,1,national,33140000001,",
            )
        )
        self.assertEqual(len(october.error_ids), 1)
        other_october = self._import(
            csv_file("X1,33655555555,2026-10-03T08:00:00+02:00,sms,1,national,33140000002,"),
            source=other_source,
        )
        november = self._import(
            csv_file("N1,33611111111,2026-11-03T08:00:00+01:00,data,1000,national,,")
        )
        invoice = self._invoice(date(2026, 10, 1), date(2026, 11, 20))
        self.assertEqual(invoice.invoice_date_due, date(2026, 11, 20))
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("telecoop_mobile_billing.action_report_itemised_bill", invoice.ids)
        )
        printed = self.env["ir.attachment"].create(
            {
                "name": "Itemised bill.pdf",
                "raw": pdf,
                "res_model": "account.move",
                "res_id": invoice.id,
            }
        )
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        rated_before = rated.read(["period", "usage_type", "zone", "quantity", "amount"])
        files = (october | other_october).attachment_id
        self.assertEqual(len(files), 2)
        Record = self.env["telecoop.usage.record"]
        october_partition = Record._get_partitions()[date(2026, 10, 1)]

        # 1 November 2027: the other company never billed October 2026, kept 12
        # months from its end (31 October 2026): past; ours was billed, due on
        # 20 November 2026: kept until 20 November 2027 (CPCE L34-1)
        self.assertEqual(Record._purge_expired(today=date(2027, 11, 1)), 1)
        self.assertFalse(Record.search([("company_id", "=", other.id)]))
        self.assertEqual(sorted(self._records().mapped("record_id")), ["N1", "O1"])
        self.assertTrue(other_october.raw_purged_date)
        self.assertFalse(other_october.attachment_id.exists())
        self.assertFalse(october.raw_purged_date)
        self.assertEqual(Record._purge_expired(today=date(2027, 11, 20)), 0)

        # 21 November 2027: the bill of October 2026 can no longer be contested
        self.assertEqual(Record._purge_expired(today=date(2027, 11, 21)), 1)
        self.assertNotIn(date(2026, 10, 1), Record._get_partitions())
        self.env.cr.execute("SELECT to_regclass(%s)", [october_partition])
        self.assertIsNone(self.env.cr.fetchone()[0])
        self.assertEqual(self._records().mapped("record_id"), ["N1"])
        # the record identities of the month are forgotten with it
        self.env.cr.execute(
            "SELECT record_id FROM telecoop_usage_record_identity WHERE source_id IN %s",
            [(self.source.id, other_source.id)],
        )
        self.assertEqual(self.env.cr.fetchall(), [("N1",)])
        # no raw record left in a file or a log: the uploads and errors are gone
        self.assertTrue(october.raw_purged_date)
        self.assertFalse(october.error_ids)
        self.assertEqual(october.count_rejected, 1)  # the counts stay
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    "|",
                    ("id", "in", files.ids),
                    "&",
                    ("res_model", "=", "telecoop.usage.import"),
                    ("res_id", "in", (october | other_october).ids),
                ]
            )
        )
        # November 2026 is not billed: kept until 30 November 2027
        self.assertTrue(november.attachment_id.exists())
        # rated usage, the invoice and the itemised bill printed are intact
        rated = self.env["telecoop.rated.usage"].search([("line_id", "=", self.line_a.id)])
        self.assertEqual(
            rated.read(["period", "usage_type", "zone", "quantity", "amount"]), rated_before
        )
        self.assertEqual((invoice.state, invoice.amount_total), ("posted", 24.0))
        self.assertEqual(printed.exists().raw, pdf)

    def test_records_of_a_purged_month_delivered_again_are_refused(self):
        """The purge forgets a month's records with their identities: the same file
        delivered again after it would count them a second time. A record of a month
        already purged is refused with that reason; the months after it import."""
        october = self._import(
            csv_file(
                "P1,33611111111,2026-10-03T08:00:00+02:00,data,2000000000,national,,",
                "P2,33611111111,2026-10-31T23:30:00+01:00,voice,60,national,33140000000,",
            )
        )
        self.assertEqual(october.count_new, 2)
        Rated = self.env["telecoop.rated.usage"]
        domain = [("line_id", "=", self.line_a.id), ("period", "=", "2026-10-01")]
        rated_before = Rated.search(domain).read(["usage_type", "zone", "quantity", "amount"])
        self.assertEqual(sum(row["quantity"] for row in rated_before), 2000000060)
        Record = self.env["telecoop.usage.record"]
        # 1 November 2027: October 2026, never billed, is past retention (12 months
        # from its end); November 2026 is kept until the end of November 2027
        self.assertEqual(Record._purge_expired(today=date(2027, 11, 1)), 2)
        again = self._import(
            csv_file(
                # the same record, a new one of October (its last minute, Paris time)
                # and one of the first minute of November, Paris time (still October in UTC)
                "P1,33611111111,2026-10-03T08:00:00+02:00,data,2000000000,national,,",
                "P3,33611111111,2026-10-31T23:59:00+01:00,sms,1,national,33600000000,",
                "P4,33611111111,2026-10-31T23:00:00+00:00,sms,1,national,33600000001,",
            ),
            name="october-again.csv",
        )
        self.assertEqual(self._counts(again), (3, 1, 0, 2, 0))
        reasons = {e.record_id: (e.field, e.reason) for e in again.error_ids}
        self.assertEqual(sorted(reasons), ["P1", "P3"])
        self.assertEqual(
            reasons["P1"],
            ("started_at", "in a month already purged (past retention, its records were erased)"),
        )
        self.assertEqual(self._records().mapped("record_id"), ["P4"])
        self.assertEqual(Record.search([("record_id", "=", "P4")]).period, date(2026, 11, 1))
        # October is rated as it was, counted once
        self.assertEqual(
            Rated.search(domain).read(["usage_type", "zone", "quantity", "amount"]), rated_before
        )

    def test_rating_by_increments_equals_rating_the_month_again(self):
        days = [
            [
                "I1,33611111111,2026-10-01T08:00:00+02:00,data,4000000000,national,,",
                "I2,33611111111,2026-10-01T09:00:00+02:00,voice,125,international,4420000000,",
                "I3,33622222222,2026-10-11T09:00:00+02:00,data,6000000000,national,,",
            ],
            [
                "I4,33611111111,2026-10-02T08:00:00+02:00,data,4000000000,national,,",
                "I2,33611111111,2026-10-01T09:00:00+02:00,voice,125,international,4420000000,",
                "I5,33611111111,2026-10-02T10:00:00+02:00,voice,60,premium,33899000000,1.80",
            ],
            [
                "I6,33611111111,2026-10-03T08:00:00+02:00,data,3000000000,national,,",
                "I7,33611111111,2026-10-03T10:00:00+02:00,voice,60,premium,33899000000,0.90",
                "I8,33622222222,2026-10-13T09:00:00+02:00,data,30000000000,national,,",
            ],
        ]
        Rated = self.env["telecoop.rated.usage"]
        domain = [("company_id", "=", self.company.id), ("period", "=", "2026-10-01")]
        fields_read = [
            "line_id",
            "usage_type",
            "zone",
            "quantity",
            "record_count",
            "amount",
            "third_party_amount",
            "last_usage_at",
        ]
        # line B changes holder in the month: its records go to each holder by day
        self.line_b.change_holder(self.holder, "2026-10-12")
        self._import(csv_file(*days[0]))
        # the second file by jobs of one record: each job counts what it wrote
        self._set_sizes(batch_size=1, job_batches=1)
        with trap_jobs() as trap:
            attachment = self.env["ir.attachment"].create(
                {"name": "day2.csv", "raw": csv_file(*days[1])}
            )
            by_jobs = self.env["telecoop.usage.import"].create(
                {"source_id": self.source.id, "attachment_id": attachment.id}
            )
            by_jobs.action_start()
            trap.perform_enqueued_jobs()
            self.assertEqual(by_jobs.state, "running")
            # the first job's record is in the rated usage already, priced at the end
            self.assertEqual(by_jobs.rated_until_id, max(self._records(import_id=by_jobs.id).ids))
            while trap.enqueued_jobs:
                trap.perform_enqueued_jobs()
        self.assertEqual(by_jobs.state, "done")
        # the third file priced again line by line (chunks of one line)
        self.env["ir.config_parameter"].sudo().set_param(
            "telecoop_mobile_billing.rating_reprice_chunk", "1"
        )
        self._import(csv_file(*days[2]))

        def snapshot():
            rated = sorted(
                (
                    tuple(r[name] for name in fields_read)
                    for r in Rated.search(domain).read(fields_read)
                ),
                key=str,
            )
            months = sorted(
                (m.line_id.id, m.partner_id.id, m.amount_untaxed, m.amount_total,
                 m.data_quantity, m.band_index, m.last_usage_at)
                for m in self.env["telecoop.priced.month"].search(domain)
            )  # fmt: skip
            charges = sorted(
                (
                    (c.line_id.id, c.partner_id.id, c.kind, c.usage_type or "", c.zone or "",
                     c.service or "", c.quantity, c.amount_untaxed, c.amount_total)
                    for c in self.env["telecoop.priced.charge"].search(domain)
                ),
                key=str,
            )  # fmt: skip
            return rated, months, charges

        by_increments = snapshot()
        Rated._rate_period(self.company, date(2026, 10, 1))
        again = snapshot()
        self.assertEqual(by_increments[0], again[0])
        self.assertEqual(by_increments[1], again[1])
        self.assertEqual(by_increments[2], again[2])
        # line B changed holder on the 12th: each holder pays their own days
        months_b = self.env["telecoop.priced.charge"].search(
            domain + [("line_id", "=", self.line_b.id), ("kind", "=", "plan")]
        )
        self.assertEqual(months_b.partner_id, self.holder | self.holder2)
        # line A on the 20 EUR plan with 9 GB included: 11 GB, 2 GB beyond at 2 EUR
        data_a = Rated.search(
            domain + [("line_id", "=", self.line_a.id), ("usage_type", "=", "data")]
        )
        self.assertEqual((data_a.quantity, data_a.amount), (11 * GB, 4.0))
        premium = Rated.search(domain + [("zone", "=", "premium")])
        self.assertEqual((premium.record_count, premium.third_party_amount), (2, 2.70))


PARIS = ZoneInfo("Europe/Paris")


def _paris(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def _last_sunday(year, month):
    day = max(d for d in range(25, 32) if date(year, month, d).weekday() == 6)
    return date(year, month, day)


# the edges of 2026 where a month or an offset changes, as instants (UTC): each first of
# the month at midnight in Paris (+01:00 in winter, +02:00 in summer), and the two DST
# nights (last Sunday of March: 02:00 becomes 03:00; of October: 03:00 becomes 02:00,
# i.e. 01:00 UTC both times)
MONTH_STARTS = [_paris(2026, month, 1) for month in range(2, 12)]
DST_NIGHTS = [
    datetime.combine(_last_sunday(2026, month), time(1, 0), tzinfo=UTC) for month in (3, 10)
]


@st.composite
def edge_records(draw):
    """A record started within 90 minutes of a month's start or of a DST change, written
    with the offset of Paris at that instant, or in UTC, or at +02:00 in winter (a host
    operator may write any offset), of any usage type and zone."""
    edge = draw(st.sampled_from(MONTH_STARTS + DST_NIGHTS))
    instant = edge + timedelta(seconds=draw(st.integers(min_value=-5400, max_value=5400)))
    offset = draw(st.sampled_from(["paris", "utc", "+02:00"]))
    if offset == "paris":
        written = instant.astimezone(PARIS)
    elif offset == "utc":
        written = instant
    else:
        written = instant.astimezone(timezone(timedelta(hours=2)))
    usage_type = draw(st.sampled_from(["data", "voice", "sms", "mms"]))
    zone = draw(st.sampled_from(["national", "eu", "international", "world"]))
    quantity = draw(st.integers(min_value=0, max_value=3 * GB if usage_type == "data" else 3600))
    return instant, written.isoformat(), usage_type, zone, quantity


@tagged("post_install", "-at_install")
class TestUsageMonthsAtTheEdges(UsageImportCommon):
    """The importer's month is the calendar month in Paris, whatever the offset written:
    23:30 on the 31st (+02:00) is that month's, 00:30 on the 1st the next one's, and
    the DST nights move nothing. Expected months from ``zoneinfo``, not the importer."""

    _ids = itertools.count(1)

    def test_a_month_end_at_plus_two_belongs_to_its_month(self):
        """Worked example: 31 August 2026 at 23:30 in Paris is 21:30 UTC, still August;
        1 September at 00:30 is 22:30 UTC on 31 August, and it is September's."""
        usage_import = self._import(
            csv_file(
                "ME1,33611111111,2026-08-31T23:30:00+02:00,data,1000,national,,",
                "ME2,33611111111,2026-09-01T00:30:00+02:00,data,1000,national,,",
                "ME3,33611111111,2026-08-31T22:30:00Z,sms,1,national,,",
            )
        )
        self.assertEqual(usage_import.state, "done")
        periods = {r.record_id: str(r.period) for r in self._records()}
        self.assertEqual(periods, {"ME1": "2026-08-01", "ME2": "2026-09-01", "ME3": "2026-09-01"})

    # one import per example (about 0.4 s): a fifth of the profile's examples (ci: 30,
    # nightly: 1,000), each of up to twelve records
    @settings(
        max_examples=max(settings.default.max_examples // 5, 10),
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(records=st.lists(edge_records(), min_size=1, max_size=12))
    def test_each_record_is_in_the_paris_month_it_started(self, records):
        rows, expected = [], {}
        for instant, written, usage_type, zone, quantity in records:
            record_id = f"EDGE{next(self._ids)}"
            rows.append(f"{record_id},33611111111,{written},{usage_type},{quantity},{zone},,")
            local = instant.astimezone(PARIS)
            expected[record_id] = (date(local.year, local.month, 1), usage_type, zone, quantity)
        usage_import = self._import(csv_file(*rows), now=datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
        self.assertEqual(
            (usage_import.state, usage_import.count_new),
            ("done", len(rows)),
            usage_import.failure_reason,
        )
        stored = self.env["telecoop.usage.record"].search([("record_id", "in", list(expected))])
        self.assertEqual(
            {r.record_id: (r.period, r.usage_type, r.zone, r.quantity) for r in stored}, expected
        )
