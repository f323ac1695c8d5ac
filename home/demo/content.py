"""The wording of Musterstadt's demo pages, in German and English.

Kept apart from `home.demo.pages`, which only builds the page tree from it. Rich text is Wagtail's
HTML subset; stream bodies are in StreamField's raw form (a list of {"type", "value"} dicts) so
that they are stored exactly as an editor would have saved them.
"""

from dataclasses import dataclass, field
from typing import Any

StreamData = list[dict[str, Any]]

# The feedback form of the accessibility statement, and the responsibility that decides its reports.
ACCESSIBILITY_FEEDBACK_SLUG = "barriere-melden"
ACCESSIBILITY_FEEDBACK_RESPONSIBILITY = "handle_accessibility_feedback"


def heading(text: str) -> dict[str, Any]:
    return {"type": "heading", "value": text}


def paragraph(html: str) -> dict[str, Any]:
    return {"type": "paragraph", "value": html}


def question(question_type: str, label: str, *, required: bool = True, help_text: str = "",
             options: list[str] | None = None, not_before: str = "") -> dict[str, Any]:
    """An extra question of a service page (a QuestionStreamBlock block; `question_type` is its block type).

    `not_before` names (by its wording) the date question this date must not precede.
    """
    value: dict[str, Any] = {"label": label, "help_text": help_text, "required": required}
    if options is not None:
        value["options"] = options
    if not_before:
        value["not_before"] = not_before
    return {"type": question_type, "value": value}


def callout(tone: str, title: str, html: str) -> dict[str, Any]:
    """A callout block; `tone` is one of CalloutBlock's choices: info, warning, danger (security alert)."""
    return {"type": "callout", "value": {"tone": tone, "title": title, "text": html}}


def steps(title: str, *items: str) -> dict[str, Any]:
    """Numbered steps; each item is rich text."""
    return {"type": "steps", "value": {"title": title, "steps": list(items)}}


def faq(title: str, *questions: tuple[str, str]) -> dict[str, Any]:
    """Questions and answers (rich text) in an accordion."""
    return {"type": "faq", "value": {"title": title, "questions": [
        {"question": question, "answer": answer} for question, answer in questions
    ]}}


def contact(name: str, role: str = "", phone: str = "", email: str = "") -> dict[str, Any]:
    return {"type": "contact", "value": {"name": name, "role": role, "phone": phone, "email": email}}


@dataclass(frozen=True)
class DocumentRef:
    """A demo document by its key in DEMO_DOCUMENTS; home.demo.pages puts the document's id in its place."""

    key: str


@dataclass(frozen=True)
class ServiceRef:
    """A German demo service page by its slug; home.demo.pages puts the page's id in its place."""

    slug: str


def document(key: str, title: str, description: str = "") -> dict[str, Any]:
    return {"type": "document", "value": {"document": DocumentRef(key), "title": title, "description": description}}


def related_services(title: str, *slugs: str) -> dict[str, Any]:
    return {"type": "related_services", "value": {"title": title, "services": [ServiceRef(slug) for slug in slugs]}}


@dataclass(frozen=True)
class PageText:
    """What one page says in one language; `fields` are the page type's own fields (intro, body, …)."""

    title: str
    search_description: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PageContent:
    """One demo page: its slug (the same in every locale, so the language switcher keeps the path) and its texts."""

    slug: str
    de: PageText
    en: PageText
    kind: str = ""


HOME = PageContent(
    slug="startseite",
    de=PageText(
        title="Willkommen im Mitarbeiterportal",
        search_description="Das Mitarbeiterportal der Stadtverwaltung Musterstadt: Anträge stellen, verfolgen und entscheiden.",
        fields={"intro": (
            "<p>Der kurze Dienstweg für alle Beschäftigten der Stadtverwaltung Musterstadt: Urlaub, mobiles Arbeiten,"
            " VPN-Zugang und Ausstattung online beantragen – und jederzeit sehen, wo Ihr Antrag gerade steht.</p>"
        )},
    ),
    en=PageText(
        title="Welcome to the staff portal",
        search_description="The staff portal of the City of Musterstadt: file, follow and decide requests.",
        fields={"intro": (
            "<p>The short official route for everyone working for the City of Musterstadt: request leave, remote work,"
            " VPN access and equipment online – and see at any time where your request stands.</p>"
        )},
    ),
)

SERVICE_INDEX = PageContent(
    slug="selbstservices",
    de=PageText(
        title="Selbstservices",
        search_description="Alle Anträge, die Sie im Mitarbeiterportal online stellen können.",
        fields={"intro": (
            "<p>Hier stellen Sie Ihre Anträge online. Jeder Antrag geht direkt an die Stelle, die für Ihre"
            " Organisationseinheit zuständig ist; über den Stand informieren wir Sie per E-Mail.</p>"
        )},
    ),
    en=PageText(
        title="Self-services",
        search_description="All requests you can file online in the staff portal.",
        fields={"intro": (
            "<p>File your requests online here. Each request goes straight to whoever is responsible for your"
            " unit; we keep you informed by email.</p>"
        )},
    ),
)

GUIDANCE_INDEX = PageContent(
    slug="hinweise",
    de=PageText(
        title="Hinweise",
        search_description="Hinweise der IT-Sicherheit und des Arbeitsschutzes für das Arbeiten zu Hause und unterwegs.",
        fields={"intro": (
            "<p>Hinweise der Informationssicherheit, des IT-Service und des Arbeitsschutzes – damit Sie zu Hause"
            " und unterwegs sicher und gesund arbeiten.</p>"
        )},
    ),
    en=PageText(
        title="Guidance",
        search_description="Guidance from IT security and occupational safety for working from home and on the road.",
        fields={"intro": (
            "<p>Guidance from information security, the IT service and occupational safety – so that you work"
            " safely and healthily at home and on the road.</p>"
        )},
    ),
)

