# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The security matrix of an addon, as tables: who may do what on which record or page.

Shared by the ``test_security_matrix`` module of each addon. Two tables per addon:

``RULES``: one row per model of the addon that has record rules, naming those
rules (their XML ids) and, for each role, the operations allowed on a record
of the test cooperative owned by the member ``owner``, as four letters
``r``/``w``/``c``/``u`` (read, write, create, unlink; ``-`` for an
``AccessError``). The rules are read from the registry: a rule added later
without a row, or a row naming a rule that is gone, fails the test. Each cell is
the access check the ORM runs before the operation (access rights and record
rules: ``check_access``) and, for read, a search for the record as that user;
business guards (append-only ledgers, states) are tested where they live.

``ROUTES``: one row per portal route of the addon (read from the routing map of
the running server, so a route added later without a row fails), a URL built
from the fixtures and, for each role of ``HTTP_ROLES``, the answer: a status
code, or ``"->/path"`` for a redirect to that path. Every page answered is read
for the raw text of an access error ("Uh-oh", "top-secret"): a refusal shown to
a member is a sentence.
"""

import re
from urllib.parse import urlsplit

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

ROLES = ("owner", "member2", "non_member", "user", "manager", "other_staff")
HTTP_ROLES = ("anonymous", "owner", "member2", "non_member", "user", "other_staff")
OPERATIONS = ("read", "write", "create", "unlink")
LETTERS = dict(zip(OPERATIONS, "rwcu", strict=True))
# what Odoo prints for an AccessError it was not told how to word
RAW_ACCESS_ERROR = ("Uh-oh", "top-secret", "You are not allowed to access", "AccessError")


def addon_models(env, addon):
    return sorted(
        name
        for name, model_class in env.registry.items()
        if model_class._original_module == addon and not model_class._abstract
    )


def addon_rules(env, addon):
    """XML ids of the record rules on the models of ``addon`` or defined by it."""
    rules = (
        env["ir.rule"]
        .sudo()
        .with_context(active_test=False)
        .search([("model_id.model", "in", addon_models(env, addon))])
    )
    data = env["ir.model.data"].sudo().search([("model", "=", "ir.rule"), ("module", "=", addon)])
    rules |= env["ir.rule"].sudo().browse(data.mapped("res_id"))
    return {rule.get_external_id()[rule.id] or f"ir.rule({rule.id})": rule for rule in rules}


def addon_routes(env, addon):
    """The URL rules the controllers of ``addon`` define (their own ``@route``)."""
    prefix = f"odoo.addons.{addon}."
    urls = set()
    modules = sorted(env.registry._init_modules)
    for url, endpoint in http._generate_routing_rules(modules, nodb_only=False):
        method = getattr(endpoint, "func", endpoint)
        controller = getattr(method, "__self__", None)
        if controller is None:
            continue
        for cls in type(controller).mro():
            own = cls.__dict__.get(endpoint.__name__)
            routing = getattr(own, "original_routing", None)
            if cls.__module__.startswith(prefix) and routing and url in routing["routes"]:
                urls.add(url)
    return urls


def matrix_users(case, prefix, owner, member2, user_groups, manager_groups, other_company):
    """The users of the roles: ``owner`` and ``member2`` are partners (members) of the
    test cooperative, ``other_staff`` has ``manager_groups`` in ``other_company`` only.
    Each login is its own password."""
    env = case.env
    mine = {"company_id": case.company.id, "company_ids": case.company.ids}
    theirs = {"company_id": other_company.id, "company_ids": other_company.ids}
    specs = {
        "owner": ("base.group_portal", {"partner_id": owner.id, **mine}),
        "member2": ("base.group_portal", {"partner_id": member2.id, **mine}),
        "non_member": ("base.group_portal", mine),
        "user": (user_groups, mine),
        "manager": (manager_groups, mine),
        "other_staff": (manager_groups, theirs),
    }
    users = {}
    for role, (groups, values) in specs.items():
        login = f"{prefix}_{role}"
        users[role] = new_test_user(env, login=login, password=login, groups=groups, **values)
    return users


class RuleMatrixMixin:
    """For a TransactionCase: ``cls.RULES``, ``cls.ADDON``, ``cls.users`` (role: user)
    and ``cls.records`` (model: a record of the test cooperative owned by ``owner``)."""

    ADDON = None
    RULES = {}
    # the whole table of the addon, when its rows are shared between test classes
    ADDON_RULES = None
    maxDiff = None

    def test_every_rule_has_a_row(self):
        in_registry = set(addon_rules(self.env, self.ADDON))
        table = self.ADDON_RULES or self.RULES
        in_table = {rule for rules, *_cells in table.values() for rule in rules}
        self.assertEqual(
            sorted(in_registry - in_table), [], "record rules of the addon without a row"
        )
        self.assertEqual(sorted(in_table - in_registry), [], "rows naming rules that are gone")

    def test_rule_matrix(self):
        expected, got = {}, {}
        for model, (_rules, *cells) in self.RULES.items():
            record = self.records.get(model)
            self.assertTrue(record, f"no fixture record of {model}")
            for role, cell in zip(ROLES, cells, strict=True):
                expected[model, role] = cell
                got[model, role] = self._allowed(record, self.users[role])
        wrong = {
            f"{model} as {role}": f"expected {expected[model, role]}, got {got[model, role]}"
            for model, role in expected
            if expected[model, role] != got[model, role]
        }
        self.assertEqual(wrong, {}, "cells of the security matrix that differ")

    def _allowed(self, record, user):
        env = record.env(
            user=user, context=dict(record.env.context, allowed_company_ids=user.company_ids.ids)
        )
        record = record.with_env(env)
        letters = ""
        for operation in OPERATIONS:
            try:
                record.check_access(operation)
                allowed = True
            except AccessError:
                allowed = False
            if operation == "read" and allowed != self._found(record):
                letters += "?"  # the access check and the search disagree
                continue
            letters += LETTERS[operation] if allowed else "-"
        return letters

    @staticmethod
    def _found(record):
        try:
            return bool(record.search([("id", "=", record.id)]))
        except AccessError:
            return False


class RouteMatrixMixin:
    """For an HttpCase: ``cls.ROUTES`` (url rule: (method, url, data, cells)),
    ``cls.ADDON`` and ``cls.logins`` (role: login, password = login)."""

    ROUTES = {}
    ADDON_ROUTES = None
    maxDiff = None

    def test_every_route_has_a_row(self):
        self.assertEqual(
            sorted(addon_routes(self.env, self.ADDON) - set(self.ADDON_ROUTES or self.ROUTES)),
            [],
            "portal routes of the addon without a row",
        )

    def test_route_matrix(self):
        expected, got = {}, {}
        for role in HTTP_ROLES:
            if role == "anonymous":
                self.authenticate(None, None)
            else:
                self.authenticate(self.logins[role], self.logins[role])
            for rule, (method, url, data, cells) in self.route_rows().items():
                expected[rule, role] = cells[HTTP_ROLES.index(role)]
                got[rule, role] = self._answer(method, url, data)
        wrong = {
            f"{method_url(self.route_rows()[rule])} as {role}": (
                f"expected {expected[rule, role]}, got {got[rule, role]}"
            )
            for rule, role in expected
            if expected[rule, role] != got[rule, role]
        }
        self.assertEqual(wrong, {}, "cells of the route matrix that differ")

    def route_rows(self):
        """The rows with their URLs built from the fixtures (``self.ROUTES`` by default)."""
        return self.ROUTES

    def _answer(self, method, url, data):
        if method == "POST":
            data = {**(data or {}), "csrf_token": http.Request.csrf_token(self)}
            response = self.url_open(url, data=data, allow_redirects=False)
        else:
            response = self.url_open(url, allow_redirects=False)
        if response.is_redirect:
            # the ids of documents just created are not known in advance
            location = re.sub(r"/\d+", "/N", urlsplit(response.headers["Location"]).path)
            # the page the member lands on says it in a sentence, never the raw error
            landing = self.url_open(response.headers["Location"])
            raw = self._raw_error(landing.text)
            return f"->{location}" + (f" RAW {raw}" if raw else "")
        raw = (
            self._raw_error(response.text)
            if "text/html" in response.headers.get("Content-Type", "")
            else None
        )
        return response.status_code if not raw else f"{response.status_code} RAW {raw}"

    @staticmethod
    def _raw_error(text):
        return next((words for words in RAW_ACCESS_ERROR if words in text), None)


def method_url(row):
    return f"{row[0]} {row[1]}"
