"""Forms of the project pages. They check the shape of what is typed; the services decide what is allowed
(who may do it, which status may follow which, what a document may be) and their refusals land on these
forms' fields through `call_service`."""

from django import forms
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput
from members.models import Member, Site

from .enums import DocumentKind, ProjectStatus
from .models import BudgetLine, Funding, Indicator, Milestone, Project, ProjectParticipant

TEXTAREA_SMALL = forms.Textarea(attrs={"rows": 3})


def _members():
    return Member.objects.active().order_by("name")


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "summary", "kind", "lead_member", "visibility", "start_date", "end_date", "site", "commune"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5}), "start_date": DateInput(), "end_date": DateInput()}
        help_texts = {
            "lead_member": _("La structure porteuse est ajoutée aux participants avec le rôle « porteur »."),
            "site": _("Le site où le projet se déroule, s'il est chez un membre ; sinon, indiquez la commune."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_member"].queryset = _members()
        self.fields["site"].queryset = Site.objects.select_related("member").order_by("member__name", "name")
        self.fields["site"].label_from_instance = lambda site: f"{site.member.name} · {site.name} ({site.commune})"

    def clean(self):
        # Said next to the field here: the model's check constraint would only give its technical name.
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin précède la date de début."))
        return cleaned


class ParticipantForm(forms.ModelForm):
    """A participant and its role; once added, the member itself is not changed (remove and add instead)."""

    class Meta:
        model = ProjectParticipant
        fields = ["member", "role", "commitment"]
        widgets = {"commitment": TEXTAREA_SMALL}
        help_texts = {"commitment": _("Ce que la structure apporte : temps, locaux, matériel, financement…")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = _members()
        if self.instance.pk:
            self.fields["member"].disabled = True


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = ProjectParticipant
        fields = ["commitment"]
        widgets = {"commitment": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"commitment": _("Ce que votre structure apporte : temps, locaux, matériel, financement…")}


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "label", "amount"]


class FundingForm(forms.ModelForm):
    class Meta:
        model = Funding
        fields = [
            "source", "funder_name", "amount_requested", "amount_granted", "amount_received",
            "requested_on", "granted_on", "received_on", "notes",
        ]  # fmt: skip
        widgets = {
            "requested_on": DateInput(),
            "granted_on": DateInput(),
            "received_on": DateInput(),
            "notes": TEXTAREA_SMALL,
        }
        help_texts = {"funder_name": _("Par exemple « Région Grand Est — Climaxion »."), "amount_granted": _("Vide tant que la décision n'est pas connue.")}  # fmt: skip


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "done_on", "owner"]
        widgets = {"due_date": DateInput(), "done_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A milestone is owned by the lead or a participant of its project.
        project = self.instance.project
        involved = Q(project_participations__project=project) | Q(pk=project.lead_member_id)
        self.fields["owner"].queryset = Member.objects.filter(involved).distinct().order_by("name")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["kind", "label", "unit", "year", "target", "actual"]
        help_texts = {"label": _("Obligatoire pour un indicateur libre."), "unit": _("Par exemple t, ETP, €.")}


class DocumentForm(forms.Form):
    """Title, type and file; the size and the content of the file are checked by `document_upload`, whose
    refusals are shown next to the file field."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Fichier"))

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, documents bureautiques (odt, docx, ods, xlsx…), CSV, texte ou image ; %(size)s au plus."
        ) % {"size": filesizeformat(max_bytes)}


class CommentForm(forms.Form):
    message = forms.CharField(label=_("Ajouter un commentaire"), widget=TEXTAREA_SMALL, max_length=5000)


class StatusChangeForm(forms.Form):
    """The new status of a project. Every status passes the form: the service refuses the transitions that
    are not allowed, with a message that says why; the select only offers the allowed ones."""

    to_status = forms.ChoiceField(label=_("Nouveau statut"), choices=ProjectStatus.choices)
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(),
        help_text=_("Obligatoire pour un abandon."),
    )

    def __init__(self, *args, allowed: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            labels = dict(ProjectStatus.choices)
            self.fields["to_status"].widget.choices = [(status, labels[status]) for status in allowed]


class LinkMatchForm(forms.Form):
    match = forms.IntegerField(
        label=_("Numéro de la mise en relation"),
        min_value=1,
        help_text=_("Le numéro figure dans l'adresse de la page de la mise en relation."),
    )
