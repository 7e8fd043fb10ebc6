"""Who may do what with surveys, asked of the one Scope (X-3).

- A campaign belongs to its unit: readers of that unit read it, its themes, every answer and the
  tabulation; writers of the unit create and edit campaigns and themes.
- A theme's lead department keeps its questionnaires, sends them and reopens answers: a writer
  of the campaign's unit whose grant reaches that department (a unit-wide writer too).
- A surveyed unit's writers fill and submit its answer; its readers (and those above it) read
  it. They see nothing else of the campaign.
"""

from __future__ import annotations

from doanvu.accounts.models import PermissionKind
from doanvu.accounts.scope import READ, Scope

from .models import Campaign, Response, Theme

WRITE = PermissionKind.WRITE.value


def can_read_campaign(scope: Scope, campaign: Campaign) -> bool:
    return scope.can(READ, campaign.unit)


def can_manage_campaign(scope: Scope, campaign: Campaign) -> bool:
    return scope.can(WRITE, campaign.unit)


def can_lead(scope: Scope, theme: Theme) -> bool:
    return scope.can(WRITE, theme.campaign.unit, department_id=theme.lead_department_id)


def can_read_response(scope: Scope, response: Response) -> bool:
    return (scope.can(READ, response.unit)
            or scope.can(READ, response.questionnaire.theme.campaign.unit))


def can_answer(scope: Scope, response: Response) -> bool:
    return scope.can(WRITE, response.unit)
