"""The shapes of the statistics, for the OpenAPI schema of `/api/v1/stats/` (documentation only: the views
return the dicts of `ptce.stats` as they are, which the tests compare with these shapes)."""

from rest_framework import serializers as s


class StatsPeriodSerializer(s.Serializer):
    start = s.DateField()
    end = s.DateField()
    year = s.IntegerField(allow_null=True, help_text="Set when the period is a calendar year.")
    previous_start = s.DateField()
    previous_end = s.DateField()


class StatsTerritorySerializer(s.Serializer):
    communes = s.ListField(child=s.CharField())
    department = s.CharField(allow_null=True)
    bbox = s.ListField(child=s.FloatField(), allow_null=True, help_text="min_lon, min_lat, max_lon, max_lat")


class StatsMaskingSerializer(s.Serializer):
    applies = s.BooleanField(help_text="False for the coordination, who sees every figure.")
    min_members = s.IntegerField(help_text="Buckets built from fewer members are masked.")


class StatsFiltersSerializer(s.Serializer):
    period = StatsPeriodSerializer()
    territory = StatsTerritorySerializer()
    masking = StatsMaskingSerializer()


class StatsMaskedSerializer(s.Serializer):
    members = s.IntegerField(
        allow_null=True,
        help_text="Distinct members behind the figures; null when masked, and for the coordination, to whom nothing "
        "is masked (not counted).",
    )
    masked = s.BooleanField()
    masked_reason = s.CharField(help_text="Empty when nothing is masked.")


class StatsTotalMaskSerializer(s.Serializer):
    masked = s.BooleanField(help_text="True when masked buckets are left out of the total.")
    masked_buckets = s.IntegerField()


class StatsKpiSerializer(s.Serializer):
    code = s.CharField()
    label = s.CharField()
    unit = s.CharField()
    value = s.FloatField(allow_null=True, help_text="At the end of the period; null when masked.")
    previous = s.FloatField(allow_null=True, help_text="At the end of the previous period.")
    change = s.FloatField(allow_null=True)
    masked = s.BooleanField()
    masked_reason = s.CharField()


class StatsSummarySerializer(StatsFiltersSerializer):
    kpis = StatsKpiSerializer(many=True)


class StatsFlowRowSerializer(StatsMaskedSerializer):
    family = s.CharField()
    family_name = s.CharField()
    dimension = s.ChoiceField(choices=["mass", "energy"])
    unit = s.ChoiceField(choices=["t", "MWh"])
    route = s.CharField()
    route_label = s.CharField()
    quantity = s.FloatField(allow_null=True, help_text="Per year, in `unit`.")
    offers = s.IntegerField(allow_null=True)


class StatsRouteTotalSerializer(s.Serializer):
    route = s.CharField()
    label = s.CharField()
    tonnes = s.FloatField(allow_null=True)
    masked_buckets = s.IntegerField()


class StatsFlowsSerializer(StatsFiltersSerializer):
    rows = StatsFlowRowSerializer(many=True)
    routes = StatsRouteTotalSerializer(many=True)
    total_tonnes = s.FloatField(allow_null=True)
    local_tonnes = s.FloatField(allow_null=True)
    local_percent = s.FloatField(allow_null=True)
    masked = s.BooleanField()
    masked_buckets = s.IntegerField()


class StatsImpactRowSerializer(StatsMaskedSerializer):
    kind = s.CharField()
    label = s.CharField()
    implemented = s.IntegerField(allow_null=True)
    tonnes_per_year = s.FloatField(allow_null=True)
    co2e_avoided_t = s.FloatField(allow_null=True)
    euros_saved = s.IntegerField(allow_null=True)


class StatsImpactTotalSerializer(StatsTotalMaskSerializer):
    implemented = s.IntegerField(allow_null=True)
    tonnes_per_year = s.FloatField(allow_null=True)
    co2e_avoided_t = s.FloatField(allow_null=True)
    euros_saved = s.IntegerField(allow_null=True)


class StatsImpactSerializer(StatsFiltersSerializer):
    by_kind = StatsImpactRowSerializer(many=True)
    total = StatsImpactTotalSerializer()


class StatsCountRowSerializer(StatsMaskedSerializer):
    label = s.CharField()
    count = s.IntegerField(allow_null=True)


class StatsKindCountSerializer(StatsCountRowSerializer):
    kind = s.CharField()


class StatsCollegeCountSerializer(StatsCountRowSerializer):
    college = s.IntegerField(allow_null=True)


class StatsCountTotalSerializer(StatsTotalMaskSerializer):
    count = s.IntegerField(allow_null=True)


