from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleGroup(models.TextChoices):
    """Groups that carry the platform-wide roles (member users get their role from their organisation)."""

    COORDINATORS = "coordinators", _("Coordination du pôle")
    PARTNERS = "partners", _("Partenaires")


class MemberKind(models.TextChoices):
    ESS_ENTERPRISE = "ess_enterprise", _("Entreprise de l'ESS")
    CLASSIC_ENTERPRISE = "classic_enterprise", _("Entreprise classique")
    LOCAL_AUTHORITY = "local_authority", _("Collectivité territoriale")
    RESEARCH_CENTRE = "research_centre", _("Centre de recherche")
    TRAINING_BODY = "training_body", _("Organisme de formation")
    OTHER = "other", _("Autre (réseau, citoyens…)")


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    SCOP = "scop", _("SCOP")
    SCIC = "scic", _("SCIC")
    COOPERATIVE = "cooperative", _("Autre coopérative")
    MUTUAL = "mutual", _("Mutuelle")
    FOUNDATION = "foundation", _("Fondation")
    SA = "sa", _("SA")
    SAS = "sas", _("SAS / SASU")
    SARL = "sarl", _("SARL")
    EURL = "eurl", _("EURL")
    EI = "ei", _("Entreprise individuelle")
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("EPCI (intercommunalité)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    PUBLIC_BODY = "public_body", _("Établissement public")
    GIP = "gip", _("Groupement d'intérêt public")
    OTHER = "other", _("Autre")


class IaeType(models.TextChoices):
    """Structures of insertion through economic activity (IAE), and inclusive employers."""

    EI = "ei", _("EI — entreprise d'insertion")
    ETTI = "etti", _("ETTI — entreprise de travail temporaire d'insertion")
    ACI = "aci", _("ACI — atelier et chantier d'insertion")
    AI = "ai", _("AI — association intermédiaire")
    EITI = "eiti", _("EITI — entreprise d'insertion par le travail indépendant")
    GEIQ = "geiq", _("GEIQ — groupement d'employeurs pour l'insertion et la qualification")
    EA = "ea", _("EA — entreprise adaptée")
    ESAT = "esat", _("ESAT — établissement et service d'accompagnement par le travail")


class MembershipStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Actif")
    SUSPENDED = "suspended", _("Suspendu")
    FORMER = "former", _("Ancien membre")


class MemberRole(models.TextChoices):
    """Role of a user inside its member organisation."""

    ADMIN = "admin", _("Administrateur")
    EDITOR = "editor", _("Éditeur")
    VIEWER = "viewer", _("Lecteur")


class ApiScope(models.TextChoices):
    """What an API key may reach. Reading scopes still show only what the key's user may see."""

    DIRECTORY_READ = "directory:read", _("Annuaire : membres et sites (lecture)")
    STREAMS_READ = "streams:read", _("Flux déclarés (lecture)")
    STREAMS_WRITE = "streams:write", _("Flux de sa propre structure (écriture)")
    STATS_READ = "stats:read", _("Statistiques et agrégats (lecture)")
    PROJECTS_READ = "projects:read", _("Projets (lecture)")
    MATCHES_READ = "matches:read", _("Mises en relation et débouchés (lecture)")
