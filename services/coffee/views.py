"""The coffee kitchen page: who is there now, the video room, and "I'm having a coffee"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.http import private_response
from services.coffee import selectors
from services.coffee import services as coffee_services
from services.coffee.forms import CoffeeForm
from services.coffee.models import CoffeeKitchenSettings


def _kitchen(http_request: HttpRequest, form: CoffeeForm, status: int = 200) -> HttpResponse:
    room = CoffeeKitchenSettings.load(request_or_site=http_request).video_room_url
    return private_response(render(http_request, "services/coffee/kitchen.html", {
        "form": form, "people": selectors.people_in_kitchen(), "mine": selectors.presence_of(http_request.user),
        "video_room_url": room if room.lower().startswith("https://") else "",
    }, status=status))


@never_cache
@login_required
@require_GET
def kitchen(http_request: HttpRequest) -> HttpResponse:
    coffee_services.coffee_presence_purge_expired()
    return _kitchen(http_request, CoffeeForm())


@never_cache
@login_required
@require_POST
def join(http_request: HttpRequest) -> HttpResponse:
    form = CoffeeForm(http_request.POST)
    if form.is_valid():
        try:
            coffee_services.coffee_presence_start(user=http_request.user, minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            form.add_error("minutes", error)
        else:
            messages.success(http_request, _("You are in the coffee kitchen for %(minutes)d minutes. Enjoy!")
                             % {"minutes": form.cleaned_data["minutes"]})
            return redirect("coffee:kitchen")
    return _kitchen(http_request, form, status=400)


@never_cache
@login_required
@require_POST
def leave(http_request: HttpRequest) -> HttpResponse:
    if coffee_services.coffee_presence_end(user=http_request.user):
        messages.success(http_request, _("You have left the coffee kitchen."))
    return redirect("coffee:kitchen")
