# The leave types and the TVöD §29 (1) occasions the city starts with, and every existing leave request
# pointed to the record of its old code. Administrators edit both afterwards (Wagtail admin, "Leave").

from decimal import Decimal

from django.db import migrations

LEAVE_TYPES = [
    # code, German, English, deducts from the annual leave, half days allowed, requires an occasion, order
    ("annual", "Erholungsurlaub", "Annual leave", True, True, False, 10),
    ("special", "Sonderurlaub (unbezahlt, § 28 TVöD)", "Special leave (unpaid, TVöD §28)", False, False, False, 20),
    ("occasion", "Arbeitsbefreiung aus besonderem Anlass (§ 29 TVöD)", "Paid time off for an occasion (TVöD §29)",
     False, True, True, 30),
    ("flexitime", "Gleittag (Zeitausgleich)", "Flexitime day", False, True, False, 40),
]

# TVöD §29 (1) a–f. Letter e: together no more than five working days in a calendar year (checked by the approver).
OCCASIONS = [
    # code, German, English, reference, at most working days (None: as needed), limit per calendar year, order
    ("birth", "Niederkunft der Ehefrau/der Lebenspartnerin", "Birth of a child to one's wife or registered partner",
     "TVöD §29 (1) a", Decimal("1"), False, 10),
    ("death", "Tod der Ehegattin/des Ehegatten, der Lebenspartnerin/des Lebenspartners, eines Kindes oder Elternteils",
     "Death of one's spouse, registered partner, child or parent", "TVöD §29 (1) b", Decimal("2"), False, 20),
    ("relocation", "Umzug aus dienstlichem oder betrieblichem Grund an einen anderen Ort",
     "Moving to another place for reasons of the service", "TVöD §29 (1) c", Decimal("1"), False, 30),
    ("jubilee", "25- und 40-jähriges Arbeitsjubiläum", "25th or 40th service anniversary", "TVöD §29 (1) d",
     Decimal("1"), False, 40),
    ("relative_ill", "Schwere Erkrankung einer/eines Angehörigen im selben Haushalt",
     "Serious illness of a relative living in the same household", "TVöD §29 (1) e aa", Decimal("1"), True, 50),
    ("child_ill", "Schwere Erkrankung eines Kindes unter 12 Jahren (ohne Anspruch nach § 45 SGB V)",
     "Serious illness of a child under 12 (no claim under SGB V §45)", "TVöD §29 (1) e bb", Decimal("4"), True, 60),
    ("carer_ill", "Schwere Erkrankung der Betreuungsperson eines Kindes unter 8 Jahren oder eines dauernd pflegebedürftigen Kindes",
     "Serious illness of the carer of a child under 8 or of a child in permanent need of care", "TVöD §29 (1) e cc",
     Decimal("4"), True, 70),
    ("medical", "Ärztliche Behandlung, die während der Arbeitszeit erfolgen muss",
     "Medical treatment that must take place during working hours", "TVöD §29 (1) f", None, False, 80),
]


def seed(apps, schema_editor):
    LeaveType = apps.get_model("services", "LeaveType")
    LeaveOccasion = apps.get_model("services", "LeaveOccasion")
    LeaveRequest = apps.get_model("services", "LeaveRequest")
    for code, name_de, name_en, deducts, half_days, requires_occasion, order in LEAVE_TYPES:
        LeaveType.objects.update_or_create(code=code, defaults={
            "name_de": name_de, "name_en": name_en, "deducts_from_balance": deducts, "half_days_allowed": half_days,
            "requires_occasion": requires_occasion, "order": order})
    for code, name_de, name_en, reference, max_days, per_year, order in OCCASIONS:
        LeaveOccasion.objects.update_or_create(code=code, defaults={
            "name_de": name_de, "name_en": name_en, "legal_reference": reference, "max_days": max_days,
            "per_calendar_year": per_year, "order": order})
    types = {leave_type.code: leave_type for leave_type in LeaveType.objects.all()}
    for code in LeaveRequest.objects.values_list("leave_type", flat=True).distinct():
        if code not in types:  # a code the old check constraint would not have let in; keep it visible, switched off
            types[code] = LeaveType.objects.create(code=code, name_de=code, name_en=code, active=False, order=99)
        LeaveRequest.objects.filter(leave_type=code).update(leave_type_record=types[code])


def unseed(apps, schema_editor):
    LeaveRequest = apps.get_model("services", "LeaveRequest")
    for request in LeaveRequest.objects.select_related("leave_type_record"):
        request.leave_type = request.leave_type_record.code
        request.save(update_fields=["leave_type"])


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0004_leave_types'),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
