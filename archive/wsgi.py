import os

from django.core.wsgi import get_wsgi_application

from archive.search.text import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings.base")
application = get_wsgi_application()

# newmm loads its dictionary on first use (about a second): pay it at start-up,
# not in a reader's first Thai search.
warm_up()