SERVICE_PAGES: tuple[PageContent, ...] = (
    PageContent(
        slug="urlaub-beantragen",
        kind="leave",
        de=PageText(
            title="Urlaub beantragen",
            search_description="Erholungsurlaub, Sonderurlaub, Arbeitsbefreiung oder einen Gleittag online beantragen.",
            fields={
                "intro": (
                    "<p>Beantragen Sie hier Erholungsurlaub, Sonderurlaub, Arbeitsbefreiung nach § 29 TVöD oder einen"
                    " Gleittag. Ihr Antrag geht direkt an die Stelle, die für Urlaub in Ihrer Organisationseinheit"
                    " zuständig ist.</p>"
                ),
                "body": [
                    heading("Bevor Sie den Antrag stellen"),
                    paragraph(
                        "<ul><li>Stimmen Sie den Zeitraum mit Ihrem Team ab und tragen Sie Ihre Vertretung ein.</li>"
                        "<li>Bei Teilzeit zählen nur Ihre persönlichen Arbeitstage.</li>"
                        "<li>Für Arbeitsbefreiung, etwa bei Umzug aus dienstlichem Grund oder Tod naher Angehöriger,"
                        " fügen Sie bitte einen Nachweis bei.</li></ul>"
                    ),
                    callout(
                        "info", "Resturlaub aus dem Vorjahr",
                        "<p>Übertragener Urlaub muss bis zum <b>31. März</b> angetreten werden; konnte er aus dienstlichen"
                        " Gründen oder wegen Arbeitsunfähigkeit nicht genommen werden, bis zum <b>31. Mai</b>"
                        " (§ 26 Abs. 2 TVöD).</p>",
                    ),
                ],
                "confirmation_text": (
                    "<p>Vielen Dank, Ihr Urlaubsantrag ist eingegangen. Sie erhalten eine E-Mail, sobald entschieden ist."
                    " Bis dahin können Sie den Antrag unter „Meine Anträge“ jederzeit zurückziehen.</p>"
                ),
            },
        ),
        en=PageText(
            title="Request leave",
            search_description="Request annual leave, special leave, paid time off for an occasion or a flexitime day online.",
            fields={
                "intro": (
                    "<p>Request annual leave, special leave, paid time off for an occasion (§ 29 TVöD) or a flexitime day"
                    " here. Your request goes straight to whoever is responsible for leave in your unit.</p>"
                ),
                "body": [
                    heading("Before you file your request"),
                    paragraph(
                        "<ul><li>Agree the dates with your team and name your substitute.</li>"
                        "<li>If you work part-time, only your own working days count.</li>"
                        "<li>For paid time off, for example a move for work reasons or the death of a close relative,"
                        " please attach proof.</li></ul>"
                    ),
                    callout(
                        "info", "Leave carried over from last year",
                        "<p>Leave carried over must be taken by <b>31 March</b>; if it could not be taken for operational"
                        " reasons or because of illness, by <b>31 May</b> (§ 26 (2) TVöD).</p>",
                    ),
                ],
                "confirmation_text": (
                    "<p>Thank you, your leave request has arrived. You will receive an email as soon as it has been decided."
                    " Until then you can withdraw it at any time under “My requests”.</p>"
                ),
            },
        ),
    ),
    PageContent(
        slug="mobiles-arbeiten-beantragen",
        kind="remote_work",
        de=PageText(
            title="Mobiles Arbeiten beantragen",
            search_description="Gelegentlich mobil oder an festen Wochentagen zu Hause arbeiten (Telearbeit).",
            fields={
                "intro": (
                    "<p>Nach der Dienstvereinbarung „Mobiles Arbeiten“ können Sie einen Teil Ihrer Wochenarbeitszeit"
                    " außerhalb der Dienststelle arbeiten – gelegentlich als Anteil der Wochenarbeitszeit (mobiles"
                    " Arbeiten) oder an festen Wochentagen (Telearbeit).</p>"
                ),
                "body": [
                    heading("Voraussetzungen"),
                    paragraph(
                        "<ul><li>Ihre Aufgaben lassen sich ohne Publikumsverkehr und ohne Papierakten erledigen.</li>"
                        "<li>Sie sind in den vereinbarten Zeiten telefonisch und per E-Mail erreichbar.</li>"
                        "<li>Sie haben den Selbstcheck zum Heimarbeitsplatz durchgeführt.</li></ul>"
                    ),
                    callout(
                        "warning", "Datenschutz zu Hause",
                        "<p>Sperren Sie den Bildschirm, sobald Sie den Platz verlassen, und drucken Sie keine"
                        " personenbezogenen Daten zu Hause aus. Familienangehörige dürfen keinen Zugriff auf dienstliche"
                        " Geräte oder Unterlagen haben.</p>",
                    ),
                    paragraph("<p>Mehr dazu lesen Sie im Hinweis „Sicher im Homeoffice arbeiten“.</p>"),
                ],
                "confirmation_text": (
                    "<p>Vielen Dank, Ihr Antrag auf mobiles Arbeiten ist eingegangen. Bitte beginnen Sie erst nach der"
                    " Genehmigung; Sie erhalten dazu eine E-Mail.</p>"
                ),
            },
        ),
        en=PageText(
            title="Request remote work",
            search_description="Work remotely now and then, or from home on fixed weekdays.",
            fields={
                "intro": (
                    "<p>Under the service agreement on remote work you may work part of your weekly hours away from the"
                    " office – occasionally, as a share of your weekly hours, or on fixed weekdays at home.</p>"
                ),
                "body": [
                    heading("Requirements"),
                    paragraph(
                        "<ul><li>Your tasks can be done without visitors and without paper files.</li>"
                        "<li>You can be reached by phone and email during the agreed hours.</li>"
                        "<li>You have completed the self-check of your home workstation.</li></ul>"
                    ),
                    callout(
                        "warning", "Data protection at home",
                        "<p>Lock your screen whenever you leave your desk and do not print personal data at home."
                        " Family members must have no access to work devices or documents.</p>",
                    ),
                    paragraph("<p>Read more in the guidance “Working safely from home”.</p>"),
                ],
                "confirmation_text": (
                    "<p>Thank you, your remote work request has arrived. Please start only once it has been approved;"
                    " you will receive an email.</p>"
                ),
            },
        ),
    ),
    PageContent(
        slug="vpn-zugang-beantragen",
        kind="vpn_access",
        de=PageText(
            title="VPN-Zugang beantragen",
            search_description="Von zu Hause oder unterwegs auf E-Mail, Netzlaufwerke und Fachverfahren zugreifen.",
            fields={
                "intro": (
                    "<p>Mit dem VPN-Zugang erreichen Sie E-Mail, Netzlaufwerke, die E-Akte und die Fachverfahren Ihres"
                    " Amtes auch außerhalb des städtischen Netzes. Der Zugang wird für höchstens ein Jahr erteilt und"
                    " kann verlängert werden.</p>"
                ),
                "body": [
                    heading("Dienstgerät oder Privatgerät?"),
                    paragraph(
                        "<p>Auf städtischen Notebooks ist der VPN-Client bereits installiert. Private Geräte sind nur für"
                        " E-Mail, Kalender und Intranet zugelassen und müssen aktuell gehalten werden.</p>"
                    ),
                    callout(
                        "warning", "Regeln für Privatgeräte",
                        "<p>Aktuelle Sicherheitsupdates, Bildschirmsperre und Virenschutz sind Pflicht. Niemand sonst darf"
                        " Ihr Benutzerkonto auf dem Gerät verwenden.</p>",
                    ),
                    heading("Nach der Freischaltung"),
                    paragraph(
                        "<p>Der IT-Service schickt Ihnen die Zugangsdaten per Hauspost. Wie Sie die Verbindung einrichten,"
                        " steht im Hinweis „VPN einrichten“.</p>"
                    ),
                ],
                "confirmation_text": (
                    "<p>Vielen Dank, Ihr Antrag auf VPN-Zugang ist eingegangen. Nach der Genehmigung richtet der"
                    " IT-Service den Zugang in der Regel innerhalb von zwei Arbeitstagen ein.</p>"
                ),
            },
        ),
        en=PageText(
            title="Request VPN access",
            search_description="Reach email, file shares and specialist applications from home or on the road.",
            fields={
                "intro": (
                    "<p>With VPN access you reach email, file shares, the e-file and your office's specialist"
                    " applications from outside the city network. Access is granted for at most one year at a time and"
                    " can be renewed.</p>"
                ),
                "body": [
                    heading("Municipal or private device?"),
                    paragraph(
                        "<p>The VPN client is already installed on municipal laptops. Private devices are allowed for email,"
                        " calendar and intranet only and must be kept up to date.</p>"
                    ),
                    callout(
                        "warning", "Rules for private devices",
                        "<p>Current security updates, a screen lock and virus protection are mandatory. Nobody else may use"
                        " your account on the device.</p>",
                    ),
                    heading("Once access is granted"),
                    paragraph(
                        "<p>The IT service sends you your credentials by internal mail. The guidance “Setting up VPN”"
                        " explains how to connect.</p>"
                    ),
                ],
                "confirmation_text": (
                    "<p>Thank you, your VPN access request has arrived. Once it is approved, the IT service usually sets up"
                    " your access within two working days.</p>"
                ),
            },
        ),
    ),
    PageContent(
        slug="ausstattung-ausleihen",
        kind="equipment_loan",
        de=PageText(
            title="Ausstattung ausleihen",
            search_description="Monitor, Headset, Tastatur oder Notebook für das Arbeiten zu Hause ausleihen.",
            fields={
                "intro": (
                    "<p>Für das Arbeiten zu Hause können Sie Monitor, Headset, Tastatur, Maus, Webcam, Dockingstation"
                    " oder ein Notebook ausleihen.</p>"
                ),
                "body": [
                    heading("Ausgabe und Rückgabe"),
                    paragraph(
                        "<p>Sie holen die Geräte nach der Genehmigung beim Service Desk im Rathaus (Raum E.12) ab und"
                        " bringen sie zum Ende der Leihfrist dorthin zurück. Bitte bringen Sie Ihren Dienstausweis mit.</p>"
                    ),
                    callout(
                        "info", "Geräte sind inventarisiert",
                        "<p>Geliehene Geräte bleiben Eigentum der Stadt. Melden Sie Schäden oder Verlust bitte sofort dem"
                        " Service Desk.</p>",
                    ),
                ],
                "confirmation_text": (
                    "<p>Vielen Dank, Ihr Antrag ist eingegangen. Sobald er genehmigt ist, meldet sich der Service Desk"
                    " mit einem Abholtermin.</p>"
                ),
            },
        ),
        en=PageText(
            title="Borrow equipment",
            search_description="Borrow a monitor, headset, keyboard or laptop for working from home.",
            fields={
                "intro": (
                    "<p>For working from home you can borrow a monitor, headset, keyboard, mouse, webcam, docking station"
                    " or a laptop.</p>"
                ),
                "body": [
                    heading("Collection and return"),
                    paragraph(
                        "<p>Once approved, collect the equipment from the service desk in the town hall (room E.12) and"
                        " bring it back there when the loan ends. Please bring your staff ID card.</p>"
                    ),
                    callout(
                        "info", "Equipment is inventoried",
                        "<p>Borrowed equipment remains the city's property. Please report damage or loss to the service desk"
                        " at once.</p>",
                    ),
                ],
                "confirmation_text": (
                    "<p>Thank you, your request has arrived. Once it is approved, the service desk will contact you to"
                    " arrange collection.</p>"
                ),
            },
        ),
    ),
    PageContent(
        # Built by the editors from extra questions alone (kind "generic"), decided by whoever holds
        # the equipment-loan responsibility for the applicant's unit.
        slug="dienstfahrrad-ausleihen",
        kind="generic",
        de=PageText(
            title="Dienstfahrrad ausleihen",
            search_description="Ein Dienstfahrrad oder Pedelec für Außentermine ausleihen.",
            fields={
                "decided_by": "decide_equipment_loan",
                "intro": (
                    "<p>Für Außentermine im Stadtgebiet können Sie eines der Dienstfahrräder oder Pedelecs der"
                    " Stadt ausleihen. Geben Sie im Betreff kurz an, wofür Sie das Rad brauchen.</p>"
                ),
                "body": [
                    callout(
                        "info", "Helm und Schloss",
                        "<p>Helm, Schloss und Ladegerät erhalten Sie mit dem Rad an der Pforte des Rathauses.</p>",
                    ),
                ],
                "questions": [
                    question("date", "Ab wann brauchen Sie das Rad?"),
                    question("date", "Bis wann brauchen Sie das Rad?", not_before="Ab wann brauchen Sie das Rad?"),
                    question("choice", "Welches Rad?", options=["Fahrrad", "Pedelec", "Lastenrad"]),
                    question("yes_no", "Haben Sie eine Einweisung für Pedelecs erhalten?", required=False,
                             help_text="Nur für Pedelecs und Lastenräder."),
                    question("long_text", "Anmerkungen", required=False),
                ],
                "confirmation_text": (
                    "<p>Vielen Dank, Ihr Antrag ist eingegangen. Nach der Genehmigung holen Sie das Rad an der Pforte"
                    " des Rathauses ab.</p>"
                ),
            },
        ),
        en=PageText(
            title="Borrow a service bicycle",
            search_description="Borrow one of the city's bicycles or e-bikes for appointments around town.",
            fields={
                "decided_by": "decide_equipment_loan",
                "intro": (
                    "<p>For appointments around town you can borrow one of the city's bicycles or e-bikes. Say briefly"
                    " in the subject what you need the bicycle for.</p>"
                ),
                "body": [
                    callout(
                        "info", "Helmet and lock",
                        "<p>You receive a helmet, lock and charger with the bicycle at the town hall reception.</p>",
                    ),
                ],
                "questions": [
                    question("date", "From when do you need the bicycle?"),
                    question("date", "Until when do you need the bicycle?", not_before="From when do you need the bicycle?"),
                    question("choice", "Which bicycle?", options=["Bicycle", "E-bike", "Cargo bike"]),
                    question("yes_no", "Have you been instructed in riding an e-bike?", required=False,
                             help_text="Only for e-bikes and cargo bikes."),
                    question("long_text", "Remarks", required=False),
                ],
                "confirmation_text": (
                    "<p>Thank you, your request has arrived. Once it is approved, collect the bicycle at the town hall"
                    " reception.</p>"
                ),
            },
        ),
    ),
    PageContent(
        # The feedback form of the accessibility statement (BITV 2.0 § 7): a generic service routed to
        # the editors, who hold ACCESSIBILITY_FEEDBACK_RESPONSIBILITY for the whole city.
        slug=ACCESSIBILITY_FEEDBACK_SLUG,
        kind="generic",
        de=PageText(
            title="Barriere melden",
            search_description="Melden Sie uns Inhalte oder Funktionen des Portals, die für Sie nicht barrierefrei sind.",
            fields={
                "decided_by": ACCESSIBILITY_FEEDBACK_RESPONSIBILITY,
                "intro": (
                    "<p>Sind Sie im Mitarbeiterportal auf eine Barriere gestoßen? Beschreiben Sie uns, wo und wie."
                    " Die Redaktion kümmert sich darum und antwortet Ihnen innerhalb von zwei Wochen.</p>"
                ),
                "questions": [
                    question("short_text", "Auf welcher Seite oder bei welchem Dienst?",
                             help_text="Zum Beispiel der Titel der Seite oder ihre Adresse."),
                    question("long_text", "Was ist passiert?",
                             help_text="Was wollten Sie tun, und woran ist es gescheitert?"),
                    question("short_text", "Welche Hilfsmittel nutzen Sie?", required=False,
                             help_text="Zum Beispiel Screenreader, Bildschirmlupe oder Sprachsteuerung, mit Version."),
                    question("file", "Bildschirmfoto", required=False),
                    question("yes_no", "Dürfen wir Sie für Rückfragen kontaktieren?"),
                ],
                "confirmation_text": (
                    "<p>Vielen Dank für Ihre Meldung. Die Redaktion prüft sie und meldet sich innerhalb von zwei Wochen.</p>"
                ),
            },
        ),
        en=PageText(
            title="Report a barrier",
            search_description="Tell us about content or functions of the portal that are not accessible to you.",
            fields={
                "decided_by": ACCESSIBILITY_FEEDBACK_RESPONSIBILITY,
                "intro": (
                    "<p>Have you come across a barrier in the staff portal? Tell us where and how. The editors take"
                    " care of it and answer within two weeks.</p>"
                ),
                "questions": [
                    question("short_text", "On which page or service?",
                             help_text="For example the page's title or its address."),
                    question("long_text", "What happened?", help_text="What did you want to do, and what stopped you?"),
                    question("short_text", "Which assistive technology do you use?", required=False,
                             help_text="For example a screen reader, screen magnifier or voice control, with its version."),
                    question("file", "Screenshot", required=False),
                    question("yes_no", "May we contact you with questions?"),
                ],
                "confirmation_text": (
                    "<p>Thank you for your report. The editors look into it and get back to you within two weeks.</p>"
                ),
            },
        ),
    ),
)

