"""The demo's Kummerkasten: topics, Clara Wolf as handler for the city, an FAQ page, and Anna's answered message.

Anna's message has a fixed receipt code, printed by seed_demo beside the logins, so that she can read the
answer in the demo; a real code is random and shown only once.
"""

import datetime

from django.db import IntegrityError
from wagtail.models import Locale

from home.demo.people import EMAIL_DOMAIN
from home.models import GuidanceIndexPage, KummerkastenFaqPage
from portal.models import OrgUnit, OrgUnitUserPermission, User
from services.delegation import services as delegation_services
from services.kummerkasten import receipts
from services.kummerkasten import services as kummerkasten_services
from services.kummerkasten.models import KummerkastenMessage, KummerkastenPost, KummerkastenTopic, PostAuthor

DEMO_RECEIPT_CODE = "ANNA-FRAG-TDEN-KAST-7429"
TOPICS = (("Arbeitsplatz und Ausstattung", "Workplace and equipment"), ("IT und Telefonie", "IT and telephony"),
          ("Zusammenarbeit und Führung", "Working together and leadership"), ("Sonstiges", "Anything else"))
HANDLER = f"clara.wolf@{EMAIL_DOMAIN}"


def seed_kummerkasten(units: dict[str, OrgUnit], *, today: datetime.date) -> None:
    city = units["STADT"]
    for position, (name, english) in enumerate(TOPICS):
        KummerkastenTopic.objects.get_or_create(name=name, defaults={"name_english": english, "sort_order": position})
    clara = User.objects.get(email=HANDLER)
    if not OrgUnitUserPermission.objects.filter(user=clara, content_object=city, permission__codename="handle_kummerkasten").exists():
        delegation_services.responsibility_grant(actor=User.objects.get(email=f"admin@{EMAIL_DOMAIN}"), holder=clara, unit=city,
                                                 codenames=["handle_kummerkasten"])
    index = GuidanceIndexPage.objects.filter(locale=Locale.get_default()).first()
    if index is not None and not KummerkastenFaqPage.objects.exists():
        faq = index.add_child(instance=KummerkastenFaqPage(title="Fragen an den Kummerkasten", slug="kummerkasten-fragen",
                                                           intro="<p>Fragen aus dem Kummerkasten, mit den Antworten des Teams.</p>",
                                                           search_description="Anonyme Fragen an den Kummerkasten und ihre Antworten."))
        english = Locale.objects.filter(language_code="en").first()
        if english is not None:
            translation = faq.copy_for_translation(english, copy_parents=True, alias=False)
            translation.title = translation.draft_title = "Questions to the Kummerkasten"
            translation.intro = "<p>Questions from the Kummerkasten, with the team's answers.</p>"
            translation.search_description = "Anonymous questions to the Kummerkasten and their answers."
            translation.save_revision().publish()
    digest = receipts.receipt_hash(DEMO_RECEIPT_CODE)
    if KummerkastenMessage.objects.filter(receipt_hash=digest).exists():
        return
    yesterday = today - datetime.timedelta(days=1)
    try:
        message = KummerkastenMessage.objects.create(topic=KummerkastenTopic.objects.get(name=TOPICS[0][0]), received_on=yesterday,
                                                     receipt_hash=digest)
    except IntegrityError:
        return
    KummerkastenPost.objects.create(message=message, number=1, author=PostAuthor.WRITER, written_on=yesterday,
                                    text="Im zweiten Stock ist es im Sommer über 30 Grad warm. Gibt es Ventilatoren oder Jalousien?")
    kummerkasten_services.kummerkasten_answer_create(
        message=message, handler=clara,
        text="Danke für den Hinweis. Die Hausverwaltung stellt ab nächster Woche Ventilatoren bereit; Außenjalousien sind beantragt.")
