# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import io
import os
import tempfile
import unittest
from datetime import UTC, datetime
from decimal import Decimal

from ..services.cdr_csv import iter_csv
from ..services.cdr_format import detect_format
from ..services.cdr_parse import (
    CLOCK_SKEW,
    CdrError,
    parse_mapping,
    parse_record,
    parse_values,
    rename,
)
from ..services.cdr_xml import iter_xml
from ..services.masking import mask_number

#: 548 bytes that a parser expanding entities grows to gigabytes (billion laughs)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE usage [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<usage xmlns="urn:telecoop:usage:1"><record record_id="&lol9;"/></usage>
"""

GOOD = {
    "record_id": "A-000004",
    "msisdn": "33687654321",
    "started_at": "2026-10-02T11:30:00+02:00",
    "usage_type": "voice",
    "quantity": "60",
    "zone": "premium",
    "destination": "33899000000",
    "third_party_amount": "1.80",
}


class TestCdrParse(unittest.TestCase):
    def test_good_record_is_normalized(self):
        self.assertEqual(
            parse_record(GOOD),
            (
                "A-000004",
                "33687654321",
                "2026-10-02T11:30:00+02:00",
                "voice",
                60,
                "premium",
                "33899000000",
                Decimal("1.80"),
            ),
        )

    def test_optional_fields_may_be_empty_or_absent(self):
        record = dict(GOOD, usage_type="data", quantity="52428800", destination="")
        del record["third_party_amount"]
        parsed = parse_record(record)
        self.assertIsNone(parsed[6])
        self.assertIsNone(parsed[7])
        self.assertEqual(parsed[4], 52428800)

    def test_volumes_beyond_32_bits_are_kept(self):
        self.assertEqual(parse_record(dict(GOOD, quantity=str(80 * 10**9)))[4], 80 * 10**9)

    def test_utc_designator_is_accepted(self):
        parsed = parse_record(dict(GOOD, started_at="2026-10-02T09:30:00Z"))
        self.assertEqual(parsed[2], "2026-10-02T09:30:00Z")

    def test_destination_is_kept_as_the_operator_wrote_it(self):
        for destination in (
            "4930000000, ext 2",
            "33 1 40 00 00 00",
            "+44 (0)20 7946 0000",
            "*123#",
        ):
            with self.subTest(destination=destination):
                self.assertEqual(parse_record(dict(GOOD, destination=destination))[6], destination)

    def test_a_record_in_the_clock_skew_is_accepted(self):
        not_after = datetime(2026, 10, 2, 9, 30, tzinfo=UTC) + CLOCK_SKEW
        started = "2026-10-02T11:44:59+02:00"
        self.assertEqual(
            parse_record(dict(GOOD, started_at=started), not_after=not_after)[2], started
        )

    def test_json_numbers_are_read_as_their_text(self):
        self.assertEqual(parse_record(dict(GOOD, quantity=60, third_party_amount=1.8))[4], 60)

    def test_masking_hides_the_last_four_digits_and_the_extension(self):
        # golden figures: the last four digits of the number are hidden, and the
        # digits of an extension written after it as well
        self.assertEqual(mask_number("33140000123"), "3314000XXXX")
        self.assertEqual(mask_number("4930000000, ext 2"), "493000XXXX, ext X")
        self.assertEqual(mask_number("123"), "XXX")
        self.assertEqual(mask_number(""), "")

    def test_unusual_iso_forms_are_rewritten_for_postgresql(self):
        parsed = parse_record(dict(GOOD, started_at="20261002T093000+0200"))
        self.assertEqual(parsed[2], "2026-10-02T09:30:00+02:00")

    def test_each_bad_field_is_named_with_its_reason(self):
        cases = [
            ({"record_id": ""}, "record_id", "missing"),
            ({"record_id": "x" * 129}, "record_id", "longer than 128 characters"),
            ({"record_id": "A\t1"}, "record_id", "control characters"),
            ({"msisdn": None}, "msisdn", "missing"),
            ({"msisdn": "+33612345678"}, "msisdn", "not an E.164"),
            ({"msisdn": "0612345678a"}, "msisdn", "not an E.164"),
            ({"started_at": "2026-13-02T11:30:00+02:00"}, "started_at", "not an ISO 8601"),
            ({"started_at": "2026-10-02T11:30:00"}, "started_at", "no UTC offset"),
            ({"started_at": ""}, "started_at", "missing"),
            ({"usage_type": "fax"}, "usage_type", "unknown type 'fax'"),
            ({"quantity": "-5"}, "quantity", "negative"),
            ({"quantity": "1.5"}, "quantity", "not an integer"),
            ({"quantity": str(2**63)}, "quantity", "too large"),
            ({"zone": "moon"}, "zone", "unknown zone 'moon'"),
            ({"zone": ""}, "zone", "missing"),
            ({"destination": "3314\t0000"}, "destination", "control characters"),
            ({"destination": "3" * 65}, "destination", "longer than 64 characters"),
            ({"started_at": "2026-10-02T11:46:00+02:00"}, "started_at", "in the future"),
            ({"quantity": ["60"]}, "record", "a field is neither a string nor a number"),
            ({"third_party_amount": "1,80"}, "third_party_amount", "not a decimal with a dot"),
            ({"third_party_amount": "-1.80"}, "third_party_amount", "negative"),
        ]
        # a record may start up to 15 minutes after "now" (the host's clock may run ahead)
        not_after = datetime(2026, 10, 2, 9, 30, tzinfo=UTC) + CLOCK_SKEW
        for change, field, reason in cases:
            with self.subTest(change=change):
                with self.assertRaises(CdrError) as caught:
                    parse_record(dict(GOOD, **change), not_after=not_after)
                self.assertEqual(caught.exception.field, field)
                self.assertTrue(caught.exception.reason.startswith(reason), caught.exception.reason)


class TestImportProfile(unittest.TestCase):
    def test_mapping_is_read_line_by_line(self):
        text = "# host names\ncdr_id = record_id\n\n a_number=msisdn  # E.164\n"
        self.assertEqual(parse_mapping(text), {"cdr_id": "record_id", "a_number": "msisdn"})
        self.assertEqual(parse_mapping(False), {})

    def test_bad_mapping_names_the_line(self):
        for text, where, reason in (
            ("cdr_id record_id", "line 1", "not of the form"),
            ("x = record_id\ny = colour", "line 2", "unknown field 'colour'"),
            ("x = msisdn\ny = msisdn", "line 2", "field 'msisdn' mapped twice"),
        ):
            with self.subTest(text=text), self.assertRaises(CdrError) as caught:
                parse_mapping(text)
            self.assertEqual(caught.exception.field, where)
            self.assertTrue(caught.exception.reason.startswith(reason))


class TestCdrReaders(unittest.TestCase):
    def test_csv_gives_line_numbers_any_column_order_and_resumes(self):
        data = (
            b"zone,record_id,msisdn,started_at,usage_type,quantity\n"
            b"national,A1,33612345678,2026-10-01T08:00:12+02:00,data,10\n"
            b"national,A2,33612345678,2026-10-01T08:00:12+02:00\n"
            b"eu,A3,33612345678,2026-10-01T08:00:12+02:00,sms,1\n"
        )
        rows = list(iter_csv(io.BytesIO(data)))
        self.assertEqual([line for line, __ in rows], [2, 3, 4])
        # in the order of the fields, an absent optional column read as empty
        self.assertEqual(
            rows[0][1],
            ("A1", "33612345678", "2026-10-01T08:00:12+02:00", "data", "10", "national", "", ""),
        )
        self.assertEqual((rows[1][1].field, rows[1][1].reason), ("row", "4 cells, 6 expected"))
        self.assertEqual([line for line, __ in iter_csv(io.BytesIO(data), skip=2)], [4])

    def test_csv_without_a_required_column_is_refused(self):
        with self.assertRaises(CdrError) as caught:
            list(iter_csv(io.BytesIO(b"record_id,msisdn,started_at,usage_type,quantity\n")))
        self.assertEqual(caught.exception.field, "zone")

    def test_xml_streams_records_with_their_position(self):
        data = (
            b'<usage xmlns="urn:telecoop:usage:1" source="host">\n'
            b'  <record record_id="A1" msisdn="33612345678" quantity="1"/>\n'
            b"  <other/>\n"
            b'  <record record_id="A2" msisdn="33612345678" quantity="2"/>\n'
            b'  <record record_id="A3" msisdn="33612345678" quantity="3"/>\n'
            b"</usage>\n"
        )
        rows = list(iter_xml(io.BytesIO(data)))
        self.assertEqual([pos for pos, __ in rows], ["1 (line 2)", "2 (line 4)", "3 (line 5)"])
        self.assertEqual(rows[1][1]["quantity"], "2")
        self.assertEqual([r["record_id"] for __, r in iter_xml(io.BytesIO(data), skip=2)], ["A3"])

    def test_xml_in_another_namespace_gives_no_record(self):
        data = b'<usage><record record_id="A1"/></usage>'
        self.assertEqual(list(iter_xml(io.BytesIO(data))), [])

    def test_broken_xml_keeps_what_was_read_and_says_where(self):
        data = (
            b'<usage xmlns="urn:telecoop:usage:1"><record record_id="A1"/>'
            b'<record record_id="A2"></usage>'
        )
        read = []
        with self.assertRaises(CdrError) as caught:
            for __, raw in iter_xml(io.BytesIO(data)):
                read.append(raw["record_id"])
        self.assertEqual(read, ["A1"])
        self.assertIn("after record 1", caught.exception.reason)


class TestHostileFiles(unittest.TestCase):
    """Files no one here wrote: they fail with a clear reason, the good records stay."""

    def _read(self, reader, data):
        read = []
        with self.assertRaises(CdrError) as caught:
            for __, raw in reader(io.BytesIO(data)):
                read.append(raw)
        return read, caught.exception

    def test_billion_laughs_is_refused_at_once(self):
        read, error = self._read(iter_xml, BILLION_LAUGHS)
        self.assertEqual(read, [])
        self.assertEqual(error.field, "file")
        self.assertIn("document type (DTD)", error.reason)

    def test_a_dtd_or_an_external_entity_is_refused(self):
        for data in (
            b'<!DOCTYPE usage SYSTEM "http://evil.example/usage.dtd"><usage/>',
            b'<?xml version="1.0"?><!-- hi --><!DOCTYPE usage [<!ENTITY x SYSTEM '
            b'"file:///etc/passwd">]><usage xmlns="urn:telecoop:usage:1">'
            b'<record record_id="&x;"/></usage>',
            "<!DOCTYPE usage []><usage/>".encode("utf-16"),
        ):
            with self.subTest(data=data[:40]):
                read, error = self._read(iter_xml, data)
                self.assertEqual(read, [])
                self.assertIn("document type (DTD)", error.reason)

    def test_an_undeclared_entity_breaks_the_file_after_the_good_records(self):
        data = (
            b'<usage xmlns="urn:telecoop:usage:1"><record record_id="A1"/>'
            b'<record record_id="&lol9;"/></usage>'
        )
        read, error = self._read(iter_xml, data)
        self.assertEqual([raw["record_id"] for raw in read], ["A1"])
        self.assertIn("not well-formed XML after record 1", error.reason)

    def test_csv_broken_quote_fails_with_its_line_after_the_good_rows(self):
        header = b"record_id,msisdn,started_at,usage_type,quantity,zone,destination\n"
        good = b"A%d,33612345678,2026-10-01T08:00:12+02:00,sms,1,national,33140000000\n"
        data = header + good % 1 + good % 2
        data += b'A3,33612345678,2026-10-01T08:00:12+02:00,sms,1,national,"3314\n' + good % 4
        read, error = self._read(iter_csv, data)
        self.assertEqual([raw[0] for raw in read], ["A1", "A2"])
        self.assertEqual(error.field, "file")
        self.assertTrue(error.reason.startswith("line 4: "), error.reason)
        # a quote in the middle of a field, or never closed at the end of the file
        for broken in (b'A3,"336"12,x\n', b'A3,"33612345678'):
            with self.subTest(broken=broken):
                read, error = self._read(iter_csv, header + good % 1 + broken)
                self.assertEqual([raw[0] for raw in read], ["A1"])
                self.assertTrue(error.reason.startswith("line 3: "), error.reason)

    def test_csv_latin1_byte_fails_with_its_line_after_the_good_rows(self):
        header = b"record_id,msisdn,started_at,usage_type,quantity,zone,destination\n"
        good = b"A%d,33612345678,2026-10-01T08:00:12+02:00,sms,1,national,33140000000\n"
        data = header + b"".join(good % i for i in range(1, 3000))
        data += "A9,33612345678,2026-10-01T08:00:12+02:00,sms,1,national,Hôtel\n".encode("latin-1")
        data += good % 3001
        read, error = self._read(iter_csv, data)
        # decoded line by line: every good row before the bad byte is read
        self.assertEqual(len(read), 2999)
        self.assertEqual(error.reason, "line 3001: not UTF-8 (byte 0xf4 at column 58)")

    def test_csv_quoted_destination_with_a_comma_is_one_cell(self):
        data = (
            b"record_id,msisdn,started_at,usage_type,quantity,zone,destination\n"
            b'A1,33612345678,2026-10-01T08:00:12+02:00,sms,1,international,"4930000000, ext 2"\n'
        )
        ((line, raw),) = list(iter_csv(io.BytesIO(data)))
        self.assertEqual((line, raw[6]), (2, "4930000000, ext 2"))
        self.assertEqual(parse_values(*raw)[6], "4930000000, ext 2")

    def test_csv_line_too_long_is_refused(self):
        data = b"record_id,msisdn,started_at,usage_type,quantity,zone\n" + b"x" * 70000 + b"\n"
        read, error = self._read(iter_csv, data)
        self.assertEqual((read, error.reason), ([], "line 2: longer than 65536 bytes"))


class TestFormatDetection(unittest.TestCase):
    def test_content_decides_the_name_is_a_hint(self):
        xml = b'<?xml version="1.0"?>\n<usage xmlns="urn:telecoop:usage:1"/>'
        csv_head = b"\xef\xbb\xbfrecord_id,msisdn,started_at\n"
        self.assertEqual(detect_format(xml, "usage.csv"), "xml")
        self.assertEqual(detect_format(b"  \n<usage/>", None), "xml")
        self.assertEqual(detect_format("<usage/>".encode("utf-16"), "x.csv"), "xml")
        self.assertEqual(detect_format(csv_head, "usage.xml"), "csv")
        self.assertEqual(detect_format(b'"record_id",msisdn\n', None), "csv")
        self.assertEqual(detect_format(b"cdr_id,a_number\n", None, {"cdr_id": "record_id"}), "csv")
        # the content tells nothing: the name decides
        self.assertEqual(detect_format(b"", "usage.xml"), "xml")
        self.assertEqual(detect_format(b"id,number\n", "usage.CSV"), "csv")
        with self.assertRaises(CdrError):
            detect_format(b"\x00\x01PK", "usage.zip")


def _rss_bytes():
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@unittest.skipUnless(os.path.exists("/proc/self/statm"), "needs /proc (Linux)")
class TestXmlMemory(unittest.TestCase):
    def test_xml_memory_stays_flat_whatever_the_file_size(self):
        count = 100_000
        with tempfile.TemporaryFile() as handle:
            handle.write(b'<usage xmlns="urn:telecoop:usage:1" source="host">\n')
            line = (
                '<record record_id="X%d" msisdn="33612345678" started_at="2026-10-01T08:00:12'
                '+02:00" usage_type="voice" quantity="%d" zone="national" '
                'destination="33140000000"/>\n'
            )
            for i in range(0, count, 1000):
                handle.write("".join(line % (j, j) for j in range(i, i + 1000)).encode())
            handle.write(b"</usage>\n")
            handle.seek(0)
            before = _rss_bytes()
            growth = 0
            read = 0
            last = None
            for __, raw in iter_xml(handle):
                read += 1
                last = raw["record_id"]
                if read % 5000 == 0:
                    growth = max(growth, _rss_bytes() - before)
        self.assertEqual(read, count)
        self.assertEqual(last, f"X{count - 1}")
        # the whole tree of 100,000 records would take well over 100 MB
        self.assertLess(growth, 25 * 2**20)


class TestCdrParseLimits(unittest.TestCase):
    """The limits of the format (shared/formats/usage-records.md), reached and
    passed by one, and the exact words of each refusal."""

    def _refused(self, change):
        with self.assertRaises(CdrError) as caught:
            parse_record(dict(GOOD, **change))
        return str(caught.exception)

    def test_limits_reached_are_accepted(self):
        cases = [
            ({"record_id": "x" * 128}, 0, "x" * 128),
            ({"msisdn": "336123"}, 1, "336123"),  # 6 digits: the shortest allowed
            ({"msisdn": "336123456789012"}, 1, "336123456789012"),  # 15 digits, E.164's longest
            ({"quantity": str(2**63 - 1)}, 4, 2**63 - 1),
            ({"destination": "3" * 64}, 6, "3" * 64),
            ({"third_party_amount": "0.00"}, 7, Decimal("0.00")),  # a free third-party call
            ({"third_party_amount": "0.5"}, 7, Decimal("0.5")),
        ]
        for change, index, expected in cases:
            with self.subTest(change=change):
                self.assertEqual(parse_record(dict(GOOD, **change))[index], expected)

    def test_a_record_starting_at_the_very_limit_is_accepted(self):
        # now 09:30 UTC + 15 minutes of skew = 09:45 UTC = 11:45 in Paris
        not_after = datetime(2026, 10, 2, 9, 30, tzinfo=UTC) + CLOCK_SKEW
        started = "2026-10-02T11:45:00+02:00"
        self.assertEqual(
            parse_record(dict(GOOD, started_at=started), not_after=not_after)[2], started
        )

    def test_refusals_in_words(self):
        not_e164 = "msisdn: not an E.164 number without + (6 to 15 digits)"
        cases = [
            ({"msisdn": "33612"}, not_e164),  # 5 digits
            ({"msisdn": "3361234567890123"}, not_e164),  # 16 digits
            ({"msisdn": "0612345678"}, not_e164),  # a national number, leading 0
            ({"msisdn": " "}, "msisdn: missing"),
            ({"usage_type": None}, "usage_type: missing"),
            ({"usage_type": " "}, "usage_type: missing"),
            ({"quantity": None}, "quantity: missing"),
            ({"quantity": ""}, "quantity: missing"),
            ({"record_id": " "}, "record_id: missing"),
            ({"third_party_amount": "1e3"}, "third_party_amount: not a decimal with a dot"),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                self.assertEqual(self._refused(change), message)


class TestImportProfileLines(unittest.TestCase):
    def test_comments_and_renaming(self):
        text = "cdr_id = record_id # the host's id # second comment\nnumber = msisdn\n"
        mapping = parse_mapping(text)
        self.assertEqual(mapping, {"cdr_id": "record_id", "number": "msisdn"})
        # the names not in the profile are kept as the host wrote them
        self.assertEqual(
            rename({"cdr_id": "A-1", "number": "336", "zone": "eu"}, mapping),
            {"record_id": "A-1", "msisdn": "336", "zone": "eu"},
        )
        self.assertEqual(rename({"zone": "eu"}, {}), {"zone": "eu"})

    def test_each_bad_line_is_named(self):
        cases = [
            ("= msisdn", "line 1: not of the form 'host name = field'"),
            ("a = record_id\nnumber =", "line 2: not of the form 'host name = field'"),
            ("x = y = msisdn", "line 1: unknown field 'y = msisdn'"),
        ]
        for text, message in cases:
            with self.subTest(text=text):
                with self.assertRaises(CdrError) as caught:
                    parse_mapping(text)
                self.assertEqual(str(caught.exception), message)
