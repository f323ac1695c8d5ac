from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from django.conf import settings


class DirectoryAdapter(DefaultOIDCAdapter):
    """Adds what the city's directory knows about a person (IDP_EXTRA_CLAIMS) to the ID token and userinfo,
    as Keycloak's mappers or Entra ID's optional claims do: e.g. a personnel number and ``amr``."""

    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs):
        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        extra = dict(settings.IDP_EXTRA_CLAIMS.get(user.email, {}))
        if purpose != "id_token":
            extra.pop("amr", None)
            extra.pop("acr", None)
        claims.update(extra)
        return claims
