"""MEM-5: the number of months a year a branch must meet to count as "meets regularly"."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="memberspolicy",
            name="regular_meeting_min_months",
            field=models.PositiveSmallIntegerField(
                default=12,
                help_text="Chi đoàn được coi là sinh hoạt đều đặn khi có sinh hoạt chi đoàn ít "
                "nhất số tháng này trong năm (kỳ ngắn hơn: tính theo tỉ lệ, làm tròn lên).",
                verbose_name="số tháng sinh hoạt tối thiểu trong năm",
            ),
        ),
    ]
