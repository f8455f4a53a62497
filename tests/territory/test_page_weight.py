"""Pages an inhabitant touches stay light: under 100 KB compressed, nothing from elsewhere."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import OrganisationFactory

BUDGET = 100_000


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/structures/", "/lieux/", "/compte/login/code/"])
def test_a_page_and_everything_it_loads_weigh_under_100_kb_compressed(client, path):
    OrganisationFactory.create_batch(25, networks=["caf", "france-service"], dimensions=["travail"])
    html = client.get(path).content
    resources = re.findall(rb'<(?:script|img)[^>]* src="([^"]+)"|<link[^>]* href="([^"]+)"', html)
    assets = [src or href for src, href in resources]
    assert assets and all(url.startswith(b"/static/") for url in assets), assets
    total = len(gzip.compress(html))
    for url in assets:
        path_on_disk = finders.find(url.decode().removeprefix("/static/"))
        with open(path_on_disk, "rb") as asset:
            total += len(gzip.compress(asset.read()))
    assert total < BUDGET, f"{path}: {total} bytes"
