"""How long one decision document takes to render, beside weasyprint rendering plain HTML of the same length.

Both run in the same process, interleaved (document, plain, document, plain, …), so that a busy machine
slows both alike. The decision document is rendered from an unsaved request built in memory, through the
same template, fetcher, fonts and PDF/UA variant as the background task; the plain HTML is as many
characters of paragraphs, with weasyprint's defaults (no variant, no tags, no web fonts).

    .venv/bin/python tests/benchmarks/bench_decision_pdf.py [rounds]
"""

import os
import statistics
import sys
import time


def main(rounds: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()
    import weasyprint
    from django.utils import timezone

    from portal.models import User
    from services.documents import rendering
    from services.documents.models import DocumentOutcome, Letterhead
    from services.models import AuthorityKind, EventAction, RequestEvent, ServiceRequest
    from services.statuses import RequestStatus

    now = timezone.now()
    request = ServiceRequest(reference="KD-2027-000042", kind="remote_work", status=RequestStatus.APPROVED, submitted_at=now)
    request.applicant = User(email="anna.schmidt@musterstadt.example", first_name="Anna", last_name="Schmidt")
    decider = User(email="bernd.keller@musterstadt.example", first_name="Bernd", last_name="Keller")
    events = [RequestEvent(action=action, step=step, authority=AuthorityKind.OWN, created_at=now)
              for action, step in ((EventAction.STEP_APPROVED, 1), (EventAction.APPROVED, 2))]
    for event in events:
        event.actor = decider
    url = "https://portal.musterstadt.example/verify/?reference=KD-2027-000042&code=ABCD-EFGH-JKMN"
    context = {"letterhead": Letterhead(), "logo": "", "service_request": request, "kind": None, "kind_label": "Mobiles Arbeiten",
               "details": None, "extra_answers": [], "decisions": [{"event": e, "step_label": ""} for e in events],
               "final": events[-1], "outcome": DocumentOutcome.APPROVED, "outcome_label": "genehmigt", "decided_at": now,
               "verification_code": "ABCD-EFGH-JKMN", "verification_url": url, "qr_code": rendering.qr_code_data_uri(url),
               "title": "Mobiles Arbeiten – KD-2027-000042"}
    html = rendering.render_decision_html(context, language="de")
    words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
    plain = "<html><body>" + "".join(f"<p>{words * 4}</p>" for _ in range(len(html) // (len(words) * 4 + 7) + 1)) + "</body></html>"

    def decision() -> None:
        rendering.render_decision_pdf(context, language="de")

    def plain_pdf() -> None:
        weasyprint.HTML(string=plain).write_pdf()

    decision(), plain_pdf()  # warm up: fonts, caches
    timings: dict[str, list[float]] = {"decision document": [], "plain HTML": []}
    for _ in range(rounds):
        for name, function in (("decision document", decision), ("plain HTML", plain_pdf)):
            started = time.perf_counter()
            function()
            timings[name].append(time.perf_counter() - started)
    print(f"HTML length: decision document {len(html)} characters, plain {len(plain)} characters; {rounds} rounds, interleaved")
    for name, values in timings.items():
        print(f"{name:18} median {statistics.median(values) * 1000:7.1f} ms   min {min(values) * 1000:7.1f} ms   "
              f"max {max(values) * 1000:7.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
