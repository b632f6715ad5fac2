"""Forms of the matching pages: lifecycle actions on a match, notes, answers, channels and CO2e factors."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Site

from .enums import MatchStatus, RejectionReason, Route
from .matches import Channel
from .models import Material

CHANNEL_UNITS = {"t": Decimal("1000"), "kg": Decimal("1"), "MWh": Decimal("1000")}


class TransitionForm(forms.Form):
    status = forms.ChoiceField(choices=MatchStatus.choices, widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=_("Motif"), choices=[("", "—"), *RejectionReason.choices], required=False)
    note = forms.CharField(label=_("Précisions"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    actual_tonnes_per_year = forms.FloatField(
        label=_("Tonnes réellement échangées par an"), min_value=0, required=False
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Ajouter une note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=150)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    materials = forms.ModelMultipleChoiceField(
        label=_("Matières acceptées"),
        queryset=Material.objects.order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Une famille accepte aussi ses sous-catégories."),
    )
    min_quantity = forms.DecimalField(
        label=_("Seuil de viabilité par an"), min_value=0, max_digits=16, decimal_places=3
    )
    max_quantity = forms.DecimalField(
        label=_("Capacité maximale par an"), min_value=0, max_digits=16, decimal_places=3, required=False
    )
    unit = forms.ChoiceField(label=_("Unité"), choices=[(code, code) for code in CHANNEL_UNITS], initial="t")
    site = forms.ModelChoiceField(
        label=_("Site du débouché"),
        queryset=Site.objects.select_related("member").order_by("member__name", "name"),
        required=False,
        help_text=_("Vide : n'importe où dans le pôle."),
    )
    radius_km = forms.IntegerField(label=_("Rayon de collecte (km)"), min_value=1, initial=30)
    is_active = forms.BooleanField(label=_("Actif"), required=False, initial=True)

    def __init__(self, *args, channel: Channel | None = None, **kwargs):
        if channel is not None:
            kwargs.setdefault("initial", channel_initial(channel))
        super().__init__(*args, **kwargs)
        self.fields["site"].label_from_instance = lambda site: f"{site.member.name} · {site.name} ({site.commune})"

    def service_fields(self) -> dict:
        data, factor = self.cleaned_data, CHANNEL_UNITS[self.cleaned_data["unit"]]
        return {
            "name": data["name"],
            "description": data["description"],
            "materials": list(data["materials"]),
            "min_annual_quantity": data["min_quantity"] * factor,
            "max_annual_quantity": data["max_quantity"] * factor if data["max_quantity"] is not None else None,
            "site": data["site"],
            "radius_km": data["radius_km"],
            "is_active": data["is_active"],
        }


def channel_initial(channel: Channel) -> dict:
    """Base units shown back in t (or MWh for energy), the unit people think in."""
    energy = any(material.dimension == "energy" for material in channel.materials.all())
    unit = "MWh" if energy else "t"
    factor = CHANNEL_UNITS[unit]
    return {
        "name": channel.name,
        "description": channel.description,
        "materials": list(channel.materials.all()),
        "min_quantity": (channel.min_annual_quantity / factor).normalize(),
        "max_quantity": (channel.max_annual_quantity / factor).normalize() if channel.max_annual_quantity else None,
        "unit": unit,
        "site": channel.site,
        "radius_km": channel.radius_km,
        "is_active": channel.is_active,
    }


class EmissionFactorForm(forms.Form):
    family = forms.ChoiceField(label=_("Famille de matières"))
    route = forms.ChoiceField(label=_("Devenir actuel évité"))
    kg_co2e_per_tonne = forms.FloatField(
        label=_("kg CO2e évités par tonne"),
        min_value=0,
        help_text=_("Par MWh pour la famille énergie. Le transport est déduit à part (0,1 kg CO2e par t·km)."),
    )
    source = forms.CharField(label=_("Source"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, family_choices, factor=None, **kwargs):
        if factor is not None:
            kwargs.setdefault(
                "initial",
                {
                    "family": factor.family,
                    "route": factor.route,
                    "kg_co2e_per_tonne": factor.kg_co2e_per_tonne,
                    "source": factor.source,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["family"].choices = family_choices
        self.fields["route"].choices = [
            (value, label) for value, label in Route.choices if value != Route.LOCAL_VALORISATION
        ]
