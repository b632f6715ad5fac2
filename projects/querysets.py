from decimal import Decimal

from django.db import models
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .enums import ProjectVisibility

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def _sum_of(model_name: str, field: str):
    """Sum of one child table's column per project, as a subquery: joining two child tables at once would
    multiply rows and inflate both sums."""
    from django.apps import apps

    model = apps.get_model("projects", model_name)
    total = (
        model.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=DecimalField(max_digits=14, decimal_places=2)), ZERO)


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What each role may read.

        - coordinators: every project;
        - member users: public and members-only projects, and any project their organisation takes part in;
        - partners and anyone else: public projects only.
        """
        if user.is_coordinator:
            return self
        if user.member_id:
            involved = Q(participants__member_id=user.member_id) | Q(lead_member_id=user.member_id)
            shared = Q(visibility__in=[ProjectVisibility.PUBLIC, ProjectVisibility.MEMBERS])
            involved_ids = self.model.objects.filter(involved).values("pk")
            return self.filter(shared | Q(pk__in=involved_ids))
        return self.filter(visibility=ProjectVisibility.PUBLIC)

    def with_totals(self):
        """Budget and funding figures, computed and never typed: the gap is what the budget still lacks
        once the granted amounts are counted."""
        return self.annotate(
            budget_total=_sum_of("BudgetLine", "amount"),
            funding_requested=_sum_of("Funding", "amount_requested"),
            funding_granted=_sum_of("Funding", "amount_granted"),
            funding_received=_sum_of("Funding", "amount_received"),
        ).annotate(funding_gap=F("budget_total") - F("funding_granted"))

    def with_overdue_milestones(self):
        from .models import Milestone

        overdue = Milestone.objects.overdue().filter(project=OuterRef("pk"))
        return self.annotate(has_overdue_milestone=models.Exists(overdue))

    def involving(self, member_id: int):
        return self.filter(Q(participants__member_id=member_id) | Q(lead_member_id=member_id)).distinct()


class MilestoneQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())