GUIDANCE_PAGES: tuple[PageContent, ...] = (
    PageContent(
        slug="sicher-im-homeoffice-arbeiten",
        de=PageText(
            title="Sicher im Homeoffice arbeiten",
            search_description="Bildschirmsperre, sichere Verbindung und Umgang mit Papier im Homeoffice.",
            fields={
                "summary": "Bildschirmsperre, sichere Verbindung, Umgang mit Papier: so schützen Sie dienstliche Daten zu Hause.",
                "body": [
                    heading("Arbeitsplatz und Bildschirm"),
                    paragraph(
                        "<p>Richten Sie Ihren Arbeitsplatz so ein, dass niemand Ihren Bildschirm einsehen kann – auch nicht"
                        " durch ein Fenster. Sperren Sie den Bildschirm mit <b>Windows-Taste + L</b>, sobald Sie aufstehen.</p>"
                    ),
                    heading("Verbindung"),
                    paragraph(
                        "<p>Arbeiten Sie ausschließlich über den VPN-Zugang der Stadt. Ihr heimisches WLAN sollte mit WPA2"
                        " oder WPA3 verschlüsselt sein und ein eigenes, sicheres Passwort haben. Öffentliche WLANs in Cafés"
                        " oder Zügen nutzen Sie nur mit aktiver VPN-Verbindung.</p>"
                    ),
                    callout(
                        "warning", "Keine dienstlichen Daten auf privaten Speichern",
                        "<p>Speichern Sie Dokumente nur auf den Netzlaufwerken oder in der E-Akte – nie auf USB-Sticks,"
                        " privaten Cloud-Diensten oder in privaten E-Mail-Postfächern.</p>",
                    ),
                    heading("Papierunterlagen"),
                    paragraph(
                        "<p>Nehmen Sie nur mit nach Hause, was Sie wirklich brauchen, und bewahren Sie es verschlossen auf."
                        " Entsorgen Sie dienstliche Ausdrucke nicht im Hausmüll, sondern in den Datenschutztonnen im"
                        " Rathaus.</p>"
                    ),
                    faq(
                        "Häufige Fragen",
                        ("Darf ich dienstliche Dokumente zu Hause ausdrucken?",
                         "<p>Nur wenn es unbedingt nötig ist, und nur auf einem Drucker, der nicht mit anderen Geräten"
                         " geteilt wird. Nehmen Sie die Ausdrucke zur Entsorgung mit ins Rathaus.</p>"),
                        ("Dürfen Familienmitglieder mein Dienstnotebook benutzen?",
                         "<p>Nein. Das Dienstnotebook ist ausschließlich für dienstliche Zwecke bestimmt und darf auch"
                         " nicht kurz „zum Nachschauen“ überlassen werden.</p>"),
                        ("Was tue ich, wenn mein Notebook gestohlen wurde?",
                         "<p>Melden Sie den Verlust sofort dem IT-Service-Desk, damit das Gerät gesperrt wird, und"
                         " erstatten Sie Anzeige bei der Polizei.</p>"),
                    ),
                    document("checkliste-homeoffice", "Checkliste: Sicher im Homeoffice",
                             "Zum Ausdrucken – die wichtigsten Regeln auf einer Seite."),
                    contact("IT-Service-Desk", "Amt für Informationstechnik, montags bis freitags 7:30–16:00 Uhr",
                            "0123 456-4711", "it-service@musterstadt.example"),
                ],
            },
        ),
        en=PageText(
            title="Working safely from home",
            search_description="Screen lock, a secure connection and paper documents when working from home.",
            fields={
                "summary": "Screen lock, a secure connection, paper documents: how to protect official data at home.",
                "body": [
                    heading("Your desk and screen"),
                    paragraph(
                        "<p>Set up your workstation so that nobody can see your screen – not even through a window. Lock"
                        " your screen with <b>Windows key + L</b> whenever you get up.</p>"
                    ),
                    heading("Connection"),
                    paragraph(
                        "<p>Work only through the city's VPN. Your home Wi-Fi should be encrypted with WPA2 or WPA3 and have"
                        " its own strong password. Use public Wi-Fi in cafés or trains only with an active VPN"
                        " connection.</p>"
                    ),
                    callout(
                        "warning", "No official data on private storage",
                        "<p>Store documents only on the network drives or in the e-file – never on USB sticks, private cloud"
                        " services or in private mailboxes.</p>",
                    ),
                    heading("Paper documents"),
                    paragraph(
                        "<p>Take home only what you really need, and keep it locked away. Do not throw official printouts"
                        " into household waste; use the confidential waste bins in the town hall.</p>"
                    ),
                    faq(
                        "Frequently asked questions",
                        ("May I print official documents at home?",
                         "<p>Only when you really must, and only on a printer that is not shared with other devices. Take"
                         " the printouts to the town hall for disposal.</p>"),
                        ("May family members use my work laptop?",
                         "<p>No. The work laptop is for official use only and must not be handed over, not even briefly.</p>"),
                        ("What do I do if my laptop was stolen?",
                         "<p>Report the loss to the IT service desk at once so that the device is locked, and report the"
                         " theft to the police.</p>"),
                    ),
                    document("checkliste-homeoffice", "Checklist: working safely from home",
                             "To print – the most important rules on one page (in German)."),
                    contact("IT service desk", "Amt für Informationstechnik, Monday to Friday 7:30 am – 4 pm",
                            "0123 456-4711", "it-service@musterstadt.example"),
                ],
            },
        ),
    ),
    PageContent(
        slug="vpn-einrichten",
        de=PageText(
            title="VPN einrichten",
            search_description="In fünf Schritten von zu Hause mit dem städtischen Netz verbinden.",
            fields={
                "summary": "In fünf Schritten von zu Hause mit dem städtischen Netz verbinden.",
                "body": [
                    heading("Voraussetzungen"),
                    paragraph(
                        "<p>Sie brauchen einen genehmigten VPN-Zugang, Ihre Zugangsdaten vom IT-Service und die"
                        " Authenticator-App auf Ihrem Diensthandy.</p>"
                    ),
                    steps(
                        "Schritt für Schritt",
                        "<p>Verbinden Sie das Notebook mit Ihrem WLAN.</p>",
                        "<p>Starten Sie „Stadtnetz VPN“ aus dem Startmenü.</p>",
                        "<p>Melden Sie sich mit Ihrer dienstlichen E-Mail-Adresse und Ihrem Windows-Passwort an.</p>",
                        "<p>Bestätigen Sie die Anmeldung in der Authenticator-App.</p>",
                        "<p>Warten Sie, bis das Schloss-Symbol in der Taskleiste grün ist, und öffnen Sie erst dann Outlook"
                        " und die Netzlaufwerke.</p>",
                    ),
                    callout(
                        "info", "Die Verbindung bricht ab?",
                        "<p>Prüfen Sie zuerst Ihre Internetverbindung und starten Sie den VPN-Client neu. Hilft das nicht,"
                        " rufen Sie den IT-Service-Desk unter der Durchwahl 4711 an.</p>",
                    ),
                    related_services("Noch kein VPN-Zugang?", "vpn-zugang-beantragen", "mobiles-arbeiten-beantragen"),
                ],
            },
        ),
        en=PageText(
            title="Setting up VPN",
            search_description="Connect to the city network from home in five steps.",
            fields={
                "summary": "Connect to the city network from home in five steps.",
                "body": [
                    heading("What you need"),
                    paragraph(
                        "<p>You need approved VPN access, your credentials from the IT service and the authenticator app on"
                        " your work phone.</p>"
                    ),
                    steps(
                        "Step by step",
                        "<p>Connect your laptop to your Wi-Fi.</p>",
                        "<p>Start “Stadtnetz VPN” from the start menu.</p>",
                        "<p>Sign in with your work email address and your Windows password.</p>",
                        "<p>Confirm the sign-in in the authenticator app.</p>",
                        "<p>Wait until the padlock icon in the taskbar turns green; only then open Outlook and the network"
                        " drives.</p>",
                    ),
                    callout(
                        "info", "The connection drops?",
                        "<p>First check your internet connection and restart the VPN client. If that does not help, call the"
                        " IT service desk on extension 4711.</p>",
                    ),
                    related_services("No VPN access yet?", "vpn-zugang-beantragen", "mobiles-arbeiten-beantragen"),
                ],
            },
        ),
    ),
    PageContent(
        slug="phishing-erkennen-und-melden",
        de=PageText(
            title="Phishing erkennen und melden",
            search_description="Woran Sie gefälschte E-Mails erkennen und was Sie sofort tun sollten.",
            fields={
                "summary": "Woran Sie gefälschte E-Mails erkennen und was Sie sofort tun sollten.",
                "body": [
                    callout(
                        "danger", "Aktuelle Warnung: gefälschte Entgeltabrechnungen",
                        "<p>Zurzeit gehen E-Mails mit dem Betreff „Ihre Entgeltabrechnung liegt bereit“ ein. Der Link führt"
                        " auf eine gefälschte Anmeldeseite. <b>Das Personalamt verschickt keine Links zu Abrechnungen.</b>"
                        " Geben Sie dort keinesfalls Ihr Passwort ein.</p>",
                    ),
                    heading("Typische Merkmale"),
                    paragraph(
                        "<ul><li>Zeitdruck und Drohungen („Ihr Konto wird heute gesperrt“).</li>"
                        "<li>Die Absenderadresse passt nicht zum angeblichen Absender oder endet nicht auf"
                        " @musterstadt.example.</li>"
                        "<li>Links, deren Ziel beim Überfahren mit der Maus auf eine fremde Adresse zeigt.</li>"
                        "<li>Unerwartete Anhänge, besonders Office-Dateien mit Makros oder ZIP-Archive.</li></ul>"
                    ),
                    steps(
                        "So melden Sie Phishing",
                        "<p>Klicken Sie nicht auf Links und öffnen Sie keine Anhänge.</p>",
                        "<p>Leiten Sie die E-Mail als Anlage an it-sicherheit@musterstadt.example weiter.</p>",
                        "<p>Löschen Sie die E-Mail anschließend.</p>",
                    ),
                    callout(
                        "warning", "Schon geklickt oder Passwort eingegeben?",
                        "<p>Trennen Sie das Gerät vom Netz und rufen Sie sofort den IT-Service-Desk unter der Durchwahl 4711"
                        " an. Niemand macht Ihnen einen Vorwurf – je früher wir es wissen, desto kleiner der Schaden.</p>",
                    ),
                    contact("Deniz Yılmaz", "Informationssicherheit, Amt für Informationstechnik", "0123 456-4720",
                            "it-sicherheit@musterstadt.example"),
                ],
            },
        ),
        en=PageText(
            title="Recognising and reporting phishing",
            search_description="How to recognise fake emails and what to do at once.",
            fields={
                "summary": "How to recognise fake emails and what to do at once.",
                "body": [
                    callout(
                        "danger", "Current warning: fake payslips",
                        "<p>Emails with the subject “Your payslip is ready” are currently arriving. The link leads to a fake"
                        " sign-in page. <b>The HR office never sends links to payslips.</b> Never enter your password"
                        " there.</p>",
                    ),
                    heading("Typical signs"),
                    paragraph(
                        "<ul><li>Time pressure and threats (“Your account will be blocked today”).</li>"
                        "<li>The sender address does not match the alleged sender or does not end in"
                        " @musterstadt.example.</li>"
                        "<li>Links whose target, when you hover over them, points to an unknown address.</li>"
                        "<li>Unexpected attachments, especially Office files with macros or ZIP archives.</li></ul>"
                    ),
                    steps(
                        "How to report phishing",
                        "<p>Do not click links or open attachments.</p>",
                        "<p>Forward the email as an attachment to it-sicherheit@musterstadt.example.</p>",
                        "<p>Then delete the email.</p>",
                    ),
                    callout(
                        "warning", "Already clicked or entered your password?",
                        "<p>Disconnect the device from the network and call the IT service desk on extension 4711 at once."
                        " Nobody will blame you – the sooner we know, the smaller the damage.</p>",
                    ),
                    contact("Deniz Yılmaz", "Information security, Amt für Informationstechnik", "0123 456-4720",
                            "it-sicherheit@musterstadt.example"),
                ],
            },
        ),
    ),
    PageContent(
        slug="ergonomie-am-heimarbeitsplatz",
        de=PageText(
            title="Ergonomie am Heimarbeitsplatz",
            search_description="Bildschirm, Stuhl, Licht und Pausen: gesund arbeiten zu Hause.",
            fields={
                "summary": "Bildschirm, Stuhl, Licht und Pausen: so bleiben Sie auch zu Hause gesund.",
                "body": [
                    heading("Bildschirm"),
                    paragraph(
                        "<p>Die oberste Bildschirmzeile sollte knapp unter Augenhöhe liegen, der Abstand etwa eine Armlänge"
                        " betragen. Stellen Sie den Bildschirm seitlich zum Fenster, damit Sie weder geblendet werden noch"
                        " Spiegelungen sehen.</p>"
                    ),
                    heading("Stuhl und Tisch"),
                    paragraph(
                        "<p>Ihre Füße stehen flach auf dem Boden, Ober- und Unterschenkel bilden etwa einen rechten Winkel."
                        " Die Unterarme liegen locker auf dem Tisch, die Schultern bleiben entspannt.</p>"
                    ),
                    heading("Pausen und Bewegung"),
                    paragraph(
                        "<p>Wechseln Sie regelmäßig die Haltung und stehen Sie mindestens einmal pro Stunde auf. Telefonate"
                        " lassen sich gut im Stehen oder Gehen führen.</p>"
                    ),
                    callout(
                        "info", "Ausstattung ausleihen",
                        "<p>Monitor, Tastatur, Maus und Headset können Sie über den Selbstservice „Ausstattung ausleihen“"
                        " beantragen.</p>",
                    ),
                    related_services("Passende Selbstservices", "ausstattung-ausleihen", "mobiles-arbeiten-beantragen"),
                    document("checkliste-bildschirmarbeitsplatz", "Checkliste: Bildschirmarbeitsplatz zu Hause"),
                ],
            },
        ),
        en=PageText(
            title="Ergonomics at your home workstation",
            search_description="Screen, chair, light and breaks: working healthily at home.",
            fields={
                "summary": "Screen, chair, light and breaks: how to stay healthy when working from home.",
                "body": [
                    heading("Screen"),
                    paragraph(
                        "<p>The top line of the screen should sit just below eye level, about an arm's length away. Place the"
                        " screen side-on to the window so that you are neither dazzled nor see reflections.</p>"
                    ),
                    heading("Chair and desk"),
                    paragraph(
                        "<p>Your feet rest flat on the floor, thighs and lower legs form roughly a right angle. Your forearms"
                        " rest loosely on the desk and your shoulders stay relaxed.</p>"
                    ),
                    heading("Breaks and movement"),
                    paragraph(
                        "<p>Change your posture regularly and get up at least once an hour. Phone calls work well standing"
                        " or walking.</p>"
                    ),
                    callout(
                        "info", "Borrow equipment",
                        "<p>You can request a monitor, keyboard, mouse and headset through the self-service “Borrow"
                        " equipment”.</p>",
                    ),
                    related_services("Matching self-services", "ausstattung-ausleihen", "mobiles-arbeiten-beantragen"),
                    document("checkliste-bildschirmarbeitsplatz", "Checklist: your screen workstation at home (in German)"),
                ],
            },
        ),
    ),
)


