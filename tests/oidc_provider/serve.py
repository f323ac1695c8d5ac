"""Run the identity provider: migrate its own database, register the people and the portal as a client, serve.

``python -m tests.oidc_provider.serve`` with DJANGO_SETTINGS_MODULE=tests.oidc_provider.settings and
KD_IDP_SEED (JSON: "people" [{email, password, verified}], "client" {id, secret, redirect_uris}). It binds
127.0.0.1 on a free port and prints ``port=<number>`` once it accepts connections.
"""

import json
import os
import sys

import django


def main() -> None:
    django.setup()
    from allauth.account.models import EmailAddress
    from allauth.idp.oidc.models import Client
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    call_command("migrate", verbosity=0, interactive=False)
    seed = json.loads(os.environ["KD_IDP_SEED"])
    for person in seed["people"]:
        user = get_user_model().objects.create_user(username=person["email"], email=person["email"], password=person["password"])
        EmailAddress.objects.create(user=user, email=person["email"], verified=person.get("verified", True), primary=True)
    client = Client(id=seed["client"]["id"], name="Kurzer Dienstweg", type=Client.Type.CONFIDENTIAL)
    client.set_secret(seed["client"]["secret"])
    client.set_scopes(["openid", "profile", "email"])
    client.set_redirect_uris(seed["client"]["redirect_uris"])
    client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE])
    client.set_response_types(["code"])
    client.save()

    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler, ipv6=False)
    server.set_app(get_wsgi_application())
    print(f"port={server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
