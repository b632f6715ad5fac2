from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    OFFER = "offer", _("Offre (ce que le site produit ou met à disposition)")
    NEED = "need", _("Besoin (ce que le site consomme ou recherche)")


class StreamKind(models.TextChoices):
    WASTE = "waste", _("Déchet")
    BY_PRODUCT = "by_product", _("Sous-produit")
    SURPLUS = "surplus", _("Surplus (énergie, eau, matière)")
    CAPACITY = "capacity", _("Capacité disponible (locaux, équipement, temps)")
    INPUT = "input", _("Intrant (matière, énergie, eau)")
    SERVICE = "service", _("Service")


OFFER_KINDS = (StreamKind.WASTE, StreamKind.BY_PRODUCT, StreamKind.SURPLUS, StreamKind.CAPACITY)
NEED_KINDS = (StreamKind.INPUT, StreamKind.SERVICE)


class Period(models.TextChoices):
    ONE_OFF = "one_off", _("en une fois")
    DAY = "day", _("par jour")
    WEEK = "week", _("par semaine")
    MONTH = "month", _("par mois")
    YEAR = "year", _("par an")
    HOUR = "hour", _("par heure (flux continu)")


class Regularity(models.TextChoices):
    CONTINUOUS = "continuous", _("Continu toute l'année")
    SEASONAL = "seasonal", _("Saisonnier")
    ONE_OFF = "one_off", _("Ponctuel")


class PhysicalForm(models.TextChoices):
    SOLID = "solid", _("Solide en vrac")
    PACKAGED = "packaged", _("Solide conditionné (palettes, balles, big-bags)")
    POWDER = "powder", _("Poudre, poussière")
    SLUDGE = "sludge", _("Boue, pâte")
    LIQUID = "liquid", _("Liquide")
    GAS = "gas", _("Gaz, vapeur")
    ENERGY = "energy", _("Énergie (chaleur, électricité)")
    IMMATERIAL = "immaterial", _("Immatériel (service, temps, local)")


class Route(models.TextChoices):
    """What happens to an offer today; local reuse and recycling is the goal of the pole."""

    LANDFILL = "landfill", _("Enfouissement")
    INCINERATION = "incineration", _("Incinération sans valorisation")
    ENERGY_RECOVERY = "energy_recovery", _("Valorisation énergétique")
    RECYCLING_OUTSIDE = "recycling_outside", _("Recyclage hors du territoire")
    LOCAL_VALORISATION = "local_valorisation", _("Réemploi ou recyclage local")
    UNKNOWN = "unknown", _("Inconnue")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Publique (partenaires compris)")
    MEMBERS = "members", _("Membres du pôle")
    COORDINATOR = "coordinator", _("Coordination seulement")


class StreamStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    ACTIVE = "active", _("Active")
    ARCHIVED = "archived", _("Archivée")


class MaterialKind(models.TextChoices):
    MATERIAL = "material", _("Matière")
    ENERGY = "energy", _("Énergie")
    WATER = "water", _("Eau")
    GAS = "gas", _("Gaz")
    SERVICE = "service", _("Ressource immatérielle")


class Dimension(models.TextChoices):
    MASS = "mass", _("masse")
    VOLUME = "volume", _("volume")
    ENERGY = "energy", _("énergie")
    POWER = "power", _("puissance")
    COUNT = "count", _("nombre")
    AREA = "area", _("surface")
    TIME = "time", _("durée")
