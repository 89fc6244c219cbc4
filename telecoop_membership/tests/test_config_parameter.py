# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One reader for the numeric system parameters of the three addons."""

from odoo.tests import TransactionCase, tagged

from ..models.telecoop_subscription_request import PUBLIC_PER_HOUR, PUBLIC_PER_HOUR_PARAM

KEY = "telecoop_membership.test_number"


@tagged("post_install", "-at_install")
class TestPositiveIntParameter(TransactionCase):
    def _read(self, value, default=7):
        params = self.env["ir.config_parameter"]
        params.set_param(KEY, value)
        return params._get_positive_int(KEY, default)

    def test_bad_values_keep_the_default(self):
        for value in ("abc", "0", "-3", "2.5", "1e3", " ", "12 lines"):
            with self.subTest(value=value):
                self.assertEqual(self._read(value), 7)

    def test_missing_parameter_keeps_the_default(self):
        self.assertEqual(self.env["ir.config_parameter"]._get_positive_int(KEY, 7), 7)

    def test_positive_whole_number_is_read(self):
        self.assertEqual(self._read("12"), 12)
        self.assertEqual(self._read(" 3 "), 3)
        self.assertEqual(self._read("1"), 1)

    def test_read_without_access_to_the_parameters(self):
        """A portal user's request reads the quota: the reader needs no right."""
        self.env["ir.config_parameter"].set_param(KEY, "9")
        portal = self.env["res.users"].create(
            {
                "name": "Parameter reader",
                "login": "parameter-reader",
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.assertEqual(
            self.env["ir.config_parameter"].with_user(portal)._get_positive_int(KEY, 7), 9
        )

    def test_public_quota_reads_it(self):
        """A quota of 0, text or negative keeps the default (30 an hour), never
        shuts the public form."""
        requests = self.env["telecoop.subscription.request"]
        for value in ("many", "0", "-1"):
            with self.subTest(value=value):
                self.env["ir.config_parameter"].set_param(PUBLIC_PER_HOUR_PARAM, value)
                requests._check_public_rate(self.env.company)
        self.assertEqual(
            self.env["ir.config_parameter"]._get_positive_int(
                PUBLIC_PER_HOUR_PARAM, PUBLIC_PER_HOUR
            ),
            30,
        )
