"""The demo pole's table: colleges, communes, users and about sixty members of the Val de Fensch."""

from datetime import date

from ..enums import IaeType, LegalForm, MemberKind, MembershipStatus
from .records import Commune, DemoContact, DemoMember, DemoSite, DemoUser

# --- The data ----------------------------------------------------------------------------------------

COLLEGES = (
    ("Entreprises de l'ESS", "Associations, coopératives, structures d'insertion, entreprises adaptées et ESAT."),
    ("Entreprises classiques", "PME, ETI et sites industriels du territoire."),
    ("Collectivités territoriales", "Communes de la vallée, communauté d'agglomération et Département."),
    ("Recherche et formation", "Laboratoires, centres techniques, organismes de formation et lycées."),
    ("Citoyens et réseaux", "Associations d'habitants et réseaux d'entreprises."),
)
COLLEGE_OF_KIND = {
    MemberKind.ESS_ENTERPRISE: "Entreprises de l'ESS",
    MemberKind.CLASSIC_ENTERPRISE: "Entreprises classiques",
    MemberKind.LOCAL_AUTHORITY: "Collectivités territoriales",
    MemberKind.RESEARCH_CENTRE: "Recherche et formation",
    MemberKind.TRAINING_BODY: "Recherche et formation",
    MemberKind.OTHER: "Citoyens et réseaux",
}

COMMUNES = {
    "Hayange": Commune("57700", 49.3297, 6.0619),
    "Florange": Commune("57190", 49.3225, 6.1208),
    "Fameck": Commune("57290", 49.3003, 6.1100),
    "Serémange-Erzange": Commune("57290", 49.3200, 6.0922),
    "Uckange": Commune("57270", 49.3033, 6.1539),
    "Knutange": Commune("57240", 49.3389, 6.0394),
    "Nilvange": Commune("57240", 49.3419, 6.0475),
    "Algrange": Commune("57440", 49.3608, 6.0500),
    "Ranguevaux": Commune("57700", 49.2978, 6.0581),
    "Neufchef": Commune("57700", 49.3172, 5.9989),
    "Thionville": Commune("57100", 49.3581, 6.1681),
    "Metz": Commune("57000", 49.1197, 6.1680),
}

USERS = (
    DemoUser(
        "recyclerie@demo-ptce.fr", "Sophie", "Lambert", "ressourcerie", "admin of La Ressourcerie du Val de Fensch"
    ),
    DemoUser("acierie@demo-ptce.fr", "Julien", "Weber", "acierie", "admin of Fensch Acier Laminage (steel)"),
    DemoUser("ademe@demo-ptce.fr", "Agnès", "Fontaine", None, "partner, read-only (ADEME Grand Est)"),
)

# Short names for the table below, which reads better one member to a block.
S, C = DemoSite, DemoContact
ESS, CLASSIC, AUTHORITY = MemberKind.ESS_ENTERPRISE, MemberKind.CLASSIC_ENTERPRISE, MemberKind.LOCAL_AUTHORITY
RESEARCH, TRAINING, OTHER = MemberKind.RESEARCH_CENTRE, MemberKind.TRAINING_BODY, MemberKind.OTHER
ASSOCIATION, SAS, SARL = LegalForm.ASSOCIATION, LegalForm.SAS, LegalForm.SARL
PROSPECT, SUSPENDED, FORMER = MembershipStatus.PROSPECT, MembershipStatus.SUSPENDED, MembershipStatus.FORMER

