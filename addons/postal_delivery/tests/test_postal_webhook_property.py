import json

from hypothesis import (
    HealthCheck,
    given,
    settings,
    strategies as st,
)

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.postal_delivery.models.postal_delivery import STATE_RANK

from .test_postal_webhook import WebhookCommon

# Journeys a Viettel Post item can really take, as status codes in time order.
JOURNEYS = [
    (105, 200, 300, 500, 501),
    (105, 300, 500, 506, 550, 501),
    (105, 500, 506, 550, 507, 504),
    (105, 300, 502, 504),
    (100, 107),
]

junk = st.one_of(
    st.text(max_size=40),
    st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8), max_size=4).map(
        json.dumps
    ),
    st.builds(
        lambda status, token: json.dumps(
            {"TOKEN": token, "DATA": {"ORDER_NUMBER": "X", "ORDER_STATUS": status}}
        ),
        st.integers() | st.text(max_size=5) | st.none(),
        st.sampled_from(["hook-secret", "wrong", ""]),
    ),
)


@tagged("post_install", "-at_install")
class TestPostalWebhookProperty(WebhookCommon):
    @mute_logger("odoo.http")
    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        journey=st.sampled_from(JOURNEYS),
        order=st.randoms(use_true_random=False),
        repeats=st.lists(st.integers(min_value=0, max_value=10), max_size=3),
        noise=st.lists(junk, max_size=3),
        process_after=st.sets(st.integers(min_value=0, max_value=12), max_size=4),
    )
    def test_any_order_no_500_no_regression_each_event_once(
        self, journey, order, repeats, noise, process_after
    ):
        dossier = self._done_dossier()
        delivery = dossier.postal_delivery_ids
        delivery.action_request()
        number = f"P{delivery.id}"
        delivery.tracking_ref = number
        valid = [
            self._vtp_body(status, minutes, number=number, ORDER_REFERENCE=delivery.order_ref)
            for minutes, status in enumerate(journey)
        ]
        bodies = valid + [valid[i % len(valid)] for i in repeats] + noise
        order.shuffle(bodies)
        rank = STATE_RANK[delivery.state]
        # The processing step runs at random points between requests, and once at the end.
        for index, body in enumerate(bodies):
            response = self._post(body, process=index in process_after)
            self.assertLess(response.status_code, 500, body)
            delivery.invalidate_recordset()
            self.assertGreaterEqual(STATE_RANK[delivery.state], rank, body)
            rank = STATE_RANK[delivery.state]
        self._process()
        self.assertGreaterEqual(STATE_RANK[delivery.state], rank)
        self.assertEqual(self._process(), 0)
        events = self.env["postal.webhook.event"].search([("order_number", "=", number)])
        # Each distinct event stored once, none left unprocessed.
        self.assertEqual(len(events), len(set(valid)))
        self.assertNotIn("pending", events.mapped("state"))
        moved_by = delivery.event_ids.filtered(lambda e: e.source == "webhook")
        self.assertLessEqual(len(set(moved_by.mapped("carrier_status"))), len(set(journey)))
        # Sent again in time order, nothing changes: every event is already known.
        history = len(delivery.event_ids)
        for body in valid:
            self.assertEqual(self._post(body).json()["results"][0][1], "duplicate")
        self.assertEqual(self._process(), 0)
        self.assertEqual(len(delivery.event_ids), history)
