"""Musterstadt's phishing report and coffee kitchen: Anna reports a phishing mail, Deniz (IT security) classifies it
and writes the warning, which waits for Frank's approval; Anna sits in the coffee kitchen."""

from home.demo.people import EMAIL_DOMAIN
from home.phishing_warnings import phishing_warning_submit, warning_defaults
from portal.models import User
from services.coffee.models import CoffeeKitchenSettings
from services.coffee.services import coffee_presence_start
from services.phishing.models import Classification, ReportKind
from services.phishing.services import ReportContent, phishing_case_classify, phishing_report_create

VIDEO_ROOM_URL = "https://meet.musterstadt.example/kaffeekueche"
DEMO_MAIL = ReportContent(
    kind=ReportKind.EMAIL, sender="Stadtkasse Musterstadt <stadtkasse@musterstadt-verwaltung.example>",
    subject="Dringend: Ihr Postfach wird heute gesperrt", links=("https://login.musterstadt-verwaltung.example/owa",),
    note="Der Absender sieht aus wie unsere Stadtkasse, die Adresse stimmt aber nicht. Ich habe nicht geklickt.")


def seed_phishing() -> bool:
    """Anna's report, Deniz's classification and his warning in moderation, once; True when created."""
    anna = User.objects.get(email=f"anna.schmidt@{EMAIL_DOMAIN}")
    deniz = User.objects.get(email=f"deniz.yilmaz@{EMAIL_DOMAIN}")
    if anna.phishing_reports.exists():
        return False
    report = phishing_report_create(reporter=anna, content=DEMO_MAIL)
    clara = User.objects.get(email=f"clara.wolf@{EMAIL_DOMAIN}")
    phishing_report_create(reporter=clara, content=ReportContent(kind=ReportKind.WEBSITE, links=DEMO_MAIL.links))
    case = phishing_case_classify(case=report.case, actor=deniz, classification=Classification.PHISHING,
                                  note="Bitte löschen Sie die E-Mail. Wer geklickt hat, ändert sein Passwort und ruft den IT-Service an.")
    defaults = warning_defaults(case, language="de")
    phishing_warning_submit(case=case, actor=deniz, title=defaults["title"], summary=defaults["summary"],
                            advice=defaults["advice"], alert_text=defaults["alert_text"],
                            alert_text_english="Warning: phishing e-mail “Your mailbox will be blocked today”")
    return True


def seed_coffee_kitchen() -> None:
    """The video room, and Anna in the kitchen for the next half hour (it ends by itself)."""
    settings = CoffeeKitchenSettings.load()
    if not settings.video_room_url:
        settings.video_room_url = VIDEO_ROOM_URL
        settings.save()
    coffee_presence_start(user=User.objects.get(email=f"anna.schmidt@{EMAIL_DOMAIN}"), minutes=30)
