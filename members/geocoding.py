"""Optional geocoding of site addresses through the national address API (api-adresse.data.gouv.fr).

Off by default (GEOCODING_ENABLED): a site's coordinates are otherwise set by clicking a map or typing
them. When on, a site saved without coordinates gets those of the best match for its address, if the
API is confident enough; any network failure simply leaves the coordinates to the person.
"""

import json
import logging
from decimal import Decimal
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

from django.conf import settings

logger = logging.getLogger(__name__)
MINIMUM_SCORE = 0.6
TIMEOUT_SECONDS = 4


def geocode(*, address: str, postcode: str, commune: str) -> tuple[Decimal, Decimal] | None:
    if not settings.GEOCODING_ENABLED:
        return None
    query = " ".join(part for part in (address, postcode, commune) if part).strip()
    if not query:
        return None
    parameters = {"q": query, "limit": 1}
    if postcode:
        parameters["postcode"] = postcode
    try:
        with urlopen(f"{settings.GEOCODING_URL}?{urlencode(parameters)}", timeout=TIMEOUT_SECONDS) as response:
            features = json.load(response).get("features", [])
    except (URLError, OSError, ValueError) as failure:
        logger.warning("Geocoding of %r failed: %s", query, failure)
        return None
    if not features or features[0]["properties"].get("score", 0) < MINIMUM_SCORE:
        return None
    longitude, latitude = features[0]["geometry"]["coordinates"]
    return Decimal(str(latitude)), Decimal(str(longitude))