@dataclass(frozen=True)
class DocumentContent:
    """A demo document for the document library; home.demo.pages renders `html` to a PDF."""

    title: str
    filename: str
    html: str


DEMO_DOCUMENTS: dict[str, DocumentContent] = {
    "checkliste-homeoffice": DocumentContent(
        title="Checkliste: Sicher im Homeoffice",
        filename="checkliste-sicher-im-homeoffice.pdf",
        html=(
            "<h1>Checkliste: Sicher im Homeoffice</h1><ul>"
            "<li>Bildschirm sperren, sobald Sie aufstehen (Windows-Taste + L).</li>"
            "<li>Nur über den VPN-Zugang der Stadt arbeiten.</li>"
            "<li>Heimisches WLAN mit WPA2 oder WPA3 und eigenem Passwort.</li>"
            "<li>Keine dienstlichen Daten auf USB-Sticks, privaten Clouds oder privaten Postfächern.</li>"
            "<li>Papierunterlagen verschlossen aufbewahren und im Rathaus entsorgen.</li>"
            "<li>Verlust oder Diebstahl sofort dem IT-Service-Desk melden: Durchwahl 4711.</li></ul>"
        ),
    ),
    "checkliste-bildschirmarbeitsplatz": DocumentContent(
        title="Checkliste: Bildschirmarbeitsplatz zu Hause",
        filename="checkliste-bildschirmarbeitsplatz.pdf",
        html=(
            "<h1>Checkliste: Bildschirmarbeitsplatz zu Hause</h1><ul>"
            "<li>Oberste Bildschirmzeile knapp unter Augenhöhe, Abstand etwa eine Armlänge.</li>"
            "<li>Bildschirm seitlich zum Fenster.</li>"
            "<li>Füße flach auf dem Boden, Ober- und Unterschenkel etwa im rechten Winkel.</li>"
            "<li>Unterarme locker auf dem Tisch, Schultern entspannt.</li>"
            "<li>Mindestens einmal pro Stunde aufstehen.</li></ul>"
        ),
    ),
}

