"""Who may do what through the API: every endpoint × every kind of caller × every action, from one table.

`MATRIX` maps (router basename, action) to the status each actor gets, in the order of `ACTORS`. Each cell is
its own test. The table must cover every action the router serves (`test_every_routed_action_has_a_row`): a
new endpoint or action fails until someone writes down who may use it. Rows for the writes a viewset does
not serve (create, update, delete on reference data, deleting a member…) prove they are refused.

Actors: nobody logged in; a partner's key for each read scope; a member admin's key with every scope,
`streams:write` included; the member admin's own session; the admin of another member; the coordination.
Anonymous calls get 403, not 401: no `Authorization` header was sent, so there is no key to challenge.

The world is small and built once per module inside a transaction rolled back at the end; each cell runs in
a savepoint of its own (pytest-django's `db`), so that writes do not leak into the next cell.
"""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from members.api_key_services import api_key_issue
from members.enums import ApiScope, MemberRole
from ptce.api.router import router
from waste_flows.enums import Confidentiality, Direction, MatchStatus, RunScope, RunStatus, RunTrigger
from waste_flows.matches import Channel, MatchRun
from waste_flows.models import Material

from ..members.factories import MemberFactory, SiteFactory, UserFactory, valid_siren, valid_siret
from ..projects.factories import ProjectFactory
from ..waste_flows.factories import StreamFactory
from ..waste_flows.match_factories import MatchFactory

ACTORS = (
    "anonymous",
    "key:directory",
    "key:streams",
    "key:stats",
    "key:projects",
    "key:matches",
    "member_key",
    "member",
    "other_member",
    "coordinator",
)
PARTNER_SCOPES = {
    "key:directory": ApiScope.DIRECTORY_READ,
    "key:streams": ApiScope.STREAMS_READ,
    "key:stats": ApiScope.STATS_READ,
    "key:projects": ApiScope.PROJECTS_READ,
    "key:matches": ApiScope.MATCHES_READ,
}
# Actions the router does not serve on a viewset, refused whoever asks (403 before, 405 after the permission).
UNROUTED = {"create": "post", "update": "put", "partial_update": "patch", "destroy": "delete"}

