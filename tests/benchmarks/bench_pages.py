"""Server time of the portal's pages, each beside a stock Wagtail page rendered in the portal's own base layout.

The peer is the smallest Wagtail page there is (tests.benchmarks.stock.StockPage: a title and a rich-text body
of the guidance page's text) in the portal's base.html, asked for by the same visitor: anonymous for the
anonymous guidance page, the same logged-in person for the others. So the ratio tells what each page costs
beyond Wagtail serving a page in the portal's header, navigation and footer. Measured interleaved in one
process through Django's test client on a fresh database.

    .venv/bin/python tests/benchmarks/bench_pages.py             (BENCH_REPEAT=30, BENCH_WARMUP=3)
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))

from tests.benchmarks import common  # noqa: E402


def main() -> None:
    common.django_setup()
    from django.test import Client

    from tests.factories import logged_in_client

    with common.fresh_database():
        city = common.city_build()
        staff = logged_in_client(city.applicant, mfa=False)
        head = logged_in_client(city.approver)
        anonymous = Client()
        guidance_url = city.site["guidance"].get_children().get(slug="phishing").url
        stock_url = city.stock_page.url
        ok = common.expect_status(200)

        def page(name: str, client, url: str) -> tuple[common.Case, common.Case]:
            return (common.Case(name, lambda: client.get(url), ok),
                    common.Case(f"stock page, {name.split(':')[0]}", lambda: client.get(stock_url), ok))

        pairs = [
            page("staff member: dashboard", staff, "/"),
            page("head of office: dashboard", head, "/"),
            page("staff member: my requests", staff, "/requests/"),
            page("head of office: queue", head, "/queue/"),
            page("staff member: leave form", staff, city.site["services"]["leave"].url),
            page("anonymous: guidance page", anonymous, guidance_url),
            page("staff member: guidance page", staff, guidance_url),
            page("staff member: team calendar", staff, "/team/calendar/"),
        ]
        common.measure(pairs)
        print(common.table("Pages (server time, Django test client)", pairs))


if __name__ == "__main__":
    main()
