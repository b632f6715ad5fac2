"""Serializers of the matching API. Coordinators get the whole match; member users get what
`match_view_for` lets them see (only revealed matches, with the counterparts named)."""

from rest_framework import serializers

from members.api.fields import ChoiceLabelField

from ..match_selectors import match_view_for
from ..matches import Channel, Match, MatchParticipant, MatchRun
from ..models import Material


class MatchRunSerializer(serializers.ModelSerializer):
    scope_label = ChoiceLabelField(source="scope")
    trigger_label = ChoiceLabelField(source="trigger")
    status_label = ChoiceLabelField(source="status")
    is_finished = serializers.BooleanField(read_only=True)

    class Meta:
        model = MatchRun
        fields = [
            "id", "scope", "scope_label", "trigger", "trigger_label", "status", "status_label", "is_finished",
            "progress", "streams_loaded", "candidate_pairs", "matches_created", "matches_updated",
            "matches_obsoleted", "load_seconds", "engine_seconds", "save_seconds", "created_at", "started_at",
            "finished_at", "error",
        ]  # fmt: skip
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = MatchParticipant
        fields = ["member", "member_name", "answer", "answered_at"]
        read_only_fields = fields


class CriterionSerializer(serializers.Serializer):
    name = serializers.CharField()
    passed = serializers.BooleanField()
    score = serializers.FloatField()
    detail = serializers.DictField()


class MatchSerializer(serializers.ModelSerializer):
    """The coordinator's view of a match."""

    kind_label = ChoiceLabelField(source="kind")
    status_label = ChoiceLabelField(source="status")
    material = serializers.SlugRelatedField(slug_field="code", read_only=True)
    material_name = serializers.CharField(source="material.name", read_only=True)
    explanation = CriterionSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    streams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Match
        fields = [
            "id", "kind", "kind_label", "status", "status_label", "score", "material", "material_name", "offer",
            "need", "channel", "streams", "hub_site", "distance_km", "coverage", "total_quantity", "threshold",
            "near_miss", "tonnes_per_year", "co2e_avoided_t", "euros_saved", "actual_tonnes_per_year",
            "rejection_reason", "rejection_note", "explanation", "participants", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class CounterpartSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    name = serializers.CharField()
    communes = serializers.ListField(child=serializers.CharField())
    emails = serializers.ListField(child=serializers.EmailField())
    answer = serializers.CharField()
    answer_label = serializers.CharField()


class MemberMatchSerializer(serializers.Serializer):
    """A member user's view of a match they take part in, once introduced (see match_selectors)."""

    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    material_name = serializers.CharField()
    quantity_band = serializers.CharField()
    distance_band = serializers.CharField()
    tonnes_per_year = serializers.FloatField()
    co2e_avoided_t = serializers.FloatField()
    euros_saved = serializers.FloatField()
    revealed = serializers.BooleanField()
    own_answer = serializers.CharField()
    can_answer = serializers.BooleanField()
    counterparts = CounterpartSerializer(many=True)

    def to_representation(self, instance):
        view = match_view_for(user=self.context["request"].user, match=instance)
        return super().to_representation(view)


class ChannelSerializer(serializers.ModelSerializer):
    materials = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Material.objects.all())

    class Meta:
        model = Channel
        fields = [
            "id", "name", "description", "materials", "min_annual_quantity", "max_annual_quantity", "site",
            "radius_km", "is_active",
        ]  # fmt: skip
