"""Seed the default clue categories (zhifa/intake/categories.py) on a fresh database."""

from django.db import migrations


def create_categories(apps, schema_editor) -> None:
    from zhifa.intake.categories import DEFAULT_CATEGORIES

    category_model = apps.get_model("intake", "ClueCategory")
    domain_model = apps.get_model("org", "EnforcementDomain")
    domains = {d.code: d for d in domain_model.objects.all()}
    for code, name, domain, sort in DEFAULT_CATEGORIES:
        category_model.objects.get_or_create(
            code=code, defaults={"name": name, "domain": domains.get(domain), "sort": sort}
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("org", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
