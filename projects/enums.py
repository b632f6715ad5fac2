from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectKind(models.TextChoices):
    PREMISES = "premises", _("Mutualisation de locaux")
    EQUIPMENT = "equipment", _("Mutualisation d'équipements")
    SERVICES = "services", _("Mutualisation de services")
    SKILLS = "skills", _("Mutualisation de compétences ou de personnel")
    LOGISTICS = "logistics", _("Logistique partagée")
    PURCHASING = "purchasing", _("Achats groupés")
    CHANNEL = "channel", _("Filière déchets ou ressources")
    ENERGY = "energy", _("Énergie")
    INSERTION = "insertion", _("Insertion et formation")
    OTHER = "other", _("Autre")


class ProjectStatus(models.TextChoices):
    IDEA = "idea", _("Idée")
    FEASIBILITY = "feasibility", _("Étude de faisabilité")
    FUNDING = "funding", _("Recherche de financement")
    IMPLEMENTATION = "implementation", _("Mise en œuvre")
    OPERATIONAL = "operational", _("En fonctionnement")
    CLOSED = "closed", _("Clos")
    ABANDONED = "abandoned", _("Abandonné")


# The pipeline, in order; `abandoned` is reachable from any open stage.
PIPELINE = [
    ProjectStatus.IDEA,
    ProjectStatus.FEASIBILITY,
    ProjectStatus.FUNDING,
    ProjectStatus.IMPLEMENTATION,
    ProjectStatus.OPERATIONAL,
    ProjectStatus.CLOSED,
]
OPEN_STATUSES = [status for status in PIPELINE if status != ProjectStatus.CLOSED]


class ProjectVisibility(models.TextChoices):
    PUBLIC = "public", _("Public (partenaires compris)")
    MEMBERS = "members", _("Membres du pôle")
    COORDINATOR = "coordinator", _("Coordination et participants")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Porteur")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")
    BENEFICIARY = "beneficiary", _("Bénéficiaire")
    SUPPLIER = "supplier", _("Fournisseur")


class BudgetCategory(models.TextChoices):
    INVESTMENT = "investment", _("Investissement")
    OPERATION = "operation", _("Fonctionnement")


class FundingSource(models.TextChoices):
    STATE_PTCE = "state_ptce", _("État — appel à projets PTCE")
    REGION = "region", _("Région")
    ADEME = "ademe", _("ADEME")
    BANQUE_TERRITOIRES = "banque_territoires", _("Banque des Territoires")
    EU = "eu", _("Fonds européens")
    LOCAL_AUTHORITY = "local_authority", _("Collectivités locales")
    OWN_FUNDS = "own_funds", _("Fonds propres des membres")
    OTHER = "other", _("Autre")


class IndicatorKind(models.TextChoices):
    JOBS = "jobs_fte", _("Emplois créés (ETP)")
    INSERTION_JOBS = "insertion_fte", _("Emplois d'insertion (ETP)")
    TONNES = "tonnes_valorised", _("Tonnes valorisées")
    CO2E = "co2e_avoided", _("CO2e évité (t)")
    EUROS = "euros_saved", _("Euros économisés")
    MEMBERS = "members_involved", _("Membres impliqués")
    CUSTOM = "custom", _("Indicateur libre")


class DocumentKind(models.TextChoices):
    STUDY = "study", _("Étude")
    FUNDING_APPLICATION = "funding_application", _("Dossier de financement")
    AGREEMENT = "agreement", _("Convention ou contrat")
    MINUTES = "minutes", _("Compte rendu")
    REPORT = "report", _("Rapport ou bilan")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Autre")


class ActivityKind(models.TextChoices):
    CREATED = "created", _("Création")
    STATUS = "status", _("Changement de statut")
    COMMENT = "comment", _("Commentaire")
    UPDATE = "update", _("Modification")
    PARTICIPANT = "participant", _("Participants")
    DOCUMENT = "document", _("Document")
    FUNDING = "funding", _("Financement")
    MILESTONE = "milestone", _("Jalon")
    INDICATOR = "indicator", _("Indicateur")
    MATCH = "match", _("Opportunité liée")
