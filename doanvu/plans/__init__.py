"""Plans (kế hoạch, chương trình): PLAN-1 … PLAN-3 of issue 14."""