class StatsMembersSerializer(StatsFiltersSerializer):
    by_kind = StatsKindCountSerializer(many=True)
    by_college = StatsCollegeCountSerializer(many=True)
    total = StatsCountTotalSerializer()


class StatsJobFiguresSerializer(s.Serializer):
    permanent_fte = s.FloatField(allow_null=True)
    insertion_fte = s.FloatField(allow_null=True)
    permanent_headcount = s.FloatField(allow_null=True)
    insertion_headcount = s.FloatField(allow_null=True)


class StatsJobRowSerializer(StatsMaskedSerializer, StatsJobFiguresSerializer):
    kind = s.CharField()
    label = s.CharField()


class StatsJobTotalSerializer(StatsTotalMaskSerializer, StatsJobFiguresSerializer):
    pass


class StatsJobsSerializer(StatsFiltersSerializer):
    year = s.IntegerField()
    by_kind = StatsJobRowSerializer(many=True)
    total = StatsJobTotalSerializer()


class StatsStatusCountSerializer(StatsCountRowSerializer):
    status = s.CharField()


class StatsFundingFiguresSerializer(s.Serializer):
    requested = s.FloatField(allow_null=True)
    granted = s.FloatField(allow_null=True)
    received = s.FloatField(allow_null=True)


class StatsFundingRowSerializer(StatsMaskedSerializer, StatsFundingFiguresSerializer):
    source = s.CharField()
    label = s.CharField()


class StatsFundingTotalSerializer(StatsTotalMaskSerializer, StatsFundingFiguresSerializer):
    pass


class StatsProjectsSerializer(StatsFiltersSerializer):
    by_status = StatsStatusCountSerializer(many=True)
    by_source = StatsFundingRowSerializer(many=True)
    open_projects = StatsCountTotalSerializer()
    funding = StatsFundingTotalSerializer()


class StatsStageSerializer(StatsMaskedSerializer):
    status = s.CharField()
    label = s.CharField()
    current = s.IntegerField(allow_null=True, help_text="Matches now at this stage.")
    reached = s.IntegerField(allow_null=True, help_text="Matches now at this stage or a later one.")


class StatsReasonSerializer(s.Serializer):
    reason = s.CharField()
    label = s.CharField()
    count = s.IntegerField()


class StatsRejectedSerializer(StatsMaskedSerializer):
    count = s.IntegerField(allow_null=True)
    reasons = StatsReasonSerializer(many=True)


class StatsFunnelKindSerializer(s.Serializer):
    kind = s.CharField()
    label = s.CharField()
    stages = StatsStageSerializer(many=True)
    rejected = StatsRejectedSerializer()


class StatsFunnelSerializer(StatsFiltersSerializer):
    kinds = StatsFunnelKindSerializer(many=True)


class StatsSankeyNodeSerializer(s.Serializer):
    id = s.CharField(help_text="`family:<code>`, `route:<route>` or `member:<id>`.")
    label = s.CharField()
    layer = s.IntegerField(help_text="0 families, 1 current routes, 2 receiving members (coordination only).")


class StatsSankeyLinkSerializer(s.Serializer):
    source = s.CharField()
    target = s.CharField()
    tonnes = s.FloatField()


class StatsSankeySerializer(StatsFiltersSerializer):
    nodes = StatsSankeyNodeSerializer(many=True)
    links = StatsSankeyLinkSerializer(many=True)
    masked = s.BooleanField()
    masked_links = s.IntegerField(help_text="Links left out because fewer than 3 members are behind them.")


class StatsTrendPointSerializer(s.Serializer):
    year = s.IntegerField()
    members = s.IntegerField(allow_null=True)
    tonnes_diverted = s.FloatField(allow_null=True)
    permanent_fte = s.FloatField(allow_null=True)
    insertion_fte = s.FloatField(allow_null=True)
    masked = s.BooleanField()


class StatsTrendsSerializer(StatsFiltersSerializer):
    years = StatsTrendPointSerializer(many=True)


class StatsGeometrySerializer(s.Serializer):
    type = s.ChoiceField(choices=["Point", "LineString"])
    coordinates = s.JSONField(help_text="[longitude, latitude], or a list of them for a line.")


class StatsFeatureSerializer(s.Serializer):
    type = s.ChoiceField(choices=["Feature"])
    geometry = StatsGeometrySerializer()
    properties = s.DictField(help_text="See the endpoint's description.")


class StatsFeatureCollectionSerializer(s.Serializer):
    type = s.ChoiceField(choices=["FeatureCollection"])
    features = StatsFeatureSerializer(many=True)
    period = StatsPeriodSerializer()
    territory = StatsTerritorySerializer()
