"""The portal as a dealer sees it: every page under /my reachable by links, on the demo
database, logged in as the demo dealer's portal user (Amigo Siberia).

Starting from /my, every link to a /my page is followed (query strings dropped, so that
sorting and filtering variants count once), up to a bound; each page must answer 200 as
this user, not an error and not the login page. The suite's own portal pages must be among
them: the dealer's leads and a lead, the orders and the claim form of an order, the
tickets. The addons' own portal tests check what these pages do; this one checks that
none of the pages a dealer can reach breaks.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
import requests

LOGIN, PASSWORD = "siberia@amigo.example.com", "siberia"
MAX_PAGES = 250
HREF = re.compile(r'href="([^"#]+)')


def _login(url):
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=60)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    response = session.post(
        f"{url}/web/login",
        data={"login": LOGIN, "password": PASSWORD, "csrf_token": token.group(1)},
        timeout=60,
    )
    assert response.ok and "/web/login" not in response.url, (
        f"the demo dealer {LOGIN} could not log in"
    )
    return session


def _portal_links(base, html):
    for href in HREF.findall(html):
        parts = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if parts.netloc != urlsplit(base).netloc or not parts.path.startswith("/my"):
            continue
        # PDF reports (wkhtmltopdf) and downloads are files, not pages
        if "logout" in parts.path or "/pdf" in parts.path or "download" in parts.path:
            continue
        yield parts.path


@pytest.fixture(scope="module")
def crawled(odoo_server):
    url = odoo_server["url"]
    session = _login(url)
    seen, failures, queue = set(), [], deque(["/my"])
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = session.get(f"{url}{path}", timeout=120)
        if response.status_code != 200 or "/web/login" in response.url:
            failures.append(f"{path}: {response.status_code} at {response.url}")
            continue
        queue.extend(
            link for link in _portal_links(response.url, response.text) if link not in seen
        )
    return seen, failures


def test_every_portal_page_a_dealer_reaches_answers(crawled):
    seen, failures = crawled
    assert not failures, "portal pages that failed for the demo dealer:\n" + "\n".join(failures)
    assert len(seen) >= 20, f"only {len(seen)} portal pages were reached: {sorted(seen)}"


@pytest.mark.parametrize(
    "pattern",
    [r"/my/dealer-leads", r"/my/dealer-leads/\d+", r"/my/orders", r"/my/orders/\d+",
     r"/my/orders/\d+/claim", r"/my/tickets"],
)  # fmt: skip
def test_the_suites_portal_pages_are_reached(crawled, pattern):
    seen, _failures = crawled
    assert any(re.fullmatch(pattern, path) for path in seen), (
        f"no page {pattern} reached from /my; reached: {sorted(seen)}"
    )
