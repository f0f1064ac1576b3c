"""Every response carries the security headers; no page needs inline script."""

import re

import pytest
from django.urls import reverse

from tests.support import factories

pytestmark = pytest.mark.django_db


def test_public_pages_send_a_strict_content_security_policy(client):
    testimony = factories.publish_testimony()
    for url in [
        reverse("testimonies:home"),
        reverse("testimonies:testimony_list"),
        testimony.get_absolute_url(),
    ]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        # Only data blocks (JSON-LD) may be inline; never executable script.
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
            assert "src=" in tag or 'type="application/ld+json"' in tag, tag
