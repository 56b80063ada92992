"""The JSON API (django-ninja) under /api/v1/; each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="Zhifa API", version="1", urls_namespace="api")
