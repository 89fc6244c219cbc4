# Copyright 2026 TeleCoop addons contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

# The fields of the public form, as the model reads them (the password is never echoed).
FORM_FIELDS = ("name", "email", "phone", "street", "zip", "city", "quantity", "share_class_id")


class TelecoopPublicSubscription(http.Controller):
    """/cooperative/subscribe: a person who is not a member yet subscribes shares.

    No ``website`` dependency: a plain portal page (``website=True`` is the frontend
    flag of http_routing, which sets the language and the layout's values). The
    route parses the form and calls
    :meth:`telecoop.subscription.request._public_subscribe`, which checks everything
    and creates the person, their portal account, their candidate membership and
    the request.
    """

    def _telecoop_company(self, company_id=None):
        companies = request.env["res.company"].sudo()
        try:
            company = companies.browse(int(company_id)).exists() if company_id else companies
        except (TypeError, ValueError):
            company = companies
        return company or request.env.company.sudo()

    def _telecoop_form_values(self, company, form=None, error=None):
        profile = company.telecoop_statute_profile_id
        share_classes = (
            request.env["telecoop.share.class"]
            .sudo()
            .search([("company_id", "=", company.id), ("active", "=", True)])
        )
        return {
            "page_name": "telecoop_public_subscribe",
            "title": request.env._("Become a member of %(company)s", company=company.name),
            "company": company,
            "profile": profile,
            "share_classes": share_classes,
            "bank": profile._get_payment_bank_account() if profile else False,
            "form": form or {},
            "error": error,
        }

    @http.route(
        "/cooperative/subscribe",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def public_subscribe_form(self, company_id=None, **kwargs):
        if not request.env.user._is_public():
            return request.redirect("/my/shares")
        company = self._telecoop_company(company_id)
        return request.render(
            "telecoop_membership.public_subscribe", self._telecoop_form_values(company)
        )

    @http.route(
        "/cooperative/subscribe",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def public_subscribe_post(self, company_id=None, **post):
        if not request.env.user._is_public():
            return request.redirect("/my/shares")
        company = self._telecoop_company(company_id)
        share_class_id = post.get("share_class_id") or ""
        share_class = request.env["telecoop.share.class"].browse(
            int(share_class_id) if share_class_id.isdigit() else 0
        )
        values = {
            **{name: post.get(name) for name in FORM_FIELDS},
            "password": post.get("password"),
            "password_confirm": post.get("password_confirm"),
            "accept_statutes": bool(post.get("accept_statutes")),
            "honeypot": post.get("website_url"),
            "share_class": share_class,
        }
        try:
            subscription, user = request.env["telecoop.subscription.request"]._public_subscribe(
                company, values
            )
        except (UserError, ValidationError) as error:
            form = {name: post.get(name) for name in FORM_FIELDS}
            return request.render(
                "telecoop_membership.public_subscribe",
                self._telecoop_form_values(company, form, error.args[0]),
            )
        request.session.authenticate(
            request.env,
            {"login": user.login, "password": values["password"], "type": "password"},
        )
        return request.redirect(subscription.access_url)
