"""Form plumbing shared by every form of the portal."""

from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    """Renders `{{ form }}` and `{{ field.as_field_group }}` with the KERN UX templates of the project.

    Every form, the portal's own and allauth's, gets labels, hints, errors beside the field and
    `aria-describedby` links from the same two templates.
    """

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