ACCESSIBILITY_STATEMENT = PageContent(
    slug="barrierefreiheit",
    de=PageText(
        title="Erklärung zur Barrierefreiheit",
        search_description="Wie barrierefrei das Mitarbeiterportal ist, was noch fehlt und wie Sie uns Barrieren melden.",
        fields={
            "compliance_status": "partial",
            "compliance_text": (
                "<p>Die Stadtverwaltung Musterstadt ist bemüht, ihr Mitarbeiterportal „Kurzer Dienstweg“ im Einklang mit"
                " den Bestimmungen des Behindertengleichstellungsgesetzes (BGG) sowie der Barrierefreie-Informationstechnik-"
                "Verordnung (BITV 2.0) zur Umsetzung der Richtlinie (EU) 2016/2102 barrierefrei zugänglich zu machen."
                " Dieses Portal ist wegen der unten aufgeführten Ausnahmen <b>teilweise</b> mit der BITV 2.0 vereinbar.</p>"
            ),
            "non_accessible_content": (
                "<ul><li>Ältere PDF-Dokumente in der Dokumentenbibliothek sind nicht durchgängig barrierefrei. Auf Anfrage"
                " erhalten Sie jedes Dokument in einer zugänglichen Form.</li>"
                "<li>Die Bescheide (PDF) enthalten noch keine vollständige Struktur für Screenreader; alle Angaben stehen"
                " zusätzlich barrierefrei auf der Seite des Antrags.</li></ul>"
            ),
            "assessment_method": "Selbstbewertung durch das Amt für Informationstechnik",
            "feedback_text": (
                "<p>Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten aufgefallen? Dann melden Sie sie uns bitte"
                " über das Formular „Barriere melden“ oder auf einem der anderen Wege. Wir antworten innerhalb von zwei"
                " Wochen.</p>"
            ),
            "feedback_contact_name": "Amt für Informationstechnik, Beauftragte für barrierefreie IT",
            "feedback_email": "barrierefreiheit@musterstadt.example",
            "feedback_phone": "0123 456-4700",
            "enforcement_text": (
                "<p>Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie bei der"
                " Schlichtungsstelle nach § 16 BGG einen Antrag auf Einleitung eines Schlichtungsverfahrens stellen."
                " Die Schlichtungsstelle hat die Aufgabe, Streitigkeiten zwischen Menschen mit Behinderungen und"
                " öffentlichen Stellen außergerichtlich zu klären. Das Verfahren ist kostenlos.</p>"
            ),
        },
    ),
    en=PageText(
        title="Accessibility statement",
        search_description="How accessible the staff portal is, what is still missing and how to report barriers.",
        fields={
            "compliance_text": (
                "<p>The City of Musterstadt strives to make its staff portal “Kurzer Dienstweg” accessible in accordance"
                " with the Disability Equality Act (BGG) and the Barrier-Free Information Technology Ordinance (BITV 2.0),"
                " which implement Directive (EU) 2016/2102. Because of the exceptions listed below, this portal is"
                " <b>partially</b> compliant with BITV 2.0.</p>"
            ),
            "non_accessible_content": (
                "<ul><li>Older PDF documents in the document library are not fully accessible. On request you receive"
                " any document in an accessible form.</li>"
                "<li>Decision documents (PDF) do not yet carry a complete structure for screen readers; everything they"
                " say is also shown accessibly on the request's page.</li></ul>"
            ),
            "assessment_method": "Self-assessment by the Amt für Informationstechnik",
            "feedback_text": (
                "<p>Have you noticed barriers to accessing content? Please tell us through the form “Report a barrier”"
                " or one of the other ways. We answer within two weeks.</p>"
            ),
            "feedback_contact_name": "Amt für Informationstechnik, officer for accessible IT",
            "enforcement_text": (
                "<p>If you do not receive a satisfactory answer to your feedback, you can apply to the conciliation body"
                " under § 16 BGG (Schlichtungsstelle nach § 16 BGG) to open a conciliation procedure. It settles disputes"
                " between people with disabilities and public bodies out of court, free of charge.</p>"
            ),
        },
    ),
)

SITE_ALERT_TEXT = "Aktuelle Phishing-Welle: E-Mails mit angeblichen Förderanträgen"
SITE_ALERT_TEXT_ENGLISH = "Current phishing wave: emails about alleged funding applications"
