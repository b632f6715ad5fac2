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


class MatchKind(models.TextChoices):
    SUBSTITUTION = "substitution", _("Substitution (une offre couvre un besoin)")
    POOLING = "pooling", _("Massification (plusieurs offres atteignent un seuil)")
    SHARED_NEED = "shared_need", _("Besoin partagé (mutualisation)")


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggérée")
    REVIEWED = "reviewed", _("Validée par la coordination")
    INTRODUCED = "introduced", _("Mise en relation faite")
    IN_DISCUSSION = "in_discussion", _("En discussion")
    IMPLEMENTED = "implemented", _("Réalisée")
    REJECTED = "rejected", _("Écartée")
    OBSOLETE = "obsolete", _("Obsolète")


# Statuses people set; a run never overwrites them, it only updates scores and figures.
CLOSED_MATCH_STATUSES = (MatchStatus.IMPLEMENTED, MatchStatus.REJECTED)


class RejectionReason(models.TextChoices):
    DISTANCE = "distance", _("Trop loin")
    QUALITY = "quality", _("Qualité ou conditionnement inadaptés")
    QUANTITY = "quantity", _("Quantités inadaptées")
    REGULATION = "regulation", _("Contrainte réglementaire")
    COST = "cost", _("Pas rentable")
    TIMING = "timing", _("Calendrier incompatible")
    ALREADY_SOLVED = "already_solved", _("Déjà résolu autrement")
    NOT_INTERESTED = "not_interested", _("Pas d'intérêt d'un des membres")
    OTHER = "other", _("Autre")


class ParticipantAnswer(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    ACCEPTED = "accepted", _("Intéressé")
    DECLINED = "declined", _("Pas intéressé")


class RunScope(models.TextChoices):
    FULL = "full", _("Complète")
    INCREMENTAL = "incremental", _("Incrémentale (un flux)")


class RunTrigger(models.TextChoices):
    BUTTON = "button", _("Lancée par la coordination")
    SCHEDULE = "schedule", _("Planifiée")
    STREAM_CHANGE = "stream_change", _("Après une déclaration")
    COMMAND = "command", _("Ligne de commande")


class RunStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    RUNNING = "running", _("En cours")
    SUCCEEDED = "succeeded", _("Terminée")
    FAILED = "failed", _("Échouée")
