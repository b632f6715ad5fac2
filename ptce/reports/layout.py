"""The yearly report laid out as sections of tables of formatted text, shared by the page and the PDF.

Both outputs read this one layout, so the printed page and the PDF always say the same thing. Numbers are
formatted here in the current language (French first: « 1 234,5 »), units go in the column headers.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .types import MatchTotals, PoleReport


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = True


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    footer: tuple[str, ...] | None = None
    empty: str = ""  # said instead of the table when it has no row


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]
    note: str = ""


def number(value, places: int = 0) -> str:
    """A number the way the current language writes it, with grouping: « 12 345,6 » in French."""
    if value is None:
        return "—"
    # Half up, as people round by hand: 4,25 ETP reads 4,3 (Python's default would give 4,2).
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # Some locales group with a narrow no-break space, which PDF standard fonts lack: a plain one reads the same.
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True).replace("\u202f", "\xa0")


def percent(value) -> str:
    return "—" if value is None else f"{number(value, 1)}\xa0%"


def report_title(report: PoleReport) -> str:
    return _("Rapport annuel %(year)s du pôle") % {"year": report.year}


def report_subtitle(report: PoleReport) -> str:
    return _("Édité le %(date)s") % {"date": date_format(report.generated_on, "DATE_FORMAT")}


def report_sections(report: PoleReport) -> tuple[Section, ...]:
    return (
        _key_figures(report),
        _members(report),
        _jobs(report),
        _projects(report),
        _flows(report),
    )


def _label(text: str) -> Column:
    return Column(text, numeric=False)


def _key_figures(report: PoleReport) -> Section:
    rows = (
        (_("Membres du pôle au 31 décembre"), number(report.members.total)),
        (_("Emplois permanents (ETP)"), number(report.jobs.permanent_fte, 1)),
        (_("Emplois en insertion (ETP)"), number(report.jobs.insertion_fte, 1)),
        (_("Projets de coopération en cours dans l'année"), number(report.projects.count)),
        (_("Financements accordés aux projets (€)"), number(report.projects.funding_total.granted)),
        (_("Mises en relation réalisées dans l'année"), number(report.matches.during_year.count)),
        (_("Tonnes détournées par an"), number(report.matches.during_year.tonnes, 1)),
        (_("CO2e évité (t/an)"), number(report.matches.during_year.co2e_t, 1)),
    )
    caption = _("Les indicateurs demandés par les financeurs, pour %(year)s") % {"year": report.year}
    table = Table(caption, (_label(_("Indicateur")), Column(str(report.year))), rows)
    return Section("key-figures", _("Chiffres clés"), (table,))


def _members(report: PoleReport) -> Section:
    members = report.members
    count = (_label(_("Catégorie")), Column(_("Membres")))
    total = (_("Total"), number(members.total))
    by_kind = Table(
        _("Membres par type de structure"),
        count,
        tuple((line.label, number(line.count)) for line in members.by_kind),
        total,
    )
    by_college = Table(
        _("Membres par collège"),
        count,
        tuple((line.label, number(line.count)) for line in members.by_college),
        total,
        empty=_("Aucun membre."),
    )
    social = Table(
        _("Économie sociale et solidaire et insertion"),
        count,
        (
            (_("Structures de l'ESS"), number(members.ess)),
            (_("dont agréées ESUS"), number(members.esus)),
            (_("Structures d'insertion et employeurs inclusifs"), number(members.iae)),
            *((f"— {line.label}", number(line.count)) for line in members.by_iae_type),
        ),
    )
    movements = Table(
        _("Adhésions et départs de l'année"),
        count,
        ((_("Nouveaux membres"), number(members.joined)), (_("Membres sortis"), number(members.left))),
    )
    note = _(
        "Membres au 31 décembre, hors prospects. Adhésions et départs : dates d'entrée et de sortie comprises "
        "dans l'année."
    )
    return Section("members", _("Membres"), (by_kind, by_college, social, movements), note)


def _jobs(report: PoleReport) -> Section:
    previous, current = report.jobs_previous, report.jobs

    def row(label: str, field: str, places: int = 0) -> tuple[str, str, str]:
        return label, number(getattr(previous, field), places), number(getattr(current, field), places)

    rows = (
        row(_("Membres ayant déclaré leurs chiffres"), "members_reporting"),
        row(_("Effectif permanent"), "permanent_headcount"),
        row(_("ETP permanents"), "permanent_fte", 1),
        row(_("Salariés en insertion"), "insertion_headcount"),
        row(_("ETP en insertion"), "insertion_fte", 1),
        row(_("dont dans les structures d'insertion et employeurs inclusifs"), "insertion_fte_in_iae", 1),
    )
    table = Table(
        _("Emplois des membres"),
        (_label(_("Indicateur")), Column(str(previous.year)), Column(str(current.year))),
        rows,
    )
    note = _(
        "D'après les chiffres annuels saisis pour chaque année par les structures membres du pôle pendant "
        "cette année, y compris celles sorties en cours d'année."
    )
    return Section("jobs", _("Emplois et insertion"), (table,), note)


def _projects(report: PoleReport) -> Section:
    projects = report.projects
    by_status = Table(
        _("Projets de coopération par statut"),
        (_label(_("Statut au 31 décembre")), Column(_("Projets")), Column(_("Budget (€)"))),
        tuple((line.label, number(line.count), number(line.budget)) for line in projects.by_status),
        (_("Total"), number(projects.count), number(projects.budget)),
    )
    money = (Column(_("Demandé (€)")), Column(_("Accordé (€)")), Column(_("Perçu (€)")))
    total = projects.funding_total
    funding = Table(
        _("Financements des projets par source"),
        (_label(_("Source")), *money),
        tuple(
            (line.label, number(line.requested), number(line.granted), number(line.received))
            for line in projects.funding
        ),
        (_("Total"), number(total.requested), number(total.granted), number(total.received)),
        empty=_("Aucun financement enregistré pour ces projets."),
    )
    indicators = Table(
        _("Indicateurs des projets pour l'année"),
        (_label(_("Indicateur")), Column(_("Projets")), Column(_("Cible")), Column(_("Réalisé"))),
        tuple(
            (line.label, number(line.projects), number(line.target, 1), number(line.actual, 1))
            for line in projects.indicators
        ),
        empty=_("Aucun indicateur saisi pour cette année."),
    )
    note = _(
        "Projets menés pendant l'année : commencés au plus tard le 31 décembre et non terminés avant le "
        "1er janvier. Financements demandés, accordés et perçus au 31 décembre (un montant sans date compte dès "
        "sa saisie)."
    )
    return Section("projects", _("Projets de coopération"), (by_status, funding, indicators), note)


def _flows(report: PoleReport) -> Section:
    flows, matches = report.flows, report.matches
    declarations = Table(
        _("Déclarations au %(date)s") % {"date": date_format(flows.as_of, "SHORT_DATE_FORMAT")},
        (_label(_("Indicateur")), Column(_("Valeur"))),
        (
            (_("Offres actives"), number(flows.offers)),
            (_("Besoins actifs"), number(flows.needs)),
            (_("Membres déclarants"), number(flows.members_declaring)),
            (_("Tonnes offertes par an"), number(flows.offer_tonnes, 1)),
            (_("dont déjà valorisées localement (t/an)"), number(flows.local_tonnes, 1)),
            (_("Part valorisée localement"), percent(flows.local_percent)),
            (_("dont enfouies ou incinérées (t/an)"), number(flows.disposed_tonnes, 1)),
        ),
    )
    implemented = Table(
        _("Mises en relation réalisées"),
        (_label(_("Indicateur")), Column(_("Dans l'année")), Column(_("Cumul à la fin de l'année"))),
        _match_rows(matches.during_year, matches.to_date),
    )
    note = _(
        "Tonnes, CO2e et économies sont des flux annuels : réels quand la coordination les a saisis, "
        "estimés sinon. Le CO2e évité déduit le transport."
    )
    return Section("flows", _("Flux, tonnes et CO2e"), (declarations, implemented), note)


def _match_rows(year: MatchTotals, to_date: MatchTotals) -> tuple[tuple[str, str, str], ...]:
    return (
        (_("Mises en relation"), number(year.count), number(to_date.count)),
        (_("Tonnes détournées par an"), number(year.tonnes, 1), number(to_date.tonnes, 1)),
        (_("CO2e évité (t/an)"), number(year.co2e_t, 1), number(to_date.co2e_t, 1)),
        (_("Économies (€/an)"), number(year.euros), number(to_date.euros)),
    )
