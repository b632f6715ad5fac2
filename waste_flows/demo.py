"""The demo pole's streams: about 200 offers and needs of the Val de Fensch members (see members/demo).

Each stream fits its member's activity: pallets and cardboard at most firms, canteen waste at the
communes and schools, scrap, scale and sludges at the steel plants, foundry sand at the foundry, solvents
and oils (hazardous, with their waste code) at the workshops, steam and heat surpluses, and the two needs
the pole wants to feed from them: the SCIC's wood boilers and the agglomeration's methaniser project.
Shared services (collection, transport, training, maintenance, storage) and capacities offered
(premises, machines, skills) make the mutualisation side.

Streams are written through `stream_declare` with the coordinator as actor, so they are validated like any
declaration and their history names the author. A stream is keyed by (site, direction, material,
description): one that already exists is left as it is, so the seed can run again without duplicating or
resetting what someone changed in the demo.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from members.demo import MEMBERS, SeedSummary, demo_siret
from members.models import Site, User

from .enums import Confidentiality, Direction, PhysicalForm, Regularity, Route, StreamKind, StreamStatus
from .imports import infer_kind
from .models import EwcCode, Material, Stream, Unit
from .services import stream_declare

OFFER, NEED = Direction.OFFER, Direction.NEED
BY_PRODUCT, SURPLUS, CAPACITY = StreamKind.BY_PRODUCT, StreamKind.SURPLUS, StreamKind.CAPACITY
LANDFILL, INCINERATION, ENERGY = Route.LANDFILL, Route.INCINERATION, Route.ENERGY_RECOVERY
OUTSIDE, LOCAL, UNKNOWN = Route.RECYCLING_OUTSIDE, Route.LOCAL_VALORISATION, Route.UNKNOWN
PUBLIC, MEMBERS_ONLY, COORDINATOR = Confidentiality.PUBLIC, Confidentiality.MEMBERS, Confidentiality.COORDINATOR
DRAFT, ARCHIVED = StreamStatus.DRAFT, StreamStatus.ARCHIVED
HEATING_SEASON = (1, 2, 3, 4, 10, 11, 12)
GROWING_SEASON = (4, 5, 6, 7, 8, 9, 10)


@dataclass(frozen=True)
class DemoStream:
    member: str  # a key of members.demo.MEMBERS
    direction: str
    material: str  # a Material code
    quantity: str
    unit: str  # a Unit code
    description: str
    site: int = 0  # index in the member's sites
    kind: str = ""  # empty: inferred from the material (waste_flows.imports.infer_kind)
    ewc: str = ""
    period: str = "year"
    route: str = ""
    cost: int | None = None  # euros a year
    months: tuple[int, ...] = ()  # a seasonal stream
    distance: int | None = None
    accepts_hazardous: bool = False
    confidentiality: str = MEMBERS_ONLY
    status: str = StreamStatus.ACTIVE
    available: tuple[date | None, date | None] = (None, None)
    notes: str = ""


def offer(member, material, quantity, unit, description, **options) -> DemoStream:
    return DemoStream(member, OFFER, material, str(quantity), unit, description, **options)


def need(member, material, quantity, unit, description, **options) -> DemoStream:
    return DemoStream(member, NEED, material, str(quantity), unit, description, **options)


def _number(*parts: object) -> int:
    """A stable pseudo-random number: the same on every run and every machine."""
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:8], "big")


# Wood pallets thrown away by many firms: (member, site, tonnes a year, current route). Pooled, they would
# feed the SCIC's boilers; today most go to landfill or nobody knows where, at 110 to 160 € a tonne.
PALLET_WASTE = (
    ("acierie", 0, 60, LANDFILL), ("acierie", 1, 45, UNKNOWN), ("acierie", 2, 8, LANDFILL),
    ("fer-blanc", 0, 55, LANDFILL), ("rails", 0, 40, ENERGY), ("rails", 1, 18, LANDFILL),
    ("decoupe-acier", 0, 35, LANDFILL), ("chaudronnerie", 0, 12, UNKNOWN), ("usinage", 0, 9, LANDFILL),
    ("fonderie", 0, 30, LANDFILL), ("boulangerie", 0, 25, UNKNOWN), ("brasserie", 0, 6, LANDFILL),
    ("laiterie", 0, 14, LANDFILL), ("transports", 0, 50, UNKNOWN), ("transports", 1, 7, LANDFILL),
    ("btp", 1, 20, LANDFILL), ("revetements", 0, 16, INCINERATION), ("plasturgie", 0, 22, LANDFILL),
    ("maintenance", 0, 10, UNKNOWN), ("electricite", 0, 5, LANDFILL), ("entreprise-adaptee", 0, 28, LANDFILL),
    ("esat", 0, 8, UNKNOWN), ("scop-metallerie", 0, 11, LANDFILL), ("datacentre", 0, 5, UNKNOWN),
    ("ferrailles", 0, 15, LANDFILL), ("aide-alimentaire", 0, 12, UNKNOWN), ("textile", 0, 6, LANDFILL),
    ("collecte", 0, 40, ENERGY), ("menuiserie", 0, 7, ENERGY), ("ressourcerie", 0, 9, UNKNOWN),
)  # fmt: skip


def _pallet_streams() -> list[DemoStream]:
    streams = []
    for member, site, tonnes, route in PALLET_WASTE:
        number = _number(member, site, "pallets")
        streams.append(
            offer(
                member,
                "wood.pallets",
                tonnes,
                "t",
                "Palettes perdues et cassées, bois de calage des livraisons",
                site=site,
                ewc="15 01 03",
                route=route,
                cost=tonnes * (110 + number % 51),
                distance=20 + number % 4 * 10,
                confidentiality=(PUBLIC, MEMBERS_ONLY, MEMBERS_ONLY, MEMBERS_ONLY, COORDINATOR)[number % 5],
                notes="Palettes en mélange (Europe et perdues), stockées en extérieur.",
            )  # fmt: skip
        )
    return streams


# Cardboard: (member, site, tonnes a year, route, euros a year).
CARDBOARD = (
    ("entreprise-adaptee", 0, 45, OUTSIDE, 1800), ("fer-blanc", 0, 30, LANDFILL, 3900), ("boulangerie", 0, 25, OUTSIDE, 900),
    ("brasserie", 0, 8, UNKNOWN, 700), ("laiterie", 0, 20, OUTSIDE, 800), ("plasturgie", 0, 18, LANDFILL, 2300),
    ("esat", 0, 6, UNKNOWN, 500), ("ressourcerie", 0, 12, LOCAL, 0), ("aide-alimentaire", 0, 15, OUTSIDE, 600),
    ("datacentre", 0, 4, UNKNOWN, 450), ("decoupe-acier", 0, 5, LANDFILL, 650), ("transports", 0, 10, OUTSIDE, 400),
    ("revetements", 0, 7, LANDFILL, 900), ("traiteur", 0, 5, UNKNOWN, 400), ("electricite", 0, 3, LANDFILL, 390),
)  # fmt: skip

# Canteen and kitchen waste: (member, site, tonnes a year, description).
FOOD_WASTE = (
    ("ville-hayange", 1, 35, "Restes de repas des cinq cantines scolaires (cuisine centrale municipale)"),
    ("ville-florange", 0, 28, "Restes de repas des restaurants scolaires et de la résidence autonomie"),
    ("ville-fameck", 0, 30, "Biodéchets des cantines scolaires et du portage de repas"),
    ("ville-uckange", 0, 14, "Restes de repas des deux groupes scolaires"),
    ("commune-seremange", 0, 9, "Biodéchets de la cantine et des services municipaux"),
    ("commune-knutange", 0, 6, "Restes de repas de la cantine scolaire"),
    ("commune-nilvange", 0, 7, "Restes de repas de la cantine scolaire"),
    ("commune-algrange", 0, 8, "Restes de repas de la cantine et du périscolaire"),
    ("lycee-pro", 0, 22, "Restes de repas et épluchures du restaurant scolaire (demi-pension de 450 élèves)"),
    ("esat", 0, 10, "Biodéchets de la cuisine de l'ESAT (restauration des travailleurs et portage)"),
    ("traiteur", 0, 12, "Épluchures, restes de préparation et retours d'assiettes de la cuisine centrale"),
    ("cfa", 0, 14, "Restes de repas du self des apprentis"),
    ("formation-adultes", 0, 6, "Restes de repas du restaurant du centre"),
    ("departement", 0, 4, "Biodéchets du restaurant administratif"),
)

# fmt: off
OTHER_STREAMS = (
    # --- Wood ------------------------------------------------------------------------------------------
    offer("acierie", "wood.packaging", 900, "t", "Bois de calage des bobines et caisses d'expédition", ewc="15 01 03", route=ENERGY, cost=81000, distance=50),
    offer("acierie", "wood.packaging", 600, "t", "Bois de calage et cales de transport des bobines galvanisées", site=1, ewc="15 01 03", route=LANDFILL, cost=78000),
    offer("rails", "wood.packaging", 250, "t", "Bois de calage des rails longs (traverses provisoires, cales)", ewc="15 01 03", route=LANDFILL, cost=33000, confidentiality=PUBLIC),
    offer("scierie", "wood.sawdust", 900, "t", "Sciure et copeaux de chêne et de hêtre, secs à 30 %", kind=BY_PRODUCT, ewc="03 01 05", route=ENERGY, cost=0, confidentiality=PUBLIC),
    offer("scierie", "wood.untreated", 700, "t", "Écorces de chêne et de hêtre", kind=BY_PRODUCT, route=UNKNOWN, cost=0, confidentiality=PUBLIC),
    offer("scierie", "wood.untreated", 900, "t", "Dosses et délignures de sciage", kind=BY_PRODUCT, route=ENERGY, cost=0),
    offer("menuiserie", "wood.sawdust", 40, "t", "Sciure et copeaux d'aspiration de l'atelier", ewc="03 01 05", route=LANDFILL, cost=4200),
    offer("menuiserie", "wood.untreated", 25, "t", "Chutes de bois massif non traité (chêne, sapin)", route=ENERGY, cost=1500),
    offer("menuiserie", "wood.treated", 15, "t", "Chutes de panneaux de particules et de MDF", route=LANDFILL, cost=2100),
    offer("btp", "wood.treated", 120, "t", "Bois de chantier en mélange (coffrages, menuiseries déposées)", ewc="17 02 01", route=LANDFILL, cost=14400),
    offer("ressourcerie", "wood.treated", 60, "t", "Meubles en bois aggloméré hors d'usage", route=LANDFILL, cost=7800),
    offer("palettes", "wood.fuel", 250, "t", "Broyat de palettes hors d'usage, déferraillé", kind=BY_PRODUCT, site=1, route=ENERGY, cost=0, confidentiality=PUBLIC),
    need("palettes", "wood.pallets", 400, "t", "Palettes à réparer ou à reconditionner (Europe et perdues)", distance=40, confidentiality=PUBLIC),
    need("scic-bois-energie", "wood.fuel", 1200, "t", "Plaquettes et broyat de bois pour les chaufferies collectives de la vallée", site=1, distance=50, confidentiality=PUBLIC, notes="Humidité inférieure à 35 %, granulométrie P45."),
    need("scic-bois-energie", "wood.untreated", 800, "t", "Bois de classe A à broyer sur la plateforme (dosses, palettes triées, élagage)", distance=60, confidentiality=PUBLIC),
    need("ville-hayange", "wood.fuel", 300, "t", "Plaquettes pour la chaufferie bois du centre technique municipal", site=1, months=HEATING_SEASON, distance=40),
    need("commune-neufchef", "wood.fuel", 150, "t", "Plaquettes pour la future chaufferie bois de l'école et de la mairie", distance=30, status=DRAFT),
    need("eco-renov", "wood.untreated", 60, "t", "Fibre de bois et bois non traité pour isolants biosourcés", distance=80),
    # --- Paper and plastics ----------------------------------------------------------------------------
    offer("fer-blanc", "paper.cardboard", 12, "t", "Mandrins en carton des bobines de fer-blanc", ewc="15 01 01", route=LANDFILL, cost=1560),
    offer("departement", "paper.paper", 8, "t", "Archives et papiers de bureau", ewc="20 01 01", route=OUTSIDE, cost=640, confidentiality=PUBLIC),
    offer("agglo", "paper.paper", 6, "t", "Papiers de bureau de l'hôtel communautaire", ewc="20 01 01", route=OUTSIDE, cost=480),
    offer("ville-hayange", "paper.paper", 5, "t", "Papiers de bureau des services municipaux", ewc="20 01 01", route=UNKNOWN, cost=400),
    offer("imprimerie", "paper.paper", 40, "t", "Gâches et rognures d'impression", ewc="20 01 01", route=OUTSIDE, cost=0, status=ARCHIVED),
    offer("entreprise-adaptee", "plastics.pe_film", 12, "t", "Films étirables et housses de palettes", ewc="15 01 02", route=LANDFILL, cost=1700),
    offer("acierie", "plastics.pe_film", 15, "t", "Films de protection des bobines", ewc="15 01 02", route=INCINERATION, cost=2250),
    offer("fer-blanc", "plastics.pe_film", 8, "t", "Films et housses d'emballage", ewc="15 01 02", route=LANDFILL, cost=1100),
    offer("laiterie", "plastics.pe_film", 6, "t", "Films de suremballage des packs", ewc="15 01 02", route=LANDFILL, cost=820),
    offer("aide-alimentaire", "plastics.pe_film", 3, "t", "Films et sacs des dons alimentaires", ewc="15 01 02", route=UNKNOWN, cost=300),
    offer("plasturgie", "plastics.pp", 35, "t", "Purges et carottes d'injection en polypropylène, broyables", kind=BY_PRODUCT, route=OUTSIDE, cost=0, confidentiality=PUBLIC),
    offer("plasturgie", "plastics.mixed", 9, "t", "Rebuts de pièces techniques en polyamide chargé", ewc="12 01 05", route=LANDFILL, cost=1200),
    need("plasturgie", "plastics.recycled", 120, "t", "Polypropylène recyclé en granulés pour pièces techniques", distance=150),
    # --- Food and organic matter -----------------------------------------------------------------------
    offer("brasserie", "biowaste.agrifood", 90, "t", "Drêches de brasserie humides", kind=BY_PRODUCT, ewc="02 07 04", route=UNKNOWN, cost=0, distance=30, confidentiality=PUBLIC, notes="À enlever sous 48 h (fermentation)."),
    offer("brasserie", "gases.co2", 12, "t", "CO2 de fermentation", kind=BY_PRODUCT, route=UNKNOWN),
    offer("boulangerie", "biowaste.agrifood", 40, "t", "Pain invendu repris aux magasins", kind=BY_PRODUCT, ewc="02 06 01", route=INCINERATION, cost=5200, confidentiality=PUBLIC),
    offer("boulangerie", "biowaste.agrifood", 12, "t", "Farine déclassée et pâtes de réglage", kind=BY_PRODUCT, ewc="02 06 01", route=LANDFILL, cost=1600),
    offer("laiterie", "biowaste.animal_by_products", 1250, "t", "Lactosérum doux de fromagerie", kind=BY_PRODUCT, ewc="02 05 01", route=OUTSIDE, cost=18000, distance=50, confidentiality=COORDINATOR),
    offer("laiterie", "biowaste.sludge.biological", 300, "t", "Boues de la station d'épuration de la laiterie", ewc="02 05 02", route=OUTSIDE, cost=12000),
    offer("jardins", "biowaste.agrifood", 25, "t", "Légumes abîmés et résidus de récolte", ewc="02 01 03", months=(6, 7, 8, 9, 10), route=LOCAL, cost=0),
    offer("espaces-verts", "biowaste.green", 300, "t", "Tontes, tailles et branchages des chantiers d'entretien", ewc="20 02 01", months=GROWING_SEASON, route=OUTSIDE, cost=13500, confidentiality=PUBLIC),
    offer("ville-hayange", "biowaste.green", 180, "t", "Déchets verts des parcs et cimetières", site=1, ewc="20 02 01", months=GROWING_SEASON, route=OUTSIDE, cost=8100),
    offer("ville-florange", "biowaste.green", 120, "t", "Déchets verts des espaces publics", ewc="20 02 01", months=GROWING_SEASON, route=OUTSIDE, cost=5400),
    offer("aide-alimentaire", "biowaste.food", 20, "t", "Denrées périmées impropres au don", ewc="20 03 02", route=INCINERATION, cost=3000),
    offer("traiteur", "fats.cooking_oil", 1800, "L", "Huiles de friture usagées", ewc="20 01 25", route=OUTSIDE, cost=0),
    offer("lycee-pro", "fats.cooking_oil", 400, "L", "Huiles de friture du restaurant scolaire", ewc="20 01 25", route=UNKNOWN),
    offer("supermarche", "biowaste.food", 45, "t", "Invendus alimentaires non donnables (fruits, légumes, produits frais)", ewc="20 03 02", route=INCINERATION, cost=7200, status=DRAFT),
    offer("supermarche", "paper.cardboard", 60, "t", "Cartons des livraisons, mis en balles", ewc="15 01 01", route=OUTSIDE, cost=0, status=DRAFT),
    offer("hotel", "biowaste.food", 9, "t", "Restes de repas du restaurant", ewc="20 01 08", route=INCINERATION, cost=1500, status=DRAFT),
    offer("hotel", "fats.cooking_oil", 600, "L", "Huiles de friture du restaurant", ewc="20 01 25", route=UNKNOWN, status=DRAFT),
    need("agglo", "biowaste.methanisation_feedstock", 8000, "t", "Intrants du projet d'unité de méthanisation territoriale (mise en service 2028)", site=1, distance=40, confidentiality=PUBLIC, notes="Biodéchets, coproduits agroalimentaires, effluents d'élevage ; hygiénisation prévue."),
    need("jardins", "biowaste.soil_improver", 80, "t", "Compost mûr pour le maraîchage biologique", months=(2, 3, 4, 9, 10), distance=30, confidentiality=PUBLIC),
    need("jardins", "biowaste.manure", 60, "t", "Fumier de cheval ou de bovins composté", months=(2, 3, 10, 11), distance=25),
    need("jardins", "gases.co2.greenhouse", 4, "t", "CO2 pour enrichir l'atmosphère de la serre de semis", months=(3, 4, 5), distance=20),
    need("espaces-verts", "biowaste.soil_improver", 40, "t", "Compost et paillage pour les plantations", months=(3, 4, 10, 11), distance=30),
    need("transition", "biowaste.green", 15, "t", "Broyat de branchages pour les composteurs de quartier", months=(3, 4, 5, 9, 10), distance=15, confidentiality=PUBLIC),
    need("aide-alimentaire", "biowaste.food", 60, "t", "Invendus consommables à redistribuer (fruits, légumes, produits frais)", distance=30, confidentiality=PUBLIC),
    # --- Metals -----------------------------------------------------------------------------------------
    offer("acierie", "metals.ferrous", 4500, "t", "Chutes de rives et bouts de bobines laminées à froid", kind=BY_PRODUCT, ewc="12 01 01", route=OUTSIDE, cost=0, confidentiality=COORDINATOR),
    offer("acierie", "metals.non_ferrous.mixed", 350, "t", "Mattes et crasses de zinc de la galvanisation", site=1, ewc="11 05 01", route=OUTSIDE, cost=0),
    offer("fer-blanc", "metals.ferrous", 1200, "t", "Chutes de cisaille de fer-blanc", kind=BY_PRODUCT, ewc="12 01 01", route=OUTSIDE, cost=0, confidentiality=PUBLIC),
    offer("rails", "metals.ferrous", 5000, "t", "Chutes et bouts de rails, rails déclassés", kind=BY_PRODUCT, ewc="12 01 01", route=OUTSIDE, cost=0),
    offer("rails", "metals.ferrous", 3000, "t", "Calamine (battitures) de laminage", ewc="10 02 10", route=OUTSIDE, cost=21000, confidentiality=PUBLIC),
    offer("decoupe-acier", "metals.ferrous", 2500, "t", "Chutes de refendage et de découpe de bobines", kind=BY_PRODUCT, ewc="12 01 01", route=OUTSIDE, cost=0),
    offer("decoupe-acier", "metals.mixed", 40, "t", "Feuillards de cerclage en acier", ewc="15 01 04", route=OUTSIDE, cost=0),
    offer("chaudronnerie", "metals.ferrous", 40, "t", "Chutes d'inox et d'acier de chaudronnerie", ewc="12 01 01", route=OUTSIDE, cost=0),
    offer("chaudronnerie", "metals.mixed", 3, "t", "Déchets de soudure et électrodes usagées", ewc="12 01 13", route=UNKNOWN),
    offer("usinage", "metals.ferrous", 60, "t", "Copeaux d'usinage d'acier, égouttés", ewc="12 01 01", route=OUTSIDE, cost=0),
    offer("usinage", "metals.non_ferrous.mixed", 4, "t", "Copeaux de bronze et de laiton", ewc="12 01 03", route=OUTSIDE, cost=0),
    offer("scop-metallerie", "metals.ferrous", 60, "t", "Chutes d'acier (profilés, tôles, tubes)", ewc="12 01 01", route=OUTSIDE, cost=0, confidentiality=PUBLIC),
    offer("maintenance", "metals.ferrous", 80, "t", "Pièces d'usure déposées (rouleaux, paliers, engrenages)", ewc="17 04 05", route=OUTSIDE, cost=0),
    offer("electricite", "metals.non_ferrous.copper", 6, "t", "Câbles électriques de dépose", ewc="17 04 11", route=OUTSIDE, cost=0),
    offer("ressourcerie", "metals.mixed", 20, "t", "Ferraille des objets non réparables (vélos, électroménager démonté)", route=OUTSIDE, cost=0),
    offer("atelier-velo", "metals.mixed", 2, "t", "Cadres et pièces de vélos irréparables", route=UNKNOWN),
    offer("btp", "metals.ferrous", 35, "t", "Ferraille de démolition et fers à béton", ewc="17 04 05", route=OUTSIDE, cost=0),
    need("ferrailles", "metals.ferrous", 20000, "t", "Ferrailles et chutes d'acier à préparer pour les aciéries électriques", distance=100, confidentiality=PUBLIC),
    need("ferrailles", "metals.non_ferrous", 1500, "t", "Métaux non ferreux (cuivre, laiton, aluminium, zinc)", distance=100, confidentiality=PUBLIC),
    need("fonderie", "metals.ferrous", 3000, "t", "Chutes d'acier propres pour la charge du cubilot", distance=60, confidentiality=COORDINATOR),
    offer("ferrailles", "metals.steel_feedstock", 18000, "t", "Ferrailles préparées qualité aciérie (E3, E8)", kind=BY_PRODUCT, route=OUTSIDE, cost=0),
    # --- Mineral by-products ----------------------------------------------------------------------------
    offer("fonderie", "minerals.foundry_sand", 1500, "t", "Sables de moulage usagés (silico-argileux)", ewc="10 09 08", route=LANDFILL, cost=97500, distance=80, confidentiality=PUBLIC),
    offer("fonderie", "minerals.slag", 300, "t", "Laitiers de cubilot", ewc="10 09 03", route=LANDFILL, cost=19500),
    offer("fonderie", "minerals", 120, "t", "Poussières de dépoussiérage des fumées", ewc="10 09 10", route=LANDFILL, cost=10800),
    offer("acierie", "minerals.ash.fly", 800, "t", "Cendres volantes de la centrale thermique du site", site=1, ewc="10 01 02", route=LANDFILL, cost=56000),
    offer("acierie", "minerals.ash.bottom", 1200, "t", "Mâchefers de la centrale thermique du site", site=1, ewc="10 01 01", route=LANDFILL, cost=60000),
    offer("scic-bois-energie", "minerals.ash.biomass", 60, "t", "Cendres sous foyer et cendres volantes des chaufferies bois", site=1, ewc="10 01 03", route=LANDFILL, cost=5400, confidentiality=PUBLIC),
    offer("rails", "minerals", 250, "t", "Briques réfractaires usagées des fours de réchauffage", ewc="16 11 04", route=LANDFILL, cost=22500),
    offer("ville-uckange", "minerals.slag", 25000, "t", "Laitier de haut fourneau du crassier historique (stock à reprendre)", ewc="10 02 02", period="one_off", route=UNKNOWN, confidentiality=PUBLIC, available=(date(2026, 9, 1), date(2028, 12, 31))),
    offer("btp", "minerals.inert.concrete", 1800, "t", "Béton de démolition", ewc="17 01 01", route=OUTSIDE, cost=27000),
    offer("btp", "residual.construction", 300, "t", "Déchets de chantier en mélange", ewc="17 09 04", route=LANDFILL, cost=39000),
    offer("btp", "minerals.gypsum", 45, "t", "Chutes de plaques de plâtre", ewc="17 08 02", route=LANDFILL, cost=4950),
    offer("eco-renov", "minerals.gypsum", 8, "t", "Plâtre et plaques de plâtre de dépose", ewc="17 08 02", route=LANDFILL, cost=880),
    need("btp", "minerals.aggregates.recycled", 3000, "t", "Granulats recyclés pour remblais et couches de forme", site=1, distance=40, confidentiality=PUBLIC),
    # --- Hazardous waste --------------------------------------------------------------------------------
    offer("revetements", "chemicals.solvents", 45, "t", "Solvants de nettoyage des cuves et des lignes", ewc="14 06 03", route=INCINERATION, cost=27000),
    offer("revetements", "chemicals.paints", 20, "t", "Fonds de peintures et vernis solvantés", ewc="08 01 11", route=INCINERATION, cost=14000, confidentiality=COORDINATOR),
    offer("revetements", "residual.contaminated_packaging", 12, "t", "Fûts métalliques souillés à reconditionner", ewc="15 01 10", route=OUTSIDE, cost=4800),
    offer("chaudronnerie", "chemicals.paints", 2, "t", "Restes de peinture de la cabine", ewc="08 01 11", route=INCINERATION, cost=1400),
    offer("acierie", "chemicals.sludges", 600, "t", "Boues d'hydroxydes métalliques de la station de traitement", site=1, ewc="11 01 09", route=LANDFILL, cost=108000, confidentiality=COORDINATOR),
    offer("acierie", "chemicals.acids", 2000, "t", "Acide chlorhydrique de décapage usé", ewc="11 01 05", route=OUTSIDE, cost=160000),
    offer("acierie", "chemicals.mineral_oils", 900, "m3", "Émulsions de laminage usées", ewc="12 01 09", route=OUTSIDE, cost=135000),
    offer("acierie", "chemicals.mineral_oils", 40, "m3", "Huiles hydrauliques usagées", ewc="13 01 10", route=OUTSIDE, cost=0),
    offer("rails", "chemicals.sludges", 150, "t", "Boues huileuses du traitement des eaux de refroidissement", ewc="10 02 11", route=INCINERATION, cost=33000),
    offer("usinage", "chemicals.mineral_oils", 25, "m3", "Émulsions de coupe usées", ewc="12 01 09", route=OUTSIDE, cost=6250),
    offer("usinage", "chemicals.mineral_oils", 3, "m3", "Huiles d'usinage entières usagées", ewc="12 01 07", route=OUTSIDE, cost=0),
    offer("scop-metallerie", "chemicals.mineral_oils", 2, "m3", "Huiles de coupe usagées", ewc="12 01 07", route=OUTSIDE, cost=0),
    offer("maintenance", "chemicals.mineral_oils", 18, "m3", "Huiles hydrauliques usagées des interventions", ewc="13 01 10", route=OUTSIDE, cost=0),
    offer("maintenance", "textiles.wiping", 6, "t", "Chiffons et absorbants souillés d'huile", ewc="15 02 02", route=INCINERATION, cost=3600),
    offer("transports", "chemicals.mineral_oils", 12, "m3", "Huiles moteur usagées de l'atelier poids lourds", site=1, ewc="13 02 05", route=OUTSIDE, cost=0),
    offer("transports", "chemicals.mineral_oils", 2, "t", "Filtres à huile usagés", site=1, ewc="16 01 07", route=OUTSIDE, cost=900),
    offer("transports", "rubber.tyres", 35, "t", "Pneus poids lourds usagés", site=1, ewc="16 01 03", route=OUTSIDE, cost=3500),
    offer("garage", "chemicals.mineral_oils", 4, "m3", "Huiles moteur de vidange", ewc="13 02 05", route=OUTSIDE, cost=0),
    offer("garage", "batteries.lead", 2, "t", "Batteries de démarrage au plomb", ewc="16 06 01", route=OUTSIDE, cost=0),
    offer("garage", "rubber.tyres", 8, "t", "Pneus de véhicules légers", ewc="16 01 03", route=OUTSIDE, cost=1200),
    offer("electricite", "weee", "0.4", "t", "Tubes fluorescents et lampes usagés", ewc="20 01 21", route=OUTSIDE, cost=600),
    offer("datacentre", "batteries.lead", 3, "t", "Batteries des onduleurs remplacées en 2026", ewc="16 06 01", period="one_off", route=OUTSIDE, available=(date(2026, 5, 1), date(2026, 12, 31))),
    need("collecte", "chemicals.mineral_oils", 150, "m3", "Regroupement des huiles moteur usagées des garages et ateliers (collecteur agréé)", site=1, ewc="13 02 05", accepts_hazardous=True, distance=40),
    need("revetements", "chemicals.solvents", 30, "t", "Solvant régénéré pour le nettoyage des lignes", distance=200),
    # --- Textiles and equipment ---------------------------------------------------------------------------
    offer("textile", "textiles.wiping", 40, "t", "Chiffons d'essuyage triés et coupés", kind=BY_PRODUCT, route=LOCAL, cost=0, confidentiality=PUBLIC),
    offer("esat", "textiles.clothing", 3, "t", "Linge et vêtements de travail usés de la blanchisserie", site=1, ewc="20 01 11", route=LANDFILL, cost=390),
    need("textile", "textiles.clothing", 250, "t", "Textiles, linge et chaussures usagés à trier", distance=50, confidentiality=PUBLIC),
    need("maintenance", "textiles.wiping", 4, "t", "Chiffons d'essuyage pour les équipes d'intervention", distance=40),
    need("usinage", "textiles.wiping", 2, "t", "Chiffons d'essuyage", distance=40),
    offer("datacentre", "weee.it", 6, "t", "Serveurs et baies réformés, effacés", route=OUTSIDE, cost=0),
    offer("departement", "weee.it", 8, "t", "Ordinateurs et écrans renouvelés", ewc="20 01 36", route=OUTSIDE, cost=0, confidentiality=PUBLIC),
    offer("agglo", "weee.it", 3, "t", "Matériel informatique renouvelé", ewc="20 01 36", route=UNKNOWN),
    offer("ressourcerie", "weee", 15, "t", "Petit électroménager non réparable", ewc="20 01 36", route=OUTSIDE, cost=0),
    offer("ingenierie", "weee.it", 1, "t", "Postes de travail renouvelés", ewc="20 01 36", route=UNKNOWN, status=ARCHIVED),
    need("lycee-pro", "equipment.it", 30, "piece", "Ordinateurs reconditionnés pour les ateliers de maintenance", distance=50, confidentiality=PUBLIC),
    need("eiti", "equipment.it", 10, "piece", "Ordinateurs portables pour les entrepreneurs accompagnés", distance=30),
    need("ressourcerie", "weee", 10, "t", "Électroménager réparable pour l'atelier de réemploi", distance=30, confidentiality=PUBLIC),
    # --- Energy and water --------------------------------------------------------------------------------
    offer("acierie", "energy.steam", 6, "t_steam", "Vapeur basse pression excédentaire (10 bar, 180 °C)", site=1, kind=SURPLUS, period="hour", route=UNKNOWN, distance=5, confidentiality=COORDINATOR),
    offer("rails", "energy.heat.process", 12000, "MWh", "Chaleur des fumées des fours de réchauffage (350 °C)", kind=SURPLUS, route=UNKNOWN, distance=5),
    offer("fer-blanc", "energy.heat.warm_water", 18000, "MWh", "Eau de refroidissement de la ligne d'étamage à 30-35 °C", kind=SURPLUS, route=UNKNOWN, distance=3, confidentiality=PUBLIC),
    offer("fer-blanc", "water.cooling", 120, "m3", "Eau de refroidissement tiède non contaminée", kind=SURPLUS, period="hour", route=UNKNOWN, distance=2),
    offer("datacentre", "energy.heat.warm_water", 1500, "MWh", "Chaleur fatale des salles informatiques à 35 °C", kind=SURPLUS, route=UNKNOWN, distance=5, confidentiality=PUBLIC),
    offer("fonderie", "energy.heat.process", 2500, "MWh", "Chaleur des fumées du cubilot", kind=SURPLUS, route=UNKNOWN, distance=3),
    offer("laiterie", "water.effluent.treated", 15000, "m3", "Eaux épurées de la station de la laiterie", kind=SURPLUS, route=UNKNOWN, distance=5),
    need("ville-florange", "energy.heat", 9000, "MWh", "Réseau de chaleur de la zone Sainte-Agathe et des équipements publics (projet)", distance=5, confidentiality=PUBLIC),
    need("jardins", "energy.heat.warm_water", 60, "MWh", "Chauffage de la serre de semis", period="month", months=(1, 2, 3, 4, 10, 11, 12), distance=5),
    need("laiterie", "energy.heat.process", 2500, "MWh", "Vapeur et eau chaude de pasteurisation", distance=5),
    need("brasserie", "energy.heat.process", 300, "MWh", "Chaleur pour l'empâtage et l'ébullition du moût", distance=3),
    need("esat", "energy.heat.hot_water", 600, "MWh", "Eau chaude de la blanchisserie", site=1, distance=5),
    need("ville-uckange", "energy.heat.hot_water", 1200, "MWh", "Chauffage du groupe scolaire et du gymnase", months=HEATING_SEASON, distance=5),
    need("laiterie", "water.process", 20000, "m3", "Eau de lavage des installations", distance=5),
    need("btp", "water.process", 800, "m3", "Eau de chantier (malaxage, nettoyage des engins)", site=1, distance=10),
    # --- Premises, equipment and skills offered ------------------------------------------------------------
    offer("ville-uckange", "premises.storage", 5000, "m2", "Friche industrielle clôturée à mettre à disposition des projets du pôle", kind=CAPACITY, confidentiality=PUBLIC, available=(date(2026, 1, 1), date(2029, 12, 31))),
    offer("ville-hayange", "premises.workshop", 600, "m2", "Atelier municipal inoccupé, rue du Moulin", site=1, kind=CAPACITY, confidentiality=PUBLIC),
    offer("rails", "premises.storage", 2000, "m2", "Surface couverte du parc à rails", site=1, kind=CAPACITY),
    offer("transports", "premises.storage", 1000, "m2", "Cellule d'entrepôt disponible", kind=CAPACITY),
    offer("departement", "premises.offices", 150, "m2", "Salles de réunion de la Maison du Département", kind=CAPACITY, confidentiality=PUBLIC),
    offer("lycee-pro", "premises.workshop", 400, "m2", "Ateliers de maintenance disponibles le soir et le samedi", kind=CAPACITY, confidentiality=PUBLIC),
    offer("transports", "services.transport", 3000, "t", "Retours à vide des camions vers la vallée", kind=CAPACITY, distance=80),
    offer("transports", "equipment.vehicles", 1500, "h", "Porteurs et chauffeurs disponibles hors pointe", kind=CAPACITY),
    offer("collecte", "services.waste_collection", 5000, "t", "Collecte mutualisée des cartons, palettes et biodéchets des membres", kind=CAPACITY, distance=30, confidentiality=PUBLIC),
    offer("collecte", "equipment.machinery", 200, "h", "Broyeur mobile de bois et de déchets verts", kind=CAPACITY),
    offer("palettes", "equipment.machinery", 150, "h", "Broyeur à palettes et déferrailleur", kind=CAPACITY),
    offer("btp", "equipment.machinery", 300, "h", "Engins de chantier (chargeuse, mini-pelle) avec chauffeur", kind=CAPACITY),
    offer("maintenance", "services.maintenance", 2000, "h", "Techniciens de maintenance mécanique et hydraulique", kind=CAPACITY),
    offer("nettoyage", "services.cleaning", 5000, "h", "Nettoyage de bureaux et de locaux industriels par des salariés en insertion", kind=CAPACITY, confidentiality=PUBLIC),
    offer("traiteur", "services.catering", 40000, "piece", "Repas en liaison froide pour la restauration collective", kind=CAPACITY, confidentiality=PUBLIC),
    offer("formation-adultes", "skills.training", 3000, "h", "Plateaux techniques de soudage et de maintenance à partager", kind=CAPACITY, confidentiality=PUBLIC),
    offer("cfa", "skills.training", 1500, "h", "Formations courtes en chaudronnerie et électrotechnique", kind=CAPACITY),
    offer("geiq", "skills.staff_sharing", 5000, "h", "Soudeurs, chaudronniers et agents de maintenance en alternance", kind=CAPACITY, confidentiality=PUBLIC),
    offer("ai", "skills.insertion", 20000, "h", "Mise à disposition de personnes en parcours d'insertion", kind=CAPACITY, confidentiality=PUBLIC),
    offer("etti", "skills.insertion", 40000, "h", "Missions d'intérim d'insertion dans l'industrie et la logistique", kind=CAPACITY, confidentiality=PUBLIC),
    offer("eiti", "skills.insertion", 3000, "h", "Micro-entrepreneurs accompagnés (livraison à vélo, couture, petits travaux)", kind=CAPACITY),
    offer("centre-essais", "skills.expertise", 600, "h", "Caractérisation de déchets et essais de recyclabilité", kind=CAPACITY, confidentiality=PUBLIC),
    offer("labo-metz", "skills.expertise", 400, "h", "Expertise en valorisation des coproduits sidérurgiques", kind=CAPACITY, confidentiality=PUBLIC),
    offer("ingenierie", "skills.expertise", 200, "h", "Études de génie industriel", kind=CAPACITY, status=ARCHIVED),
    # --- Shared needs (services) ---------------------------------------------------------------------------
    need("entreprise-adaptee", "services.waste_collection", 60, "t", "Collecte groupée des cartons et films", distance=20),
    need("boulangerie", "services.waste_collection", 40, "t", "Collecte groupée des cartons et du pain invendu", distance=20),
    need("plasturgie", "services.waste_collection", 40, "t", "Collecte groupée des cartons et des palettes", distance=20),
    need("brasserie", "services.waste_collection", 15, "t", "Collecte des cartons et du verre", distance=20),
    need("laiterie", "services.waste_collection", 30, "t", "Collecte des films et des cartons", distance=20),
    need("esat", "services.waste_collection", 15, "t", "Collecte groupée des biodéchets et des cartons", distance=20),
    need("commune-knutange", "services.waste_collection", 10, "t", "Collecte des biodéchets de la cantine", distance=15),
    need("supermarche", "services.waste_collection", 100, "t", "Collecte des cartons et biodéchets du magasin", distance=20, status=DRAFT),
    need("palettes", "services.transport", 400, "t", "Ramassage des palettes chez les industriels", distance=30),
    need("ressourcerie", "services.transport", 120, "t", "Enlèvement des meubles et objets donnés", distance=30),
    need("aide-alimentaire", "services.transport", 300, "t", "Ramasse quotidienne des invendus (camion frigorifique)", distance=30, confidentiality=PUBLIC),
    need("jardins", "services.transport", 40, "t", "Livraison des paniers aux points de dépôt", distance=20),
    need("ressourcerie", "services.maintenance", 200, "h", "Entretien des véhicules et des machines de l'atelier"),
    need("brasserie", "services.maintenance", 150, "h", "Maintenance de la ligne d'embouteillage"),
    need("boulangerie", "services.maintenance", 400, "h", "Maintenance des fours et des lignes de façonnage"),
    need("textile", "services.maintenance", 100, "h", "Maintenance des presses à balles et des machines à coudre"),
    need("cfa", "services.cleaning", 800, "h", "Nettoyage des salles et des ateliers"),
    need("datacentre", "services.cleaning", 300, "h", "Nettoyage des bureaux et des zones techniques"),
    need("cfa", "services.catering", 25000, "piece", "Repas des apprentis", distance=20),
    need("formation-adultes", "services.catering", 8000, "piece", "Repas des stagiaires", distance=20),
    need("nettoyage", "services.purchasing", 12, "piece", "Achats groupés de produits d'entretien écolabellisés (commandes par an)", confidentiality=PUBLIC),
    need("esat", "services.purchasing", 6, "piece", "Achats groupés de produits d'entretien et de lessive écolabellisés (commandes par an)"),
    need("ai", "services.purchasing", 4, "piece", "Achats groupés d'équipements de protection (commandes par an)"),
    need("acierie", "skills.training", 2000, "h", "Formation de soudeurs et d'agents de maintenance", site=2, confidentiality=PUBLIC),
    need("scop-metallerie", "skills.training", 300, "h", "Formation au soudage TIG et à la lecture de plans"),
    need("chaudronnerie", "skills.training", 400, "h", "Formation de chaudronniers tuyauteurs"),
    need("fonderie", "skills.training", 350, "h", "Formation à la conduite des fours et à la sécurité"),
    need("transports", "skills.training", 600, "h", "CACES et formation continue des conducteurs"),
    need("brasserie", "skills.staff_sharing", 400, "h", "Agent de production à temps partagé pendant la saison", months=(4, 5, 6, 7, 8, 9)),
    need("boulangerie", "skills.staff_sharing", 800, "h", "Technicien de maintenance à temps partagé"),
    need("fonderie", "skills.expertise", 80, "h", "Caractérisation des sables usagés pour une filière de valorisation"),
    need("revetements", "skills.expertise", 60, "h", "Étude de régénération des solvants sur site"),
    need("btp", "skills.insertion", 4000, "h", "Heures d'insertion des marchés publics de réhabilitation", confidentiality=PUBLIC),
    need("agglo", "skills.insertion", 5000, "h", "Clauses sociales des marchés de collecte et d'entretien", confidentiality=PUBLIC),
    need("acierie", "skills.insertion", 3000, "h", "Manutention et nettoyage industriel en insertion", site=2),
    # --- Premises and equipment needed -----------------------------------------------------------------------
    need("palettes", "premises.storage", 1500, "m2", "Surface couverte pour stocker les palettes à réparer", site=1, distance=10, confidentiality=PUBLIC),
    need("ressourcerie", "premises.storage", 400, "m2", "Réserve pour les meubles en attente de vente", distance=10),
    need("aide-alimentaire", "premises.storage", 300, "m2", "Entrepôt sec et chambre froide", distance=10),
    need("textile", "premises.storage", 200, "m2", "Stockage des balles de textiles triés", distance=10),
    need("atelier-velo", "premises.workshop", 80, "m2", "Local pour l'atelier participatif", distance=5),
    need("repair-cafe", "premises.workshop", 60, "m2", "Salle équipée pour les ateliers de réparation", distance=5, confidentiality=PUBLIC),
    need("zero-dechet", "premises.offices", 40, "m2", "Salle pour les ateliers de fabrication", distance=10),
    need("eiti", "premises.offices", 60, "m2", "Bureaux partagés pour les entrepreneurs accompagnés", distance=10),
    need("espaces-verts", "equipment.machinery", 120, "h", "Broyeur de branches pour les chantiers", distance=15),
    need("jardins", "equipment.machinery", 60, "h", "Tracteur et outils de travail du sol", months=(3, 4, 9, 10), distance=15),
    need("ressourcerie", "equipment.vehicles", 300, "h", "Camion avec hayon pour les collectes", distance=15),
    need("aide-alimentaire", "equipment.vehicles", 500, "h", "Camion frigorifique pour la ramasse", distance=15),
    # --- Cardboard and paper needs ----------------------------------------------------------------------------
    need("eco-renov", "paper.paper", 50, "t", "Papiers triés pour la fabrication de ouate de cellulose", distance=100),
)
# fmt: on


def _cardboard_streams() -> list[DemoStream]:
    return [
        offer(member, "paper.cardboard", tonnes, "t", "Cartons d'emballage des approvisionnements", site=site,
              ewc="15 01 01", route=route, cost=cost, confidentiality=PUBLIC if tonnes >= 20 else MEMBERS_ONLY)
        for member, site, tonnes, route, cost in CARDBOARD
    ]  # fmt: skip


def _food_streams() -> list[DemoStream]:
    return [
        offer(member, "biowaste.food", tonnes, "t", description, site=site, ewc="20 01 08", route=INCINERATION,
              cost=tonnes * 180, months=(1, 2, 3, 4, 5, 6, 9, 10, 11, 12) if member in SCHOOLS else ())
        for member, site, tonnes, description in FOOD_WASTE
    ]  # fmt: skip


SCHOOLS = {"lycee-pro", "cfa"}  # closed in July and August


def demo_streams() -> list[DemoStream]:
    return [*_pallet_streams(), *_cardboard_streams(), *_food_streams(), *OTHER_STREAMS]


# --- Seeding -----------------------------------------------------------------------------------------

FORMS = (  # the most specific prefix first
    ("energy.steam", PhysicalForm.GAS), ("energy", PhysicalForm.ENERGY), ("water", PhysicalForm.LIQUID),
    ("gases", PhysicalForm.GAS), ("fats.cooking_oil", PhysicalForm.LIQUID), ("chemicals.mineral_oils", PhysicalForm.LIQUID),
    ("chemicals.solvents", PhysicalForm.LIQUID), ("chemicals.acids", PhysicalForm.LIQUID), ("chemicals.paints", PhysicalForm.LIQUID),
    ("chemicals.sludges", PhysicalForm.SLUDGE), ("biowaste.sludge", PhysicalForm.SLUDGE),
    ("biowaste.animal_by_products", PhysicalForm.LIQUID), ("minerals.ash", PhysicalForm.POWDER), ("minerals", PhysicalForm.SOLID),
    ("wood.pallets", PhysicalForm.PACKAGED), ("paper", PhysicalForm.PACKAGED), ("plastics.pe_film", PhysicalForm.PACKAGED),
    ("premises", PhysicalForm.IMMATERIAL), ("services", PhysicalForm.IMMATERIAL), ("skills", PhysicalForm.IMMATERIAL),
    ("equipment.machinery", PhysicalForm.IMMATERIAL), ("equipment.vehicles", PhysicalForm.IMMATERIAL),
)  # fmt: skip


def _physical_form(material_code: str) -> str:
    return next((form for prefix, form in FORMS if f"{material_code}.".startswith(f"{prefix}.")), PhysicalForm.SOLID)


@transaction.atomic
def seed_streams(*, actor: User) -> SeedSummary:
    """About 200 offers and needs of the demo members' sites (after seed_members)."""
    summary = SeedSummary()
    sites = _demo_sites()
    streams = demo_streams()
    materials = {material.code: material for material in Material.objects.all()}
    units = {unit.code: unit for unit in Unit.objects.all()}
    ewc_codes = EwcCode.objects.in_bulk({demo.ewc for demo in streams if demo.ewc})
    existing = set(
        Stream.objects.filter(site__in=sites.values()).values_list(
            "site", "direction", "material__code", "description"
        )
    )
    for demo in streams:
        site = sites[demo.member, demo.site]
        created = (site.pk, demo.direction, demo.material, demo.description) not in existing
        summary.count("streams", created=created)
        if created:
            material = materials[demo.material]
            stream_declare(
                actor=actor,
                site=site,
                direction=demo.direction,
                kind=demo.kind or infer_kind(direction=demo.direction, material=material),
                material=material,
                ewc_code=ewc_codes[demo.ewc] if demo.ewc else None,
                description=demo.description,
                quantity=Decimal(demo.quantity),
                unit=units[demo.unit],
                period=demo.period,
                regularity=_regularity(demo),
                months=list(demo.months),
                available_from=demo.available[0],
                available_until=demo.available[1],
                physical_form=_physical_form(demo.material),
                quality_notes=demo.notes,
                current_route=demo.route,
                current_route_cost=None if demo.cost is None else Decimal(demo.cost),
                max_distance_km=demo.distance,
                accepts_hazardous=demo.accepts_hazardous,
                confidentiality=demo.confidentiality,
                status=demo.status,
            )
    return summary


def _regularity(demo: DemoStream) -> str:
    if demo.period == "one_off":
        return Regularity.ONE_OFF
    return Regularity.SEASONAL if demo.months else Regularity.CONTINUOUS


def _demo_sites() -> dict[tuple[str, int], Site]:
    wanted = {demo_siret(demo, index): (demo.key, index) for demo in MEMBERS for index in range(len(demo.sites))}
    return {wanted[site.siret]: site for site in Site.objects.select_related("member").filter(siret__in=wanted)}
