"""Server time of filing a request through its service page, beside a stock Wagtail FormPage with the same fields.

Four cases, each against its peer, measured interleaved in one process through Django's test client on a fresh
database: a leave request without a substitute (routed straight to the head of the office), one naming a
substitute (who must confirm first), a VPN request, and an editor-built (generic) service. The peer is
wagtail.contrib.forms' FormPage (an AbstractEmailForm without a recipient address, so no mail) with the same
fields, which stores the answers as one FormSubmission and renders its landing page. Every request filed is
removed again after it was timed, so each round files into the same city.

    .venv/bin/python tests/benchmarks/bench_submission.py        (BENCH_REPEAT=30, BENCH_WARMUP=3)
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))

from tests.benchmarks import common  # noqa: E402


def main() -> None:
    common.django_setup()
    from wagtail.contrib.forms.models import FormSubmission

    from tests.factories import logged_in_client

    with common.fresh_database():
        city = common.city_build()
        applicant, substitute = city.applicant, city.substitute
        client = logged_in_client(applicant, mfa=False)
        pages = city.site["services"]

        def portal(name: str, url: str, data: dict) -> common.Case:
            return common.Case(name, lambda: client.post(url, data),
                               common.expect_status(302, then=lambda response: common.request_delete(
                                   response["Location"].rstrip("/").rsplit("/", 1)[-1])))

        def stock(name: str, key: str, values: list) -> common.Case:
            page = city.stock_forms[key]
            data = common.stock_post(page, values)
            return common.Case(name, lambda: client.post(page.url, data),
                               common.expect_status(200, then=lambda _response: FormSubmission.objects.all().delete()))

        pairs = [
            (portal("leave, no substitute (routed to the head)", pages["leave"].url, common.leave_post(applicant)),
             stock("stock FormPage, leave (5 fields)", "leave", common.stock_leave_values(applicant))),
            (portal("leave with a substitute (who confirms first)", pages["leave"].url,
                    common.leave_post(applicant, substitute=substitute)),
             stock("stock FormPage, leave with substitute", "leave", common.stock_leave_values(applicant, substitute=substitute))),
            (portal("VPN access", pages["vpn_access"].url, common.vpn_post(applicant)),
             stock("stock FormPage, VPN (6 fields)", "vpn_access", common.stock_vpn_values(applicant))),
            (portal("editor-built service (generic)", city.generic_page.url, common.generic_post(applicant)),
             stock("stock FormPage, same 4 fields", "generic", common.stock_generic_values(applicant))),
        ]
        common.measure(pairs)
        print(common.table("Submitting a request (server time, Django test client)", pairs))


if __name__ == "__main__":
    main()