# fmt: off
MEMBERS = (
    # --- Social and solidarity economy, insertion -----------------------------------------------------
    DemoMember(
        key="ressourcerie", name="La Ressourcerie du Val de Fensch", short_name="Ressourcerie Fensch",
        kind=ESS, legal_form=ASSOCIATION, iae_type=IaeType.ACI, naf_code="38.32Z",
        domain="ressourcerie-fensch.example", joined=date(2014, 9, 15), staff=9, insertion=24, turnover=620_000,
        description="Collecte, tri, réparation et revente d'objets et de meubles de réemploi : 480 t détournées "
        "de l'enfouissement chaque année. Chantier d'insertion de 24 postes.",
        sites=(S("Magasin et atelier de tri", "14 rue de l'Usine", "Hayange"),
               S("Point d'apport volontaire", "3 rue de la Gare", "Florange")),
        contacts=(C("Sophie", "Lambert", "Directrice", True), C("Karim", "Haddad", "Encadrant technique", True),
                  C("Élodie", "Schmitt", "Chargée d'accompagnement socioprofessionnel")),
    ),
    DemoMember(
        key="espaces-verts", name="Fensch Nature Insertion", kind=ESS, legal_form=ASSOCIATION,
        iae_type=IaeType.ACI, naf_code="81.30Z", domain="fensch-nature.example", joined=date(2015, 3, 2),
        staff=6, insertion=30, turnover=410_000,
        description="Chantier d'insertion d'entretien des espaces verts et des berges de la Fensch pour les "
        "communes et les entreprises ; environ 300 t de déchets verts par an.",
        sites=(S("Siège et dépôt", "27 rue des Jardins", "Florange"),),
        contacts=(C("Marc", "Becker", "Directeur", True), C("Fatima", "Mansouri", "Conseillère en insertion")),
    ),
    DemoMember(
        key="palettes", name="Palettes Solidaires de Lorraine", short_name="Palettes Solidaires", kind=ESS,
        legal_form=SAS, iae_type=IaeType.EI, naf_code="16.24Z", domain="palettes-solidaires.example",
        joined=date(2016, 5, 10), staff=7, insertion=18, turnover=1_150_000,
        description="Entreprise d'insertion : collecte, tri et réparation des palettes des industriels de la "
        "vallée ; les palettes hors d'usage partent en broyat vers la chaufferie bois.",
        sites=(S("Atelier de reconditionnement", "8 rue de l'Industrie", "Uckange"),
               S("Plateforme de stockage", "2 allée Sainte-Agathe", "Florange")),
        contacts=(C("Thomas", "Lorenzi", "Gérant", True), C("Aurélie", "Klein", "Responsable logistique", True)),
    ),
    DemoMember(
        key="etti", name="Intérim Solidaire Moselle Nord", short_name="ISMN", kind=ESS, legal_form=SARL,
        iae_type=IaeType.ETTI, naf_code="78.20Z", domain="interim-solidaire-mn.example", joined=date(2017, 1, 16),
        staff=5, insertion=65, turnover=1_900_000,
        description="Entreprise de travail temporaire d'insertion : missions dans l'industrie, la logistique et le "
        "BTP de la vallée, avec un accompagnement vers l'emploi durable.",
        sites=(S("Agence de Thionville", "12 rue de Paris", "Thionville"),
               S("Antenne de Hayange", "5 rue du Marché", "Hayange")),
        contacts=(C("Nathalie", "Wagner", "Directrice d'agence", True),
                  C("Youssef", "Benali", "Chargé de relations entreprises", True)),
    ),
    DemoMember(
        key="ai", name="Fensch Emploi Services", kind=ESS, legal_form=ASSOCIATION, iae_type=IaeType.AI,
        naf_code="78.30Z", domain="fensch-emploi.example", joined=date(2015, 10, 5), staff=4, insertion=80,
        turnover=850_000,
        description="Association intermédiaire : met des personnes en parcours d'insertion à disposition des "
        "particuliers, des associations et des collectivités (entretien, manutention, ménage).",
        sites=(S("Siège", "19 rue Jean Jaurès", "Fameck"),),
        contacts=(C("Christine", "Muller", "Présidente"), C("David", "Ferreira", "Coordinateur", True)),
    ),
    DemoMember(
        key="entreprise-adaptee", name="Atelier Adapté des Trois Vallées", short_name="A3V", kind=ESS,
        legal_form=ASSOCIATION, iae_type=IaeType.EA, naf_code="82.92Z", domain="a3v.example",
        joined=date(2018, 2, 12), staff=12, insertion=38, turnover=2_100_000,
        description="Entreprise adaptée : conditionnement, assemblage et sous-traitance industrielle ; beaucoup de "
        "cartons et de films plastiques à valoriser.",
        sites=(S("Atelier de conditionnement", "41 route de Thionville", "Serémange-Erzange"),),
        contacts=(C("Philippe", "Zimmermann", "Directeur", True), C("Sandrine", "Rossi", "Responsable de production")),
    ),
    DemoMember(
        key="esat", name="ESAT du Plateau de Ranguevaux", short_name="ESAT Ranguevaux", kind=ESS,
        legal_form=ASSOCIATION, iae_type=IaeType.ESAT, naf_code="88.10C", domain="esat-ranguevaux.example",
        joined=date(2019, 6, 3), staff=14, insertion=55, turnover=780_000,
        description="Établissement d'accompagnement par le travail : blanchisserie, espaces verts et petite "
        "sous-traitance pour les entreprises de la vallée.",
        sites=(S("Ateliers", "2 rue du Stade", "Ranguevaux"), S("Blanchisserie", "17 rue de la Fontaine", "Hayange")),
        contacts=(C("Anne", "Schneider", "Directrice", True),
                  C("Laurent", "Hoffmann", "Moniteur principal d'atelier")),
    ),
    DemoMember(
        key="scop-metallerie", name="Métallerie Coopérative de la Fensch", short_name="MCF", kind=ESS,
        legal_form=LegalForm.SCOP, naf_code="25.11Z", domain="metallerie-coop.example", joined=date(2016, 9, 19),
        staff=22, turnover=2_600_000,
        description="SCOP de métallerie et de serrurerie : charpentes, escaliers, garde-corps ; environ 60 t de "
        "chutes d'acier et des huiles de coupe usagées par an.",
        sites=(S("Atelier", "6 rue des Forges", "Knutange"),),
        contacts=(C("Olivier", "Weber", "Gérant", True), C("Julie", "Marchal", "Responsable QSE", True)),
    ),
    DemoMember(
        key="scic-bois-energie", name="SCIC Bois Énergie Fensch-Moselle", short_name="SCIC Bois Énergie",
        kind=ESS, legal_form=LegalForm.SCIC, naf_code="35.30Z", domain="bois-energie-fensch.example",
        joined=date(2017, 11, 6), staff=4, turnover=690_000,
        description="Coopérative de collectivités, forestiers et entreprises qui alimente en plaquettes les "
        "chaufferies collectives de la vallée ; cherche 2 000 t par an de bois de classe A.",
        sites=(S("Plateforme bois-énergie", "1 chemin de la Forêt", "Neufchef"),
               S("Chaufferie collective", "9 rue Pasteur", "Fameck")),
        contacts=(C("Jean-Luc", "Thiébaut", "Président"), C("Mathieu", "Gérard", "Directeur technique", True)),
    ),
    DemoMember(
        key="aide-alimentaire", name="Entraide Alimentaire du Val de Fensch", short_name="Entraide Alimentaire",
        kind=ESS, legal_form=ASSOCIATION, naf_code="88.99B", domain="entraide-alimentaire.example",
        joined=date(2018, 4, 9), staff=3, turnover=180_000,
        description="Banque alimentaire : collecte les invendus des commerces et de l'agroalimentaire et les "
        "redistribue à 1 200 familles par an ; ramasse chaque jour le pain invendu.",
        sites=(S("Entrepôt", "22 rue des Écoles", "Fameck"),),
        contacts=(C("Monique", "Lefèvre", "Présidente", True), C("Hakim", "Amrani", "Responsable d'entrepôt", True)),
    ),
    DemoMember(
        key="repair-cafe", name="Repair Café de Florange", kind=ESS, legal_form=ASSOCIATION, naf_code="94.99Z",
        domain="repaircafe-florange.example", joined=date(2021, 10, 2), turnover=4_000,
        description="Ateliers de réparation bénévoles deux samedis par mois : petit électroménager, vélos, "
        "textile ; oriente vers la ressourcerie ce qui ne se répare pas.",
        sites=(S("Salle des associations", "10 rue de la République", "Florange"),),
        contacts=(C("Gérard", "Pierson", "Animateur bénévole", True),),
    ),
    DemoMember(
        key="textile", name="Fil Solidaire Moselle Nord", short_name="Fil Solidaire", kind=ESS, legal_form=SAS,
        iae_type=IaeType.EI, naf_code="38.32Z", domain="fil-solidaire.example", joined=date(2020, 1, 20),
        staff=6, insertion=20, turnover=560_000,
        description="Entreprise d'insertion : collecte et tri de 250 t par an de textiles usagés, friperie, et "
        "chiffons d'essuyage vendus aux industriels.",
        sites=(S("Centre de tri textile", "15 rue de la Fensch", "Uckange"),),
        contacts=(C("Isabelle", "Kowalski", "Directrice", True), C("Antoine", "Nowak", "Chef d'atelier")),
    ),
    DemoMember(
        key="atelier-velo", name="Atelier Vélo de la Fensch", kind=ESS, legal_form=ASSOCIATION, naf_code="95.29Z",
        domain="velo-fensch.example", joined=date(2022, 3, 14), status=SUSPENDED, staff=2, turnover=60_000,
        description="Atelier participatif de réparation de vélos et de récupération de pièces ; adhésion "
        "suspendue faute de cotisation depuis 2025.",
        sites=(S("Atelier", "7 rue Victor Hugo", "Hayange"),),
        contacts=(C("Lucas", "Bauer", "Coordinateur", True),),
    ),
    DemoMember(
        key="jardins", name="Les Jardins Maraîchers de la Fensch", short_name="Jardins de la Fensch", kind=ESS,
        legal_form=ASSOCIATION, iae_type=IaeType.ACI, naf_code="01.13Z", domain="jardins-fensch.example",
        joined=date(2016, 3, 21), staff=5, insertion=22, turnover=290_000,
        description="Chantier d'insertion en maraîchage biologique, paniers hebdomadaires ; cherche compost et "
        "fumier, produit des déchets verts.",
        sites=(S("Exploitation maraîchère", "Chemin des Vergers", "Ranguevaux"),),
        contacts=(C("Claire", "Dumont", "Directrice", True), C("Samir", "Belkacem", "Encadrant maraîchage")),
    ),
    DemoMember(
        key="eco-renov", name="Éco-Rénov Coop", kind=ESS, legal_form=LegalForm.SCOP, naf_code="43.29A",
        domain="ecorenov-coop.example", joined=date(2019, 9, 9), staff=11, turnover=1_300_000,
        description="SCOP d'isolation et de rénovation énergétique (ouate de cellulose, fibre de bois) ; "
        "cherche des isolants biosourcés produits localement.",
        sites=(S("Siège et dépôt", "31 rue Clemenceau", "Fameck"),),
        contacts=(C("Sébastien", "Colin", "Gérant", True), C("Marion", "Jacquot", "Conductrice de travaux")),
    ),
    DemoMember(
        key="geiq", name="GEIQ Industrie Nord Lorraine", kind=ESS, legal_form=ASSOCIATION, iae_type=IaeType.GEIQ,
        naf_code="78.30Z", domain="geiq-industrie-nl.example", joined=date(2018, 10, 1), staff=4, insertion=28,
        turnover=1_200_000,
        description="Groupement d'employeurs : recrute et forme en alternance soudeurs, chaudronniers et agents de "
        "maintenance pour les industriels adhérents.",
        sites=(S("Siège", "25 boulevard Foch", "Thionville"),),
        contacts=(C("Véronique", "Henry", "Directrice", True),),
    ),
    DemoMember(
        key="nettoyage", name="Net'Services Insertion", kind=ESS, legal_form=SARL, iae_type=IaeType.EI,
        naf_code="81.21Z", domain="netservices-insertion.example", joined=date(2020, 6, 15), staff=5,
        insertion=26, turnover=720_000,
        description="Entreprise d'insertion de nettoyage de bureaux et de locaux industriels ; porte un projet "
        "d'achats groupés de produits écolabellisés.",
        sites=(S("Siège", "11 rue de Metz", "Uckange"),),
        contacts=(C("Patricia", "Gomes", "Gérante", True),),
    ),
    DemoMember(
        key="eiti", name="Tremplin Indépendants Moselle", kind=ESS, legal_form=SAS, iae_type=IaeType.EITI,
        naf_code="82.99Z", domain="tremplin-independants.example", joined=date(2024, 2, 5), staff=2,
        insertion=12, turnover=95_000,
        description="Entreprise d'insertion par le travail indépendant : accompagne des micro-entrepreneurs "
        "(livraison à vélo, petits travaux, couture).",
        sites=(S("Bureaux", "3 rue du Moulin", "Hayange"),),
        contacts=(C("Nicolas", "Lemoine", "Directeur", True),),
    ),
    DemoMember(
        key="traiteur", name="La Table Solidaire", kind=ESS, legal_form=SAS, iae_type=IaeType.EI,
        naf_code="56.21Z", domain="table-solidaire.example", joined=date(2021, 5, 17), staff=6, insertion=14,
        turnover=640_000,
        description="Traiteur et restauration collective en insertion ; 12 t par an de biodéchets de cuisine et "
        "des huiles alimentaires usagées.",
        sites=(S("Cuisine centrale", "18 rue de la Gare", "Serémange-Erzange"),),
        contacts=(C("Amandine", "Roux", "Cheffe de cuisine", True), C("Mehdi", "Saïdi", "Directeur")),
    ),
    # --- Industry and other companies -----------------------------------------------------------------
    DemoMember(
        key="acierie", name="Fensch Acier Laminage", short_name="FAL", kind=CLASSIC, legal_form=SAS,
        naf_code="24.10Z", domain="fensch-acier.example", joined=date(2014, 11, 3), staff=620,
        turnover=410_000_000,
        description="Laminage à froid et galvanisation de bobines d'acier pour l'automobile ; 3 000 t par an de "
        "palettes et bois de calage, des boues d'hydroxydes et des huiles de laminage usagées.",
        sites=(S("Laminoir à froid", "1 rue des Aciéries", "Florange"),
               S("Ligne de galvanisation", "2 rue du Haut-Fourneau", "Serémange-Erzange"),
               S("Direction et services", "5 avenue de Lorraine", "Hayange")),
        contacts=(C("Julien", "Weber", "Responsable environnement", True),
                  C("Stéphanie", "Marchetti", "Acheteuse", True), C("François", "Dupont", "Directeur de site")),
    ),
    DemoMember(
        key="fer-blanc", name="Fer Blanc Moselle Emballage", short_name="FBME", kind=CLASSIC, legal_form=SAS,
        naf_code="24.10Z", domain="ferblanc-moselle.example", joined=date(2015, 2, 16), staff=310,
        turnover=185_000_000,
        description="Produit l'acier pour emballage (fer-blanc) des boîtes de conserve et des aérosols ; cherche "
        "des débouchés pour ses chutes de cisaille et ses mandrins en carton.",
        sites=(S("Ligne d'étamage", "8 rue Sainte-Agathe", "Florange"),),
        contacts=(C("Aline", "Fischer", "Responsable HSE", True), C("Guillaume", "Perrin", "Responsable logistique")),
    ),
    DemoMember(
        key="rails", name="Rails et Profilés de Hayange", short_name="RPH", kind=CLASSIC, legal_form=SAS,
        naf_code="24.10Z", domain="rails-hayange.example", joined=date(2014, 11, 3), staff=430,
        turnover=260_000_000,
        description="Lamine des rails longs pour les réseaux ferrés et les tramways ; calamine, briques "
        "réfractaires usagées et bois de calage à valoriser.",
        sites=(S("Laminoir à rails", "45 route de Neufchef", "Hayange"),
               S("Parc de stockage des rails", "1 rue des Mines", "Serémange-Erzange")),
        contacts=(C("Éric", "Lorentz", "Directeur industriel"), C("Laura", "Bianchi", "Chargée RSE", True)),
    ),
    DemoMember(
        key="decoupe-acier", name="Découpe Acier Services", kind=CLASSIC, legal_form=SAS, naf_code="46.72Z",
        domain="decoupe-acier.example", joined=date(2017, 6, 12), staff=45, turnover=38_000_000,
        description="Centre de service acier : refendage, découpe et mise à longueur de bobines ; chutes de "
        "refendage et feuillards de cerclage à recycler.",
        sites=(S("Centre de service", "14 rue de l'Industrie", "Uckange"),),
        contacts=(C("Romain", "Gauthier", "Directeur commercial", True),),
    ),
    DemoMember(
        key="chaudronnerie", name="Chaudronnerie Thionvilloise", kind=CLASSIC, legal_form=SARL, naf_code="25.29Z",
        domain="chaudronnerie-thionvilloise.example", joined=date(2016, 10, 10), staff=38, turnover=5_200_000,
        description="Chaudronnerie et tuyauterie industrielle pour la sidérurgie et la chimie ; 40 t par an de "
        "chutes d'inox et d'acier.",
        sites=(S("Atelier", "8 rue des Artisans", "Thionville"),),
        contacts=(C("Daniel", "Kieffer", "Gérant", True), C("Sylvie", "Renard", "Assistante de direction")),
    ),
    DemoMember(
        key="usinage", name="Mécanique de Précision d'Algrange", short_name="MPA", kind=CLASSIC, legal_form=SAS,
        naf_code="25.62B", domain="mpa-algrange.example", joined=date(2018, 1, 8), staff=27, turnover=3_100_000,
        description="Usinage de pièces de rechange pour les laminoirs ; copeaux métalliques et émulsions de coupe "
        "à faire collecter.",
        sites=(S("Atelier d'usinage", "16 rue des Mineurs", "Algrange"),),
        contacts=(C("Pascal", "Thomas", "Dirigeant", True),),
    ),
    DemoMember(
        key="fonderie", name="Fonderie de la Vallée de la Fensch", short_name="Fonderie de la Fensch",
        kind=CLASSIC, legal_form=SAS, naf_code="24.51Z", domain="fonderie-fensch.example",
        joined=date(2015, 6, 22), staff=95, turnover=16_000_000,
        description="Fonderie de fonte (pièces pour l'hydraulique et la voirie) ; 1 500 t par an de sables de "
        "fonderie usagés et des poussières de dépoussiérage.",
        sites=(S("Fonderie", "3 rue du Haut-Fourneau", "Knutange"),),
        contacts=(C("Michel", "Schwartz", "Directeur", True), C("Céline", "Antoine", "Responsable QSE", True)),
    ),
    DemoMember(
        key="scierie", name="Scierie du Haut-Fensch", kind=CLASSIC, legal_form=SARL, naf_code="16.10A",
        domain="scierie-haut-fensch.example", joined=date(2016, 2, 1), staff=18, turnover=4_200_000,
        description="Sciage de chêne et de hêtre des forêts mosellanes ; 2 500 t par an de sciures, écorces et "
        "dosses pour l'énergie ou le paillage.",
        sites=(S("Scierie", "12 route de Ranguevaux", "Neufchef"),),
        contacts=(C("Yves", "Mangin", "Gérant", True),),
    ),
    DemoMember(
        key="menuiserie", name="Menuiserie Bertrand et Fils", short_name="Menuiserie Bertrand", kind=CLASSIC,
        legal_form=SARL, naf_code="16.23Z", domain="menuiserie-bertrand.example", joined=date(2019, 4, 15),
        staff=12, turnover=1_400_000,
        description="Menuiserie sur mesure (fenêtres, escaliers, agencement) ; chutes de bois massif et de "
        "panneaux, sciure.",
        sites=(S("Atelier", "26 rue de la Paix", "Nilvange"),),
        contacts=(C("Alain", "Bertrand", "Gérant", True),),
    ),
    DemoMember(
        key="boulangerie", name="Pains de la Fensch", kind=CLASSIC, legal_form=SAS, naf_code="10.71A",
        domain="pains-fensch.example", joined=date(2017, 9, 4), staff=75, turnover=11_000_000,
        description="Boulangerie industrielle qui livre les magasins de Moselle Nord ; 40 t par an de pain "
        "invendu et de la farine déclassée.",
        sites=(S("Fournil", "9 rue de l'Artisanat", "Fameck"),),
        contacts=(C("Corinne", "Masson", "Directrice de site", True), C("Kévin", "Duval", "Responsable maintenance")),
    ),
    DemoMember(
        key="brasserie", name="Brasserie du Haut-Fourneau", kind=CLASSIC, legal_form=SARL, naf_code="11.05Z",
        domain="brasserie-haut-fourneau.example", joined=date(2020, 9, 21), staff=9, turnover=1_100_000,
        description="Brasserie artisanale au pied du haut-fourneau ; 90 t par an de drêches pour l'alimentation "
        "animale ou la méthanisation.",
        sites=(S("Brasserie", "1 rue des Hauts-Fourneaux", "Uckange"),),
        contacts=(C("Maxime", "Schaeffer", "Cofondateur", True),),
    ),
    DemoMember(
        key="laiterie", name="Laiterie des Côtes de Moselle", kind=CLASSIC, legal_form=SAS, naf_code="10.51A",
        domain="laiterie-cotes-moselle.example", joined=date(2019, 11, 18), staff=34, turnover=9_500_000,
        description="Collecte le lait de 40 fermes ; lait, yaourts et fromages frais. 1 200 m³ par an de "
        "lactosérum et des boues de station d'épuration.",
        sites=(S("Laiterie", "4 rue de la Ferme", "Ranguevaux"),),
        contacts=(C("Hélène", "Collignon", "Directrice qualité", True),),
    ),
    DemoMember(
        key="transports", name="Transports Fensch Logistique", short_name="TFL", kind=CLASSIC, legal_form=SAS,
        naf_code="49.41A", domain="tfl-transports.example", joined=date(2015, 4, 13), staff=120,
        turnover=18_000_000,
        description="Transport routier et logistique pour la sidérurgie ; retours à vide à mutualiser, pneus et "
        "huiles moteur usagés.",
        sites=(S("Plateforme logistique", "10 allée de la Logistique", "Florange"),
               S("Atelier poids lourds", "2 rue de l'Europe", "Uckange")),
        contacts=(C("Frédéric", "Garnier", "Directeur d'exploitation", True),
                  C("Nadia", "Chaouch", "Responsable QHSE", True)),
    ),
    DemoMember(
        key="imprimerie", name="Imprimerie Moderne du Val", kind=CLASSIC, legal_form=SARL, naf_code="18.12Z",
        domain="imprimerie-moderne-val.example", joined=date(2016, 6, 6), status=FORMER, left=date(2024, 12, 31),
        staff=14, turnover=1_600_000,
        description="Imprimerie offset et numérique ; a quitté le pôle fin 2024 après la reprise de l'entreprise.",
        sites=(S("Imprimerie", "7 rue Pasteur", "Thionville"),),
        contacts=(C("Patrick", "Girard", "Gérant"),),
    ),
    DemoMember(
        key="garage", name="Garage Central de Fameck", kind=CLASSIC, legal_form=SARL, naf_code="45.20A",
        domain="garage-central-fameck.example", joined=date(2019, 3, 11), status=SUSPENDED, staff=8,
        turnover=1_200_000,
        description="Entretien et réparation automobile ; pneus, batteries et huiles usagés. Adhésion suspendue : "
        "cotisations 2025 et 2026 impayées.",
        sites=(S("Garage", "48 route de Metz", "Fameck"),),
        contacts=(C("Didier", "Morel", "Gérant"),),
    ),
    DemoMember(
        key="btp", name="Bâtiment Travaux Fensch", short_name="BTF", kind=CLASSIC, legal_form=SAS,
        naf_code="41.20B", domain="btf-construction.example", joined=date(2017, 3, 27), staff=85,
        turnover=14_000_000,
        description="Gros œuvre et réhabilitation de logements ; déchets inertes, plâtre et bois de chantier ; "
        "cherche des matériaux de réemploi.",
        sites=(S("Siège", "20 rue Saint-Exupéry", "Serémange-Erzange"), S("Dépôt", "Chemin du Ruisseau", "Fameck")),
        contacts=(C("Thierry", "Vincent", "Directeur technique", True),
                  C("Émilie", "Caron", "Responsable environnement", True)),
    ),
    DemoMember(
        key="collecte", name="Collecte et Valorisation Moselle Nord", short_name="CVMN", kind=CLASSIC,
        legal_form=SAS, naf_code="38.11Z", domain="cvmn-dechets.example", joined=date(2014, 12, 8), staff=140,
        turnover=26_000_000,
        description="Collecte des déchets des entreprises, centre de tri et déchèterie professionnelle ; "
        "partenaire logistique des filières montées par le pôle.",
        sites=(S("Centre de tri", "22 rue de la Moselle", "Uckange"),
               S("Déchèterie professionnelle", "3 rue des Artisans", "Hayange")),
        contacts=(C("Vincent", "Laurent", "Directeur d'agence", True), C("Sarah", "Mathieu", "Commerciale", True)),
    ),
    DemoMember(
        key="revetements", name="Revêtements Techniques de Lorraine", short_name="RTL", kind=CLASSIC,
        legal_form=SAS, naf_code="20.30Z", domain="rtl-revetements.example", joined=date(2018, 5, 14), staff=60,
        turnover=13_000_000,
        description="Formule des peintures et vernis anticorrosion pour l'acier ; solvants usagés et fûts "
        "métalliques à reconditionner (déchets dangereux).",
        sites=(S("Usine", "15 rue Sainte-Agathe", "Florange"),),
        contacts=(C("Valérie", "Guérin", "Responsable HSE", True),),
    ),
    DemoMember(
        key="datacentre", name="Fensch Data Centre", kind=CLASSIC, legal_form=SAS, naf_code="63.11Z",
        domain="fensch-datacentre.example", joined=date(2023, 1, 9), staff=16, turnover=7_800_000,
        description="Hébergement informatique de proximité ; 1,5 GWh par an de chaleur fatale à 35 °C disponible "
        "pour un réseau de chaleur ou des serres.",
        sites=(S("Centre de données", "1 rue de l'Innovation", "Florange"),),
        contacts=(C("Arnaud", "Leroy", "Directeur technique", True),),
    ),
    DemoMember(
        key="maintenance", name="Maintenance Industrielle de l'Est", short_name="MIE", kind=CLASSIC,
        legal_form=SAS, naf_code="33.12Z", domain="mie-maintenance.example", joined=date(2016, 12, 5), staff=70,
        turnover=9_000_000,
        description="Maintenance mécanique et hydraulique des sites sidérurgiques ; huiles hydrauliques usagées, "
        "pièces d'usure et chiffons souillés.",
        sites=(S("Agence", "38 avenue des Tilleuls", "Hayange"),),
        contacts=(C("Christophe", "Robert", "Chargé d'affaires", True),),
    ),
    DemoMember(
        key="electricite", name="Électricité Générale de Knutange", short_name="EGK", kind=CLASSIC,
        legal_form=SARL, naf_code="43.21A", domain="egk-electricite.example", joined=date(2021, 2, 1), staff=15,
        turnover=1_800_000,
        description="Installations électriques tertiaires et industrielles ; câbles en cuivre de dépose et tubes "
        "fluorescents usagés.",
        sites=(S("Atelier", "9 rue de la République", "Knutange"),),
        contacts=(C("Jérôme", "Poirier", "Gérant", True),),
    ),
    DemoMember(
        key="plasturgie", name="Plasturgie d'Algrange", kind=CLASSIC, legal_form=SAS, naf_code="22.29A",
        domain="plasturgie-algrange.example", joined=date(2020, 11, 23), staff=48, turnover=7_200_000,
        description="Injection de pièces techniques en polypropylène et polyamide ; 35 t par an de purges et "
        "carottes broyables ; cherche de la matière recyclée.",
        sites=(S("Usine d'injection", "4 rue de l'Industrie", "Algrange"),),
        contacts=(C("Mélanie", "Roussel", "Responsable de production", True),),
    ),
    DemoMember(
        key="ferrailles", name="Ferrailles et Métaux du Val", short_name="FMV", kind=CLASSIC, legal_form=SARL,
        naf_code="46.77Z", domain="fmv-metaux.example", joined=date(2015, 9, 14), staff=22, turnover=21_000_000,
        description="Négoce et préparation de ferrailles et de métaux non ferreux pour les aciéries électriques ; "
        "rachète les chutes des membres.",
        sites=(S("Chantier de récupération", "5 quai de la Moselle", "Thionville"),),
        contacts=(C("Gilles", "Martin", "Gérant", True),),
    ),
    DemoMember(
        key="ingenierie", name="Fensch Ingénierie", kind=CLASSIC, legal_form=SAS, naf_code="71.12B",
        domain="fensch-ingenierie.example", joined=date(2016, 4, 4), status=FORMER, left=date(2024, 6, 30),
        staff=12, turnover=1_300_000,
        description="Bureau d'études en génie industriel ; a quitté le pôle mi-2024.",
        sites=(S("Bureaux", "4 rue du Général de Gaulle", "Thionville"),),
        contacts=(C("Benoît", "Aubert", "Directeur"),),
    ),
    DemoMember(
        key="supermarche", name="Supermarché du Val", kind=CLASSIC, legal_form=SAS, naf_code="47.11D",
        domain="supermarche-du-val.example", status=PROSPECT, staff=55, turnover=19_000_000,
        description="Supermarché indépendant ; intéressé par le don de ses invendus et la collecte groupée de ses "
        "cartons et biodéchets.",
        sites=(S("Magasin", "60 route de Thionville", "Fameck"),),
        contacts=(C("Karine", "Lemaire", "Directrice", True),),
    ),
    DemoMember(
        key="hotel", name="Hôtel-Restaurant de la Gare", kind=CLASSIC, legal_form=SARL, naf_code="55.10Z",
        domain="hotel-gare-thionville.example", status=PROSPECT, staff=11, turnover=900_000,
        description="Hôtel de 32 chambres et restaurant ; rencontré au forum des entreprises 2026.",
        sites=(S("Hôtel", "10 place de la Gare", "Thionville"),),
        contacts=(C("Joël", "Petitjean", "Gérant"),),
    ),
    # --- Local authorities ----------------------------------------------------------------------------
    DemoMember(
        key="agglo", name="Communauté d'agglomération du Val de Fensch", short_name="CA Val de Fensch",
        kind=AUTHORITY, legal_form=LegalForm.EPCI, naf_code="84.11Z", domain="agglo-valdefensch.example",
        joined=date(2014, 6, 30), staff=240, fee=10_000,
        description="Intercommunalité des dix communes de la vallée : développement économique, collecte et "
        "traitement des déchets ménagers, déchèteries. Membre fondateur du pôle.",
        sites=(S("Hôtel communautaire", "10 rue de Wendel", "Hayange"),
               S("Centre technique communautaire", "5 rue de l'Europe", "Florange")),
        contacts=(C("Jean-Marc", "Klein", "Directeur du développement économique", True),
                  C("Laetitia", "Ney", "Chargée de mission économie circulaire", True),
                  C("Martine", "Gérardin", "Vice-présidente chargée de l'économie")),
    ),
    DemoMember(
        key="ville-hayange", name="Ville de Hayange", kind=AUTHORITY, legal_form=LegalForm.COMMUNE,
        naf_code="84.11Z", domain="ville-hayange.example", joined=date(2014, 6, 30), staff=280, fee=1_500,
        description="Ville-centre de la vallée (15 500 habitants) ; met à disposition des locaux pour la "
        "ressourcerie et les ateliers partagés.",
        sites=(S("Hôtel de ville", "1 place de la Mairie", "Hayange"),
               S("Centre technique municipal", "12 rue du Moulin", "Hayange")),
        contacts=(C("Bertrand", "Simon", "Directeur général des services"),
                  C("Nadège", "Collin", "Responsable des services techniques", True)),
    ),
    DemoMember(
        key="ville-florange", name="Ville de Florange", kind=AUTHORITY, legal_form=LegalForm.COMMUNE,
        naf_code="84.11Z", domain="ville-florange.example", joined=date(2014, 10, 6), staff=210, fee=1_200,
        description="Accueille la zone d'activités Sainte-Agathe ; porte le projet de réseau de chaleur "
        "alimenté par la chaleur fatale.",
        sites=(S("Hôtel de ville", "1 place de l'Hôtel de Ville", "Florange"),),
        contacts=(C("Sandra", "Pétry", "Directrice générale des services", True),
                  C("Ludovic", "Marx", "Responsable du patrimoine bâti")),
    ),
    DemoMember(
        key="ville-fameck", name="Ville de Fameck", kind=AUTHORITY, legal_form=LegalForm.COMMUNE,
        naf_code="84.11Z", domain="ville-fameck.example", joined=date(2015, 5, 18), staff=200, fee=1_200,
        description="Quartiers prioritaires de la politique de la ville ; relaie les offres d'emploi en "
        "insertion des membres.",
        sites=(S("Hôtel de ville", "2 rue de la Mairie", "Fameck"),),
        contacts=(C("Rachid", "Bouzid", "Chef de projet politique de la ville", True),),
    ),
    DemoMember(
        key="ville-uckange", name="Ville d'Uckange", kind=AUTHORITY, legal_form=LegalForm.COMMUNE,
        naf_code="84.11Z", domain="ville-uckange.example", joined=date(2016, 1, 11), staff=110, fee=800,
        description="Commune du haut-fourneau U4 ; met des friches industrielles à disposition des projets du "
        "pôle.",
        sites=(S("Hôtel de ville", "1 place de la République", "Uckange"),),
        contacts=(C("Catherine", "Jung", "Directrice générale des services", True),),
    ),
    DemoMember(
        key="commune-seremange", name="Commune de Serémange-Erzange", kind=AUTHORITY,
        legal_form=LegalForm.COMMUNE, naf_code="84.11Z", domain="seremange-erzange.example",
        joined=date(2017, 2, 20), staff=60, fee=600,
        description="Engagée dans le compostage collectif et la réduction des déchets de ses services.",
        sites=(S("Mairie", "3 rue de la Mairie", "Serémange-Erzange"),),
        contacts=(C("Denis", "Kremer", "Secrétaire général"),),
    ),
    DemoMember(
        key="commune-knutange", name="Commune de Knutange", kind=AUTHORITY, legal_form=LegalForm.COMMUNE,
        naf_code="84.11Z", domain="knutange.example", joined=date(2019, 3, 4), staff=40, fee=500,
        description="Achats publics avec clauses d'insertion ; entretien des espaces verts confié à l'ACI.",
        sites=(S("Mairie", "1 rue de l'Hôtel de Ville", "Knutange"),),
        contacts=(C("Mireille", "Fournier", "Secrétaire générale", True),),
    ),
    DemoMember(
        key="commune-nilvange", name="Commune de Nilvange", kind=AUTHORITY, legal_form=LegalForm.COMMUNE,
        naf_code="84.11Z", domain="nilvange.example", joined=date(2021, 4, 12), staff=50, fee=500,
        description="Rénovation énergétique de ses écoles avec des isolants biosourcés.",
        sites=(S("Mairie", "2 place de la Mairie", "Nilvange"),),
        contacts=(C("Franck", "Didier", "Directeur des services techniques"),),
    ),
    DemoMember(
        key="commune-algrange", name="Commune d'Algrange", kind=AUTHORITY, legal_form=LegalForm.COMMUNE,
        naf_code="84.11Z", domain="algrange.example", joined=date(2022, 9, 26), staff=55, fee=500,
        description="Ancienne cité minière ; projet de recyclerie de quartier avec les associations.",
        sites=(S("Mairie", "1 rue de la Mairie", "Algrange"),),
        contacts=(C("Agnès", "Wolff", "Directrice générale des services", True),),
    ),
    DemoMember(
        key="commune-neufchef", name="Commune de Neufchef", kind=AUTHORITY, legal_form=LegalForm.COMMUNE,
        naf_code="84.11Z", domain="neufchef.example", status=PROSPECT, staff=15, fee=300,
        description="Commune forestière ; étudie l'adhésion pour sa chaufferie bois et son musée des mines.",
        sites=(S("Mairie", "1 rue de la Mairie", "Neufchef"),),
        contacts=(C("Roger", "Husson", "Adjoint au maire"),),
    ),
    DemoMember(
        key="departement", name="Département de la Moselle", kind=AUTHORITY, legal_form=LegalForm.DEPARTEMENT,
        naf_code="84.11Z", domain="moselle-departement.example", joined=date(2016, 1, 25), staff=4_500,
        fee=5_000,
        description="Finance l'insertion des allocataires du RSA et les clauses sociales ; représenté au pôle par "
        "son territoire d'action de Thionville.",
        sites=(S("Maison du Département", "2 rue de la Moselle", "Thionville"),),
        contacts=(C("Stéphane", "Lang", "Chef du service insertion", True),),
    ),
    # --- Research and training ------------------------------------------------------------------------
    DemoMember(
        key="labo-metz", name="Laboratoire Matériaux, Procédés et Recyclage (Université de Lorraine)",
        short_name="LMPR", kind=RESEARCH, legal_form=LegalForm.PUBLIC_BODY, naf_code="72.19Z",
        domain="lmpr-univ-lorraine.example", joined=date(2017, 5, 15), staff=85,
        description="Laboratoire universitaire de métallurgie : valorisation des coproduits sidérurgiques "
        "(laitiers, calamine, boues), thèses CIFRE avec les industriels du pôle.",
        sites=(S("Laboratoire", "Île du Saulcy", "Metz"),),
        contacts=(C("Hélène", "Marchal", "Professeure, responsable de l'équipe recyclage des métaux", True),
                  C("Yann", "Le Goff", "Ingénieur de recherche", True)),
    ),
    DemoMember(
        key="centre-essais", name="Centre d'Essais pour l'Économie Circulaire de Lorraine", short_name="CEECL",
        kind=RESEARCH, legal_form=ASSOCIATION, naf_code="71.20B", domain="ceecl.example",
        joined=date(2020, 3, 2), staff=9, turnover=700_000,
        description="Centre technique associatif : caractérisation des déchets et essais de recyclabilité pour "
        "les PME ; monte des démonstrateurs avec les membres.",
        sites=(S("Plateforme d'essais", "3 rue du Parc", "Uckange"),),
        contacts=(C("Thibault", "Renaud", "Directeur", True),),
    ),
    DemoMember(
        key="formation-adultes", name="Centre de Formation Professionnelle Nord-Lorraine",
        short_name="CFP Nord-Lorraine", kind=TRAINING, legal_form=LegalForm.PUBLIC_BODY, naf_code="85.59A",
        domain="cfp-nord-lorraine.example", joined=date(2015, 11, 16), staff=45,
        description="Formations qualifiantes pour adultes : soudage, maintenance industrielle, logistique, "
        "conduite d'engins ; plateaux techniques à partager.",
        sites=(S("Centre de formation", "30 route de Guentrange", "Thionville"),),
        contacts=(C("Sylvain", "Morin", "Directeur", True),),
    ),
    DemoMember(
        key="cfa", name="CFA des Métiers de l'Industrie de Moselle Nord", short_name="CFA Industrie",
        kind=TRAINING, legal_form=ASSOCIATION, naf_code="85.32Z", domain="cfa-industrie-mn.example",
        joined=date(2016, 9, 5), staff=38, turnover=3_500_000,
        description="Apprentissage du CAP au BTS en chaudronnerie, maintenance et électrotechnique ; 420 "
        "apprentis, beaucoup chez les membres du pôle.",
        sites=(S("CFA", "14 rue de la Forge", "Hayange"),),
        contacts=(C("Delphine", "Royer", "Directrice", True),),
    ),
    DemoMember(
        key="lycee-pro", name="Lycée professionnel de la Fensch", kind=TRAINING, legal_form=LegalForm.PUBLIC_BODY,
        naf_code="85.32Z", domain="lp-fensch.example", joined=date(2019, 9, 2), staff=70,
        description="Bacs pro maintenance, logistique et métiers de l'électricité ; les élèves réparent du "
        "matériel avec la ressourcerie.",
        sites=(S("Lycée", "21 rue Jeanne d'Arc", "Nilvange"),),
        contacts=(C("Olivier", "Marchand", "Proviseur"),
                  C("Céline", "Da Costa", "Directrice déléguée aux formations", True)),
    ),
    # --- Citizens and networks ------------------------------------------------------------------------
    DemoMember(
        key="club-entreprises", name="Club des Entreprises du Val de Fensch", short_name="CEVF", kind=OTHER,
        legal_form=ASSOCIATION, naf_code="94.11Z", domain="club-entreprises-fensch.example",
        joined=date(2014, 6, 30), staff=1, turnover=45_000,
        description="Réseau de 120 chefs d'entreprise de la vallée : petits-déjeuners thématiques, relais des "
        "appels à projets du pôle.",
        sites=(S("Siège", "2 rue du Commerce", "Hayange"),),
        contacts=(C("Bruno", "Kremer", "Président", True),),
    ),
    DemoMember(
        key="transition", name="Fensch en Transition", kind=OTHER, legal_form=ASSOCIATION, naf_code="94.99Z",
        domain="fensch-en-transition.example", joined=date(2019, 2, 18), turnover=8_000,
        description="Collectif citoyen : composteurs de quartier, défis zéro déchet, conférences ; porte auprès du "
        "pôle les besoins des habitants.",
        sites=(S("Local associatif", "5 rue de l'Église", "Knutange"),),
        contacts=(C("Manon", "Lefort", "Secrétaire", True), C("Paul", "Rousseau", "Président")),
    ),
    DemoMember(
        key="zero-dechet", name="Zéro Déchet Nord Moselle", kind=OTHER, legal_form=ASSOCIATION, naf_code="94.99Z",
        domain="zerodechet-nord-moselle.example", joined=date(2026, 3, 9), turnover=3_000,
        description="Association d'habitants : ateliers de fabrication, carte des commerces qui acceptent les "
        "contenants ; a rejoint le pôle en 2026.",
        sites=(S("Maison des associations", "6 rue du Manège", "Thionville"),),
        contacts=(C("Inès", "Moulin", "Coprésidente", True),),
    ),
)
# fmt: on