# fmt: off
MATRIX = {
    #                                 anon  dir  str  sta  pro  mat  mkey mem  oth  coord
    ("member", "list"):              (403, 200, 403, 403, 403, 403, 200, 200, 200, 200),
    ("member", "retrieve"):          (403, 200, 403, 403, 403, 403, 200, 200, 200, 200),
    ("member", "create"):            (403, 403, 403, 403, 403, 403, 403, 403, 403, 201),
    ("member", "update"):            (403, 403, 403, 403, 403, 403, 403, 200, 403, 200),
    ("member", "partial_update"):    (403, 403, 403, 403, 403, 403, 403, 200, 403, 200),
    ("member", "destroy"):           (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("member", "archive"):           (403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("member", "history"):           (403, 403, 403, 403, 403, 403, 200, 200, 403, 200),
    ("site", "list"):                (403, 200, 403, 403, 403, 403, 200, 200, 200, 200),
    ("site", "retrieve"):            (403, 200, 403, 403, 403, 403, 200, 200, 200, 200),
    ("site", "create"):              (403, 403, 403, 403, 403, 403, 403, 201, 403, 201),
    ("site", "update"):              (403, 403, 403, 403, 403, 403, 403, 200, 403, 200),
    ("site", "partial_update"):      (403, 403, 403, 403, 403, 403, 403, 200, 403, 200),
    ("site", "destroy"):             (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("ewc-code", "list"):            (403, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("ewc-code", "retrieve"):        (403, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("ewc-code", "create"):          (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("ewc-code", "partial_update"):  (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("ewc-code", "destroy"):         (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("material", "list"):            (403, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("material", "retrieve"):        (403, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("material", "create"):          (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("material", "partial_update"):  (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("material", "destroy"):         (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("unit", "list"):                (403, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("unit", "retrieve"):            (403, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("unit", "create"):              (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("unit", "partial_update"):      (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("unit", "destroy"):             (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("stream", "list"):              (403, 403, 200, 403, 403, 403, 200, 200, 200, 200),
    ("stream", "retrieve"):          (403, 403, 200, 403, 403, 403, 200, 200, 200, 200),
    ("stream", "create"):            (403, 403, 403, 403, 403, 403, 201, 201, 400, 201),
    ("stream", "update"):            (403, 403, 403, 403, 403, 403, 200, 200, 403, 200),
    ("stream", "partial_update"):    (403, 403, 403, 403, 403, 403, 200, 200, 403, 200),
    ("stream", "destroy"):           (403, 403, 403, 403, 403, 403, 204, 204, 403, 204),
    ("inventory", "list"):           (403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("match-run", "list"):           (403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("match-run", "retrieve"):       (403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("match-run", "create"):         (403, 403, 403, 403, 403, 403, 403, 403, 403, 202),
    ("match-run", "partial_update"): (403, 403, 403, 403, 403, 403, 403, 403, 403, 405),
    ("match-run", "destroy"):        (403, 403, 403, 403, 403, 403, 403, 403, 403, 405),
    ("match", "list"):               (403, 403, 403, 403, 403, 403, 200, 200, 200, 200),
    ("match", "retrieve"):           (403, 403, 403, 403, 403, 403, 200, 200, 404, 200),
    ("match", "create"):             (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("match", "partial_update"):     (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("match", "destroy"):            (403, 403, 403, 403, 403, 403, 403, 405, 405, 405),
    ("channel", "list"):             (403, 403, 403, 403, 403, 200, 200, 200, 200, 200),
    ("channel", "retrieve"):         (403, 403, 403, 403, 403, 200, 200, 200, 200, 200),
    ("channel", "create"):           (403, 403, 403, 403, 403, 403, 403, 403, 403, 201),
    ("channel", "update"):           (403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("channel", "partial_update"):   (403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("channel", "destroy"):          (403, 403, 403, 403, 403, 403, 403, 403, 403, 204),
    ("project", "list"):             (403, 403, 403, 403, 200, 403, 200, 200, 200, 200),
    ("project", "retrieve"):         (403, 403, 403, 403, 404, 403, 200, 200, 200, 200),
    ("project", "create"):           (403, 403, 403, 403, 403, 403, 403, 403, 403, 201),
    ("project", "update"):           (403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("project", "partial_update"):   (403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("project", "destroy"):          (403, 403, 403, 403, 403, 403, 403, 403, 403, 405),
    ("project", "change_status"):    (403, 403, 403, 403, 403, 403, 403, 403, 403, 200),
    ("stats", "list"):               (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "summary"):            (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "flows"):              (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "sankey"):             (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "impact"):             (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "funnel"):             (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "members"):            (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "jobs"):               (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "projects"):           (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "trends"):             (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "map_sites"):          (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "map_matches"):        (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
    ("stats", "map_pooling"):        (403, 403, 403, 200, 403, 403, 200, 200, 200, 200),
}
# fmt: on


# --- The router's endpoints ------------------------------------------------------------------------------


def routed_actions() -> dict[tuple[str, str], tuple[str, str, bool]]:
    """(basename, action) → (HTTP method, URL name, detail) for every action the router serves."""
    routed = {}
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            for method, action in router.get_method_map(viewset, route.mapping).items():
                routed[basename, action] = (method, route.name.format(basename=basename), route.detail)
    return routed


ROUTED = routed_actions()


def endpoint(basename: str, action: str) -> tuple[str, str, bool]:
    """Method, URL name and detail flag of a table row, routed or not (a refused write)."""
    if (basename, action) in ROUTED:
        return ROUTED[basename, action]
    detail = action != "create"
    return UNROUTED[action], f"{basename}-{'detail' if detail else 'list'}", detail


# --- The world ------------------------------------------------------------------------------------------


@contextmanager
def rolled_back_for_the_module(django_db_blocker):
    """Data shared by the tests of a module: created in a transaction that ends rolled back. Each test's own
    `db` fixture then works in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()  # rate-limit counters of users that other modules' rolled-back tests left behind
        yield
        transaction.set_rollback(True)
        cache.clear()


def partner_keys(*, coordinator, partner) -> dict[str, str]:
    return {
        actor: api_key_issue(issued_by=coordinator, user=partner, name=actor, scopes=[scope])[1]
        for actor, scope in PARTNER_SCOPES.items()
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with rolled_back_for_the_module(django_db_blocker):
        yield build_world()


def build_world() -> dict:
    member_org = MemberFactory(name="Recyclerie du Val de Fensch", siren="732829320")
    other_org, third_org = MemberFactory(name="Aciérie de Florange"), MemberFactory(name="Menuiserie d'Algrange")
    site = SiteFactory(member=member_org, commune="Hayange")
    other_site, third_site = SiteFactory(member=other_org, commune="Florange"), SiteFactory(member=third_org)
    users = {
        "coordinator": UserFactory(coordinator=True, email="coordination@pole.test"),
        "partner": UserFactory(partner=True, email="ademe@partenaire.test"),
        "member": UserFactory(email="admin@recyclerie.test", member=member_org, member_role=MemberRole.ADMIN),
        "other_member": UserFactory(email="admin@acierie.test", member=other_org, member_role=MemberRole.ADMIN),
    }
    stream = StreamFactory(site=site, confidentiality=Confidentiality.PUBLIC)
    StreamFactory(site=other_site, direction=Direction.NEED)
    # A match that the member takes part in and the other member does not.
    match = MatchFactory(
        offer=stream, need=StreamFactory(site=third_site, direction=Direction.NEED), status=MatchStatus.INTRODUCED
    )
    channel = Channel.objects.create(name="Chaufferie bois de Fameck", min_annual_quantity=Decimal("800000"))
    channel.materials.set([Material.objects.get(code="wood.pallets")])
    run = MatchRun.objects.create(scope=RunScope.FULL, trigger=RunTrigger.SCHEDULE, status=RunStatus.SUCCEEDED)
    project = ProjectFactory(lead_member=member_org)
    _, member_key = api_key_issue(
        issued_by=users["member"], user=users["member"], name="ERP", scopes=list(ApiScope.values)
    )
    return {
        **users,
        "keys": {**partner_keys(coordinator=users["coordinator"], partner=users["partner"]), "member_key": member_key},
        "member_org": member_org,
        "site": site,
        "lookups": {
            "member": member_org.pk,
            "site": site.pk,
            "ewc-code": "15 01 03",
            "material": "wood.pallets",
            "unit": "t",
            "stream": stream.pk,
            "match-run": run.pk,
            "match": match.pk,
            "channel": channel.pk,
            "project": project.pk,
        },
    }


# --- Request bodies of the writes ------------------------------------------------------------------------


def declaration(world) -> dict:
    return {
        "site": world["site"].pk,
        "direction": "offer",
        "kind": "waste",
        "material": "wood.pallets",
        "ewc_code": "15 01 03",
        "description": "Palettes cassées",
        "quantity": "1.5",
        "unit": "t",
        "period": "month",
        "current_route": "landfill",
        "confidentiality": "members",
    }


def site_fields(world) -> dict:
    return {
        "name": "Atelier de Knutange",
        "siret": valid_siret(world["member_org"].siren, 50),
        "address": "2 rue des Forges",
        "postcode": "57240",
        "commune": "Knutange",
        "latitude": "49.338900",
        "longitude": "6.039400",
    }


def project_fields(world) -> dict:
    return {
        "title": "Chaufferie collective",
        "summary": "Mutualiser les palettes.",
        "kind": "energy",
        "lead_member": world["member_org"].pk,
        "commune": "Florange",
        "visibility": "members",
    }


CHANNEL = {"name": "Méthaniseur", "materials": ["wood.pallets"], "min_annual_quantity": "5000000", "radius_km": 25}
NEW_MEMBER = {"name": "Ressourcerie de Thionville", "kind": "ess_enterprise", "legal_form": "association"}
BODIES = {
    ("member", "create"): lambda w: {**NEW_MEMBER, "siren": valid_siren(4242)},
    ("member", "update"): lambda w: {
        "name": "Recyclerie du Val de Fensch",
        "kind": w["member_org"].kind,
        "legal_form": w["member_org"].legal_form,
        "siren": w["member_org"].siren,
        "description": "Collecte et réemploi.",
    },
    ("member", "partial_update"): lambda w: {"description": "Collecte et réemploi."},
    ("member", "archive"): lambda w: {},
    ("site", "create"): lambda w: {"member": w["member_org"].pk, **site_fields(w)},
    ("site", "update"): lambda w: {**site_fields(w), "siret": w["site"].siret, "is_main": True},
    ("site", "partial_update"): lambda w: {"name": "Atelier principal"},
    ("stream", "create"): declaration,
    ("stream", "update"): declaration,
    ("stream", "partial_update"): lambda w: {"description": "Palettes broyées"},
    ("channel", "create"): lambda w: CHANNEL,
    ("channel", "update"): lambda w: CHANNEL,
    ("channel", "partial_update"): lambda w: {"radius_km": 20},
    ("project", "create"): project_fields,
    ("project", "update"): project_fields,
    ("project", "partial_update"): lambda w: {"summary": "Mutualiser les palettes et les broyats."},
    ("project", "change_status"): lambda w: {"status": "feasibility"},
}


# --- Calls ----------------------------------------------------------------------------------------------


def client_for(actor: str, world) -> Client:
    if actor in world["keys"]:
        return Client(HTTP_AUTHORIZATION=f"Bearer {world['keys'][actor]}")
    client = Client()
    if actor != "anonymous":
        client.force_login(world[actor])
    return client


def call(actor: str, basename: str, action: str, world):
    method, url_name, detail = endpoint(basename, action)
    url = reverse(f"api:{url_name}", args=[world["lookups"][basename]] if detail else [])
    body = BODIES.get((basename, action), lambda w: None)(world)
    send = getattr(client_for(actor, world), method)
    if body is None:
        return send(url)
    return send(url, body, content_type="application/json")


CELLS = [
    pytest.param(basename, action, actor, status, id=f"{basename}-{action}-{actor}")
    for (basename, action), statuses in MATRIX.items()
    for actor, status in zip(ACTORS, statuses, strict=True)
]


@pytest.mark.parametrize(("basename", "action", "actor", "expected"), CELLS)
def test_each_actor_gets_the_status_the_table_gives_for_each_endpoint_and_action(
    world, db, basename, action, actor, expected
):
    response = call(actor, basename, action, world)

    assert response.status_code == expected, response.content[:500]


def test_every_routed_action_has_a_row():
    missing = sorted(set(ROUTED) - set(MATRIX))

    assert not missing, f"add these (basename, action) to MATRIX with the status each actor gets: {missing}"


def test_every_row_is_an_action_of_the_router_or_a_write_it_refuses():
    basenames = {basename for _prefix, _viewset, basename in router.registry}
    unknown = [key for key in MATRIX if key not in ROUTED and (key[0] not in basenames or key[1] not in UNROUTED)]

    assert not unknown
