import os
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from members.tasks import purge_stale_imports


def test_import_files_left_unconfirmed_for_a_day_are_purged_and_recent_ones_kept(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = default_storage.save("imports/old.csv", ContentFile(b"siren\n"))
    recent = default_storage.save("imports/recent.csv", ContentFile(b"siren\n"))
    two_days_ago = time.time() - 48 * 3600
    os.utime(tmp_path / old, (two_days_ago, two_days_ago))

    purged = purge_stale_imports.delay().get()

    assert purged == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(recent)


def test_the_purge_is_scheduled_every_night(settings):
    assert settings.CELERY_BEAT_SCHEDULE["purge-stale-imports"]["task"] == "members.purge_stale_imports"
