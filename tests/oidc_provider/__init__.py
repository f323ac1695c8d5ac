"""A real OpenID Connect provider for the single sign-on tests: allauth's identity provider in a process of its own."""
