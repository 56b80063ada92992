"""The portal's search index over Publication.search_terms (written by hand; see zhifa.disclosure.search).

PostgreSQL: a stored generated tsvector column with a GIN index, and a GIN index on penalty_types.
SQLite: a contentless FTS5 table of terms and facet tokens kept in step by triggers (none when FTS5 is
not compiled in: the search then uses LIKE). The model does not declare any of it, so
`makemigrations` sees no change; reversing drops it all.
"""

from django.db import migrations


def forwards(apps, schema_editor) -> None:
    from zhifa.disclosure.search import install

    install(schema_editor.connection)


def backwards(apps, schema_editor) -> None:
    from zhifa.disclosure.search import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
