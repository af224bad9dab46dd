from odoo.tests import TransactionCase, tagged


@tagged("standard")
class TestDbg(TransactionCase):
    def test_x(self):
        S = self.env["psa.quality.signal"].with_context(lang=None)
        from odoo.addons.public_service_agent.tools.center_language import center_lang

        rule = self.env["psa.quality.rule"].search([("signal_type", "=", "fee_complaint")], limit=1)
        a = S.with_context(lang="vi_VN")._detail(rule, {"n": 1})
        b = S.with_context(lang="vi_VN").env.lang
        raise Exception(f"LANG {center_lang(S.env)} {a} {b} {self.env.context}")
