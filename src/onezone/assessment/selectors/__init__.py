"""Every read the assessment's pages, exports and endpoints need.

Split by what is read: the targets (``targets``), the evaluation and its ranking (``ranking``), the
leadership dashboard (``dashboard``) and its safety panel (``safety``). Callers import from here.
"""

from onezone.assessment.selectors.dashboard import (
    DASHBOARD_FIGURES,
    Dashboard,
    DashboardFigure,
    Growth,
    dashboard,
    growth,
    reported_year,
)
from onezone.assessment.selectors.ranking import (
    Ranking,
    RankingRow,
    RankPoint,
    can_see_all_zones,
    evaluations_visible,
    rank_history,
    ranking,
    scheme_for_zone,
    scheme_nodes,
    scheme_tree,
    zone_value_rows,
    zone_values_for_evaluation,
)
from onezone.assessment.selectors.targets import (
    CENT,
    HolderScore,
    TargetRow,
    body_target_achievement,
    holder_ranking,
    target_rows,
    targets_of,
    year_elapsed,
)

__all__ = [
    "CENT",
    "DASHBOARD_FIGURES",
    "Dashboard",
    "DashboardFigure",
    "Growth",
    "HolderScore",
    "RankPoint",
    "Ranking",
    "RankingRow",
    "TargetRow",
    "body_target_achievement",
    "can_see_all_zones",
    "dashboard",
    "evaluations_visible",
    "growth",
    "holder_ranking",
    "rank_history",
    "ranking",
    "reported_year",
    "scheme_for_zone",
    "scheme_nodes",
    "scheme_tree",
    "target_rows",
    "targets_of",
    "year_elapsed",
    "zone_value_rows",
    "zone_values_for_evaluation",
]
