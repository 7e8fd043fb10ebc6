"""The hub: obligations and deadlines (X-5, HUB-1…6).

How another module uses it — always through doanvu.hub.services, never the tables:

    from doanvu.hub import rules, services

    # an obligation from a policy record (the numbers live in DeadlinePolicy, issued by a unit)
    services.obligation_create(
        actor=request.user, kind="ins.department_report", policy_code="ins.department_report",
        title="Báo cáo sau kiểm tra tại Quận đoàn 1", owed_by_unit=team_unit,
        owed_by_department=dept, owed_to_unit=upper, owed_to_department=kiem_tra,
        events={"inspection_end": inspection.end_date}, period=Period.of_year(2020),
        source=inspection, source_label=str(inspection), key=f"ins:{inspection.pk}:report",
    )
    # or from a rule the module builds from its own record (never from constants in code)
    rules.DueRule.before(plan.lead_days, "slot", "lịch kiểm tra")

    services.obligation_reschedule(...)  # the event moved: the due date follows
    services.obligation_submit / obligation_accept / obligation_return / obligation_waive
    services.calendar_entry_create(unit=…, title=…, kind="inspection", start=…, source=obj)

A rule that cannot resolve yet (the event has no date) is refused with the reason; create the
obligation once the date is known. With `key`, creating again returns the existing obligation.
A module that may not import the hub (documents, its sibling engine) sends
common.signals.obligations_requested instead; hub.receivers creates the obligations.
Timeliness for scoring: selectors.unit_timeliness(unit=…, kind=…, period=…, as_of=…).
Dashboard panels: doanvu.hub.dashboard.register_panel.
"""
