"""The demo pole's cooperation projects, one at every stage (see projects/demo.py for how they are written).

Members are named by their demo key (members/demo/data.py). Amounts are orders of magnitude of real PTCE
projects: a collective wood boiler with its heat network costs 1.5 to 2 M€, funded by the ADEME Heat Fund,
the Region (Climaxion in Grand Est), a Banque des Territoires loan and the cooperative's members; the
State's PTCE call funds the pole's part (its first call, in 2013, gave 3 M€ to 23 poles).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from waste_flows.enums import MatchKind

from .enums import (
    BudgetCategory,
    FundingSource,
    IndicatorKind,
    ParticipantRole,
    ProjectKind,
    ProjectStatus,
    ProjectVisibility,
)

INV, OP = BudgetCategory.INVESTMENT, BudgetCategory.OPERATION
LEAD, PARTNER, FUNDER = ParticipantRole.LEAD, ParticipantRole.PARTNER, ParticipantRole.FUNDER
BENEFICIARY, SUPPLIER = ParticipantRole.BENEFICIARY, ParticipantRole.SUPPLIER
S = ProjectStatus
BOILER_CHANNEL = "Chaufferie bois collective de Fameck"
STATE_CALL = "État — appel à projets national PTCE"
STATE_NOTE = (
    "Appel à projets national des pôles territoriaux de coopération économique ; le premier, en 2013, avait "
    "soutenu 23 pôles pour 3 M€ au total."
)


@dataclass(frozen=True)
class DemoFunding:
    source: str
    funder_name: str
    requested: int
    requested_on: date
    granted: int | None = None
    granted_on: date | None = None
    received: int | None = None
    received_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class DemoMilestone:
    title: str
    due: date
    owner: str | None = None  # member key
    done: date | None = None


@dataclass(frozen=True)
class DemoIndicator:
    kind: str
    values: dict[int, tuple[float | None, float | None]]  # year → (target, actual)
    label: str = ""
    unit: str = ""


@dataclass(frozen=True)
class DemoProject:
    title: str
    kind: str
    lead: str  # member key
    summary: str
    visibility: str
    # The statuses it went through after "idea", with their dates; the first date is its creation.
    steps: tuple[tuple[str, date], ...]
    commune: str = ""
    site: int | None = None  # index of the lead member's site
    start_date: date | None = None
    end_date: date | None = None
    participants: tuple[tuple[str, str, str], ...] = ()  # (member key, role, commitment)
    budget: tuple[tuple[str, str, int], ...] = ()  # (category, label, euros)
    fundings: tuple[DemoFunding, ...] = ()
    milestones: tuple[DemoMilestone, ...] = ()
    indicators: tuple[DemoIndicator, ...] = ()
    matches: tuple[dict, ...] = ()  # Match filters; the best match of each is linked
    comments: tuple[tuple[str | None, date, str], ...] = ()  # (demo user e-mail or None for the coordinator, …)
    abandon_reason: str = ""


def money(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# fmt: off
DEMO_PROJECTS = (
    DemoProject(
        title="Chaufferie bois collective alimentée par les palettes mutualisées",
        kind=ProjectKind.ENERGY, lead="scic-bois-energie", site=1, visibility=ProjectVisibility.PUBLIC,
        summary="Une chaufferie biomasse de 1,2 MW et 1,4 km de réseau de chaleur chauffent l'école, le gymnase et "
        "la mairie de Fameck. Elle brûle le bois de classe A des membres : palettes hors d'usage collectées et "
        "broyées par Palettes Solidaires (entreprise d'insertion), bois de calage du laminoir, connexes de la "
        "scierie. Le bois qui partait en enfouissement chauffe désormais des bâtiments publics.",
        steps=((S.IDEA, date(2022, 11, 15)), (S.FEASIBILITY, date(2023, 1, 20)), (S.FUNDING, date(2023, 10, 2)),
               (S.IMPLEMENTATION, date(2024, 3, 15)), (S.OPERATIONAL, date(2024, 11, 4))),
        start_date=date(2024, 3, 15),
        participants=(
            ("palettes", SUPPLIER, "Collecte, tri et broyage des palettes hors d'usage : 400 t/an de broyat de classe A."),
            ("acierie", SUPPLIER, "Bois de calage et palettes du laminoir de Florange : 105 t/an."),
            ("scierie", SUPPLIER, "Dosses, écorces et sciure : jusqu'à 1 600 t/an."),
            ("ville-fameck", BENEFICIARY, "Raccordement de l'école, du gymnase et de la mairie au réseau de chaleur."),
            ("agglo", FUNDER, "Garantie d'emprunt et animation de la filière bois-énergie."),
        ),
        budget=(
            (INV, "Chaudière biomasse de 1,2 MW et silo de 400 m³", 980_000),
            (INV, "Réseau de chaleur (1,4 km) et sous-stations", 520_000),
            (INV, "Broyeur et aire couverte de la plateforme palettes", 185_000),
            (OP, "Étude de faisabilité et assistance à maîtrise d'ouvrage", 48_000),
            (OP, "Animation de la filière et suivi des apports (2 ans)", 52_000),
        ),
        fundings=(
            DemoFunding(FundingSource.STATE_PTCE, STATE_CALL, 150_000, date(2023, 3, 10), 150_000, date(2023, 6, 28),
                        150_000, date(2024, 1, 15), STATE_NOTE),
            DemoFunding(FundingSource.ADEME, "ADEME Grand Est — Fonds Chaleur", 520_000, date(2023, 10, 20), 495_000,
                        date(2024, 3, 12), 370_000, date(2025, 2, 3)),
            DemoFunding(FundingSource.REGION, "Région Grand Est — programme Climaxion", 300_000, date(2023, 10, 20),
                        280_000, date(2024, 2, 8), 140_000, date(2024, 12, 10)),
            DemoFunding(FundingSource.BANQUE_TERRITOIRES, "Banque des Territoires — prêt de long terme", 600_000,
                        date(2023, 11, 6), 600_000, date(2024, 2, 20), 600_000, date(2024, 4, 2),
                        "Prêt sur 20 ans garanti par la communauté d'agglomération."),
            DemoFunding(FundingSource.OWN_FUNDS, "Sociétaires de la SCIC", 180_000, date(2023, 9, 1), 180_000,
                        date(2023, 9, 1), 180_000, date(2024, 3, 1)),
        ),
        milestones=(
            DemoMilestone("Étude de faisabilité rendue", date(2023, 9, 30), "scic-bois-energie", date(2023, 9, 21)),
            DemoMilestone("Accord du Fonds Chaleur de l'ADEME", date(2024, 2, 28), "scic-bois-energie", date(2024, 3, 12)),
            DemoMilestone("Mise en service de la chaufferie", date(2024, 10, 15), "scic-bois-energie", date(2024, 11, 4)),
            DemoMilestone("Bilan de la première saison de chauffe", date(2025, 7, 31), "scic-bois-energie", date(2025, 7, 10)),
            DemoMilestone("Raccordement du gymnase de Fameck", date(2026, 10, 31), "ville-fameck"),
            DemoMilestone("Bilan de la deuxième saison de chauffe", date(2027, 6, 30), "scic-bois-energie"),
        ),
        indicators=(
            DemoIndicator(IndicatorKind.TONNES, {2024: (300, 210), 2025: (1200, 1080), 2026: (1500, None)}),
            DemoIndicator(IndicatorKind.CO2E, {2024: (90, 64), 2025: (360, 325), 2026: (450, None)}),
            DemoIndicator(IndicatorKind.INSERTION_JOBS, {2024: (2, 1.5), 2025: (4, 4.2), 2026: (5, 4.6)}),
            DemoIndicator(IndicatorKind.EUROS, {2025: (95_000, 88_000), 2026: (120_000, None)}),
            DemoIndicator(IndicatorKind.MEMBERS, {2024: (4, 4), 2025: (6, 6), 2026: (8, 6)}),
        ),
        matches=({"kind": MatchKind.POOLING, "channel__name": BOILER_CHANNEL},
                 {"kind": MatchKind.POOLING, "material__code": "wood.pallets"}),
        comments=(
            (None, date(2025, 7, 10), "Première saison de chauffe : 1 080 t de bois local brûlées, dont 380 t de "
             "palettes broyées par Palettes Solidaires. Le gymnase reste au fioul jusqu'à son raccordement."),
            ("acierie@demo-ptce.fr", date(2026, 9, 14), "Nous pourrons augmenter nos apports de bois de calage en "
             "janvier, avec la nouvelle ligne d'expédition."),
        ),
    ),
    DemoProject(
        title="Unité de méthanisation territoriale",
        kind=ProjectKind.ENERGY, lead="agglo", site=1, visibility=ProjectVisibility.PUBLIC,
        summary="Un méthaniseur en injection pour les biodéchets et sous-produits agroalimentaires de la vallée : "
        "lactosérum de la laiterie, drêches de la brasserie, invendus et déchets verts. Viable à partir de "
        "5 000 t/an dans un rayon de 30 km ; le digestat retourne aux maraîchers.",
        steps=((S.IDEA, date(2025, 2, 10)), (S.FEASIBILITY, date(2025, 9, 1))),
        participants=(
            ("laiterie", SUPPLIER, "Lactosérum et boues de la station d'épuration : 2 400 t/an."),
            ("brasserie", SUPPLIER, "Drêches et levures : 600 t/an."),
            ("supermarche", SUPPLIER, "Biodéchets et invendus non consommables : 180 t/an."),
            ("espaces-verts", SUPPLIER, "Tontes et déchets verts des chantiers : 300 t/an."),
            ("jardins", BENEFICIARY, "Épandage du digestat sur les parcelles maraîchères."),
            ("labo-metz", PARTNER, "Suivi scientifique du gisement et du pouvoir méthanogène."),
        ),
        budget=(
            (OP, "Étude de gisement", 28_000),
            (OP, "Étude de faisabilité technico-économique", 65_000),
            (OP, "Concertation avec les habitants", 12_000),
            (INV, "Unité de méthanisation en injection (estimation)", 6_200_000),
        ),
        fundings=(
            DemoFunding(FundingSource.ADEME, "ADEME Grand Est — aide aux études", 46_500, date(2025, 3, 3), 46_500,
                        date(2025, 5, 20), 23_250, date(2025, 10, 1)),
            DemoFunding(FundingSource.REGION, "Région Grand Est", 30_000, date(2026, 2, 16)),
            DemoFunding(FundingSource.LOCAL_AUTHORITY, "Communauté d'agglomération du Val de Fensch", 28_500,
                        date(2025, 3, 3), 28_500, date(2025, 4, 10), 28_500, date(2025, 6, 2)),
        ),
        milestones=(
            DemoMilestone("Étude de gisement rendue", date(2025, 12, 15), "agglo", date(2026, 1, 20)),
            DemoMilestone("Réunion publique de concertation à Florange", date(2026, 6, 15), "agglo", date(2026, 6, 18)),
            DemoMilestone("Rendu de l'étude de faisabilité", date(2026, 9, 30), "agglo"),
            DemoMilestone("Décision du conseil communautaire", date(2027, 3, 31), "agglo"),
        ),
        indicators=(
            DemoIndicator(IndicatorKind.CUSTOM, {2025: (5000, 3650), 2026: (5000, 4420)},
                          label="Gisement identifié", unit="t/an"),
            DemoIndicator(IndicatorKind.MEMBERS, {2025: (6, 5), 2026: (8, 7)}),
        ),
        matches=({"kind": MatchKind.POOLING, "material__code__startswith": "biowaste"},),
        comments=((None, date(2026, 10, 5), "Le gisement identifié atteint 4 420 t/an : il manque les biodéchets "
                   "des cantines scolaires pour passer le seuil de 5 000 t/an."),),
    ),
    DemoProject(
        title="Atelier partagé de réparation et de reconditionnement",
        kind=ProjectKind.EQUIPMENT, lead="ressourcerie", site=0, visibility=ProjectVisibility.PUBLIC,
        summary="Un atelier de 600 m² à Hayange, équipé en commun, où les salariés en insertion de la Ressourcerie "
        "réparent meubles, vélos, textiles et petit électroménager avec l'Atelier Vélo, le Repair Café et Fil "
        "Solidaire. L'encadrement technique est mutualisé entre les structures.",
        steps=((S.IDEA, date(2024, 9, 10)), (S.FEASIBILITY, date(2024, 12, 2)), (S.FUNDING, date(2025, 4, 14)),
               (S.IMPLEMENTATION, date(2025, 11, 25))),
        start_date=date(2025, 11, 25),
        participants=(
            ("atelier-velo", PARTNER, "Deux demi-journées par semaine sur le poste cycles."),
            ("repair-cafe", PARTNER, "Bénévoles et ateliers ouverts au public le samedi."),
            ("textile", PARTNER, "Poste couture et retouche, une encadrante à mi-temps."),
            ("scop-metallerie", SUPPLIER, "Maintenance des machines et soudure."),
            ("ville-hayange", FUNDER, "Mise à disposition du local à loyer modéré pendant 9 ans."),
        ),
        budget=(
            (INV, "Aménagement du local (électricité, aspiration, sécurité)", 145_000),
            (INV, "Machines : établis, tour, poste à souder, machines à coudre industrielles", 98_000),
            (OP, "Encadrement technique mutualisé (2 ans)", 110_000),
            (OP, "Formation des encadrants", 12_000),
        ),
        fundings=(
            DemoFunding(FundingSource.STATE_PTCE, STATE_CALL, 90_000, date(2025, 2, 3), 90_000, date(2025, 6, 30),
                        45_000, date(2025, 12, 1), STATE_NOTE),
            DemoFunding(FundingSource.REGION, "Région Grand Est — économie sociale et solidaire", 100_000,
                        date(2025, 4, 22), 85_000, date(2025, 9, 18), 42_500, date(2026, 1, 12)),
            DemoFunding(FundingSource.LOCAL_AUTHORITY, "Département de la Moselle — insertion", 60_000,
                        date(2025, 4, 22), 60_000, date(2025, 10, 7)),
            DemoFunding(FundingSource.BANQUE_TERRITOIRES, "Banque des Territoires — fonds d'amorçage", 50_000,
                        date(2025, 5, 5)),
            DemoFunding(FundingSource.OWN_FUNDS, "Structures participantes", 40_000, date(2025, 4, 14), 40_000,
                        date(2025, 4, 14), 40_000, date(2025, 11, 25)),
        ),
        milestones=(
            DemoMilestone("Signature du bail avec la Ville de Hayange", date(2025, 11, 30), "ville-hayange", date(2025, 11, 25)),
            DemoMilestone("Fin des travaux d'aménagement", date(2026, 5, 31), "ressourcerie", date(2026, 6, 20)),
            DemoMilestone("Livraison et installation des machines", date(2026, 10, 15), "scop-metallerie"),
            DemoMilestone("Ouverture de l'atelier aux structures du pôle", date(2027, 1, 15), "ressourcerie"),
        ),
        indicators=(
            DemoIndicator(IndicatorKind.INSERTION_JOBS, {2026: (6, 4)}),
            DemoIndicator(IndicatorKind.JOBS, {2026: (1.5, 1)}),
            DemoIndicator(IndicatorKind.TONNES, {2026: (40, None)}),
            DemoIndicator(IndicatorKind.MEMBERS, {2025: (5, 5), 2026: (6, 6)}),
        ),
        matches=({"kind": MatchKind.SHARED_NEED, "material__code": "premises.workshop"},),
        comments=(("recyclerie@demo-ptce.fr", date(2026, 10, 20), "Les machines à coudre sont arrivées ; le poste "
                   "à souder est toujours attendu chez le fournisseur."),),
    ),
    DemoProject(
        title="Collecte mutualisée des cartons et biodéchets de la zone de la Feltière",
        kind=ProjectKind.SERVICES, lead="collecte", site=0, visibility=ProjectVisibility.PUBLIC,
        summary="Une tournée commune remplace les enlèvements séparés de chaque entreprise : un camion au GNV et une "
        "équipe en insertion collectent cartons et biodéchets trois fois par semaine. Les cartons partent au "
        "recyclage plutôt qu'à l'incinération, et chaque entreprise paie moins.",
        steps=((S.IDEA, date(2023, 10, 5)), (S.FEASIBILITY, date(2023, 12, 1)), (S.FUNDING, date(2024, 2, 12)),
               (S.IMPLEMENTATION, date(2024, 5, 2)), (S.OPERATIONAL, date(2024, 10, 8))),
        start_date=date(2024, 5, 2),
        participants=(
            ("nettoyage", PARTNER, "Équipe d'insertion pour la collecte et le tri : 3 postes."),
            ("supermarche", BENEFICIARY, "Collecte des cartons trois fois par semaine et des biodéchets."),
            ("hotel", BENEFICIARY, "Biodéchets de la cuisine."),
            ("traiteur", BENEFICIARY, "Biodéchets et cartons de la cuisine centrale."),
            ("boulangerie", BENEFICIARY, "Cartons de livraison et invendus de pain."),
            ("entreprise-adaptee", BENEFICIARY, "Cartons d'emballage de l'atelier de conditionnement."),
        ),
        budget=(
            (INV, "Camion benne de 19 t au GNV", 165_000),
            (INV, "Bacs et compacteurs partagés", 42_000),
            (OP, "Conduite et tri en insertion (première année)", 96_000),
            (OP, "Communication auprès des entreprises de la zone", 8_000),
        ),
        fundings=(
            DemoFunding(FundingSource.ADEME, "ADEME Grand Est — économie circulaire", 60_000, date(2024, 2, 20),
                        55_000, date(2024, 4, 18), 55_000, date(2024, 11, 5)),
            DemoFunding(FundingSource.REGION, "Région Grand Est", 50_000, date(2024, 2, 20), 50_000,
                        date(2024, 4, 30), 50_000, date(2024, 12, 2)),
            DemoFunding(FundingSource.OWN_FUNDS, "Collecte et Valorisation Moselle Nord", 120_000, date(2024, 2, 12),
                        120_000, date(2024, 2, 12), 120_000, date(2024, 10, 8)),
            DemoFunding(FundingSource.OTHER, "Redevance des entreprises collectées", 86_000, date(2024, 4, 1), 86_000,
                        date(2024, 4, 1), 62_000, date(2025, 12, 31)),
        ),
        milestones=(
            DemoMilestone("Tournée test sur la zone de la Feltière", date(2024, 4, 30), "collecte", date(2024, 4, 26)),
            DemoMilestone("Achat du camion au GNV", date(2024, 9, 30), "collecte", date(2024, 10, 8)),
            DemoMilestone("Extension aux biodéchets des restaurants", date(2026, 3, 31), "collecte", date(2026, 4, 14)),
            DemoMilestone("Bilan annuel présenté aux entreprises", date(2026, 12, 15), "collecte"),
        ),
        indicators=(
            DemoIndicator(IndicatorKind.TONNES, {2024: (120, 96), 2025: (450, 472), 2026: (520, None)}),
            DemoIndicator(IndicatorKind.CO2E, {2025: (95, 101), 2026: (110, None)}),
            DemoIndicator(IndicatorKind.EUROS, {2025: (38_000, 41_500), 2026: (45_000, None)}),
            DemoIndicator(IndicatorKind.INSERTION_JOBS, {2025: (3, 3), 2026: (3, 3.2)}),
            DemoIndicator(IndicatorKind.MEMBERS, {2024: (6, 5), 2025: (10, 12), 2026: (15, 14)}),
        ),
        matches=({"kind": MatchKind.SHARED_NEED, "material__code": "services.waste_collection"},),
        comments=((None, date(2025, 12, 18), "Douze entreprises de la zone sont désormais collectées ; les cartons "
                   "partent au recycleur de Thionville au lieu de l'incinérateur."),),
    ),
    DemoProject(
        title="Maison de l'ESS : locaux partagés des structures d'insertion à Florange",
        kind=ProjectKind.PREMISES, lead="ville-florange", visibility=ProjectVisibility.MEMBERS, commune="Florange",
        summary="L'ancienne école Jean-Moulin, rénovée en chantier école, accueillera les agences des structures "
        "d'insertion, une salle de formation partagée et un tiers-lieu animé par Fensch en Transition.",
        steps=((S.IDEA, date(2025, 6, 20)), (S.FEASIBILITY, date(2025, 9, 15)), (S.FUNDING, date(2026, 3, 2))),
        participants=(
            ("etti", BENEFICIARY, "Agence de 60 m² et bureau d'entretien."),
            ("ai", BENEFICIARY, "Permanences deux jours par semaine."),
            ("eiti", BENEFICIARY, "Espace de travail partagé pour les entrepreneurs accompagnés."),
            ("geiq", BENEFICIARY, "Salle de formation deux jours par mois."),
            ("transition", PARTNER, "Animation du tiers-lieu."),
            ("eco-renov", SUPPLIER, "Rénovation énergétique du bâtiment en chantier école."),
        ),
        budget=(
            (INV, "Rénovation énergétique de l'ancienne école Jean-Moulin", 420_000),
            (INV, "Mobilier et équipement numérique", 35_000),
            (OP, "Coordination du lieu (3 ans)", 90_000),
        ),
        fundings=(
            DemoFunding(FundingSource.STATE_PTCE, STATE_CALL, 100_000, date(2026, 2, 9), 100_000, date(2026, 6, 25),
                        notes=STATE_NOTE),
            DemoFunding(FundingSource.REGION, "Région Grand Est", 150_000, date(2026, 3, 16)),
            DemoFunding(FundingSource.EU, "FEDER Grand Est", 120_000, date(2026, 5, 28)),
            DemoFunding(FundingSource.LOCAL_AUTHORITY, "Ville de Florange", 120_000, date(2026, 3, 2), 120_000,
                        date(2026, 4, 9)),
            DemoFunding(FundingSource.OWN_FUNDS, "Loyers des structures hébergées (3 ans)", 55_000, date(2026, 3, 2),
                        55_000, date(2026, 3, 2)),
        ),
        milestones=(
            DemoMilestone("Dépôt du dossier FEDER", date(2026, 5, 31), "ville-florange", date(2026, 5, 28)),
            DemoMilestone("Réponse de la Région", date(2026, 10, 31), "ville-florange"),
            DemoMilestone("Début du chantier école", date(2027, 2, 1), "eco-renov"),
        ),
        indicators=(
            DemoIndicator(IndicatorKind.MEMBERS, {2026: (6, 6)}),
            DemoIndicator(IndicatorKind.CUSTOM, {2026: (650, None)}, label="Surface partagée", unit="m²"),
        ),
        matches=({"kind": MatchKind.SHARED_NEED, "material__code": "premises.offices"},),
    ),
    DemoProject(
        title="Programme de formation mutualisé 2024-2025 (CACES, SST, habilitations)",
        kind=ProjectKind.INSERTION, lead="formation-adultes", visibility=ProjectVisibility.PUBLIC,
        commune="Thionville", site=0,
        summary="Des sessions communes de CACES, de sauveteur secouriste du travail et d'habilitation électrique "
        "pour les salariés en parcours d'insertion et les nouveaux embauchés des industriels, au lieu de petites "
        "sessions chères organisées par chacun.",
        steps=((S.IDEA, date(2023, 6, 12)), (S.FEASIBILITY, date(2023, 7, 10)), (S.FUNDING, date(2023, 9, 4)),
               (S.IMPLEMENTATION, date(2024, 1, 8)), (S.OPERATIONAL, date(2024, 3, 1)), (S.CLOSED, date(2025, 7, 3))),
        start_date=date(2024, 1, 8), end_date=date(2025, 7, 3),
        participants=(
            ("geiq", PARTNER, "Recrutement en contrats de professionnalisation à l'issue des sessions."),
            ("etti", PARTNER, "Repérage des candidats en parcours d'insertion."),
            ("cfa", PARTNER, "Plateau technique pour les habilitations électriques."),
            ("acierie", BENEFICIARY, "Accueil de 6 stagiaires par an."),
            ("rails", BENEFICIARY, "Accueil de 4 stagiaires par an."),
            ("transports", BENEFICIARY, "CACES et FIMO pour les nouveaux conducteurs."),
        ),
        budget=(
            (OP, "Sessions CACES R489 et R486", 38_000),
            (OP, "Sauveteurs secouristes du travail (SST)", 9_000),
            (OP, "Habilitations électriques", 14_000),
            (OP, "Accompagnement socioprofessionnel", 22_000),
        ),
        fundings=(
            DemoFunding(FundingSource.REGION, "Région Grand Est — formation", 40_000, date(2023, 9, 11), 40_000,
                        date(2023, 11, 20), 40_000, date(2025, 9, 1)),
            DemoFunding(FundingSource.OTHER, "OPCO 2i", 28_000, date(2023, 9, 11), 26_000, date(2023, 12, 4),
                        26_000, date(2025, 9, 15)),
            DemoFunding(FundingSource.OWN_FUNDS, "Participation des entreprises", 15_000, date(2023, 9, 4), 15_000,
                        date(2023, 9, 4), 15_000, date(2024, 6, 30)),
        ),
        milestones=(
            DemoMilestone("Premier groupe CACES", date(2024, 3, 31), "formation-adultes", date(2024, 3, 28)),
            DemoMilestone("Bilan à mi-parcours", date(2024, 12, 15), "formation-adultes", date(2024, 12, 19)),
            DemoMilestone("Remise des attestations", date(2025, 6, 30), "formation-adultes", date(2025, 6, 27)),
        ),
        indicators=(
            DemoIndicator(IndicatorKind.CUSTOM, {2024: (60, 64), 2025: (60, 57)}, label="Personnes formées"),
            DemoIndicator(IndicatorKind.JOBS, {2024: (6, 5), 2025: (10, 12)}),
            DemoIndicator(IndicatorKind.INSERTION_JOBS, {2024: (8, 9), 2025: (8, 7.5)}),
            DemoIndicator(IndicatorKind.MEMBERS, {2024: (8, 9), 2025: (8, 9)}),
        ),
        matches=({"kind": MatchKind.SHARED_NEED, "material__code": "skills.training"},),
        comments=((None, date(2025, 7, 3), "Programme clos : 121 personnes formées en deux ans, 12 embauches "
                   "durables. Une deuxième édition est à l'étude avec l'OPCO."),),
    ),
    DemoProject(
        title="Station de lavage partagée pour les poids lourds",
        kind=ProjectKind.EQUIPMENT, lead="transports", site=1, visibility=ProjectVisibility.MEMBERS,
        summary="Une aire de lavage avec récupération et recyclage des eaux, partagée par les transporteurs, le "
        "collecteur et le BTP de la vallée, qui lavent aujourd'hui leurs camions à 40 km.",
        steps=((S.IDEA, date(2026, 9, 22)),),
        participants=(
            ("collecte", BENEFICIARY, "Lavage des bennes et des camions de collecte."),
            ("btp", BENEFICIARY, "Lavage des engins de chantier."),
            ("garage", PARTNER, "Entretien des équipements de lavage."),
        ),
        budget=((INV, "Aire de lavage avec débourbeur et recyclage des eaux (estimation)", 240_000),),
        milestones=(DemoMilestone("Recenser les véhicules des membres intéressés", date(2027, 1, 31), "transports"),),
        indicators=(DemoIndicator(IndicatorKind.MEMBERS, {2026: (4, 4)}),),
    ),
    DemoProject(
        title="Groupement d'achats d'équipements de protection et de fournitures",
        kind=ProjectKind.PURCHASING, lead="club-entreprises", visibility=ProjectVisibility.MEMBERS,
        commune="Hayange", site=0,
        summary="Commander ensemble les équipements de protection individuelle, les consommables d'atelier et les "
        "fournitures de bureau des PME et des structures d'insertion du pôle.",
        steps=((S.IDEA, date(2024, 11, 18)), (S.FEASIBILITY, date(2025, 2, 3)), (S.ABANDONED, date(2025, 9, 15))),
        abandon_reason="Les volumes réunis (22 commandes par an) ne permettaient pas de faire mieux que les centrales "
        "d'achat existantes ; les membres intéressés ont rejoint celle de la CCI.",
        participants=(
            ("chaudronnerie", BENEFICIARY, "EPI et consommables de soudure."),
            ("usinage", BENEFICIARY, "EPI et huiles de coupe."),
            ("btp", BENEFICIARY, "EPI et signalisation de chantier."),
            ("nettoyage", BENEFICIARY, "Produits d'entretien et EPI."),
        ),
        budget=((OP, "Animation du groupement et consultation des fournisseurs", 15_000),),
        fundings=(DemoFunding(FundingSource.OWN_FUNDS, "Cotisations des entreprises du groupement", 15_000,
                              date(2025, 2, 3)),),
        milestones=(
            DemoMilestone("Recueil des besoins des membres", date(2025, 3, 31), "club-entreprises", date(2025, 4, 10)),
            DemoMilestone("Consultation des fournisseurs", date(2025, 6, 30), "club-entreprises", date(2025, 7, 4)),
        ),
        indicators=(DemoIndicator(IndicatorKind.EUROS, {2025: (25_000, None)}),),
        matches=({"kind": MatchKind.SHARED_NEED, "material__code": "services.purchasing"},),
    ),
    DemoProject(
        title="Laitiers et sables de fonderie en sous-couche routière",
        kind=ProjectKind.CHANNEL, lead="fonderie", site=0, visibility=ProjectVisibility.MEMBERS,
        summary="Valoriser les laitiers du laminoir et les sables usés de la fonderie en sous-couche de voirie, au "
        "lieu de les enfouir : caractérisation en laboratoire, puis un chantier test instrumenté de 500 m sur une "
        "route départementale.",
        steps=((S.IDEA, date(2025, 3, 3)), (S.FEASIBILITY, date(2025, 6, 2)), (S.FUNDING, date(2026, 6, 15))),
        participants=(
            ("acierie", SUPPLIER, "Laitiers d'aciérie : 8 000 t/an."),
            ("btp", BENEFICIARY, "Mise en œuvre en sous-couche sur les chantiers de voirie."),
            ("labo-metz", PARTNER, "Essais de lixiviation et de portance."),
            ("centre-essais", PARTNER, "Plateforme d'essais et suivi du chantier test."),
            ("departement", BENEFICIARY, "Chantier test sur une route départementale."),
        ),
        budget=(
            (OP, "Caractérisation et essais de lixiviation", 68_000),
            (OP, "Chantier test instrumenté (500 m)", 140_000),
            (INV, "Crible et aire de stockage des sables", 95_000),
        ),
        fundings=(
            DemoFunding(FundingSource.ADEME, "ADEME Grand Est — économie circulaire", 120_000, date(2026, 6, 22),
                        90_000, date(2026, 10, 12)),
            DemoFunding(FundingSource.REGION, "Région Grand Est", 80_000, date(2026, 6, 22)),
            DemoFunding(FundingSource.OWN_FUNDS, "Fonderie de la Vallée de la Fensch", 60_000, date(2026, 6, 15),
                        60_000, date(2026, 6, 15)),
        ),
        milestones=(
            DemoMilestone("Résultats des essais de lixiviation", date(2026, 4, 30), "labo-metz", date(2026, 5, 12)),
            DemoMilestone("Accord du Département pour le chantier test", date(2026, 11, 15), "departement"),
            DemoMilestone("Chantier test", date(2027, 5, 31), "btp"),
        ),
        indicators=(
            DemoIndicator(IndicatorKind.MEMBERS, {2026: (5, 5)}),
            DemoIndicator(IndicatorKind.CUSTOM, {2026: (12, 12)}, label="Échantillons testés en laboratoire"),
        ),
        matches=({"kind": MatchKind.SUBSTITUTION, "material__code": "minerals.slag",
                  "participants__member__name": "Fonderie de la Vallée de la Fensch"},),
    ),
    DemoProject(
        title="Chaleur fatale du data centre pour le réseau de chaleur de Florange",
        kind=ProjectKind.ENERGY, lead="datacentre", site=0, visibility=ProjectVisibility.COORDINATOR,
        summary="Récupérer la chaleur du refroidissement des serveurs (eau à 35 °C relevée par pompe à chaleur) "
        "pour chauffer la piscine et les logements sociaux voisins. Pré-diagnostic confidentiel.",
        steps=((S.IDEA, date(2026, 8, 27)),),
        participants=(
            ("ville-florange", BENEFICIARY, "Piscine municipale et réseau de chaleur à créer."),
            ("agglo", PARTNER, "Schéma directeur des réseaux de chaleur."),
        ),
        budget=((OP, "Pré-diagnostic des sources de chaleur", 25_000),),
        fundings=(DemoFunding(FundingSource.ADEME, "ADEME Grand Est — aide aux études", 17_500, date(2026, 10, 5)),),
        milestones=(DemoMilestone("Pré-diagnostic des sources de chaleur", date(2027, 2, 28), "datacentre"),),
        matches=({"kind": MatchKind.SUBSTITUTION, "material__code": "energy.heat.warm_water",
                  "participants__member__name": "Fensch Data Centre"},),
        comments=((None, date(2026, 9, 2), "Projet confidentiel tant que le groupe propriétaire du data centre n'a "
                   "pas validé le principe : ne pas diffuser."),),
    ),
)
# fmt: on
