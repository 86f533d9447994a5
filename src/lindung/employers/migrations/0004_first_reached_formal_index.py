"""The day outreach first reached each employer, and the index formal coverage reads."""

from django.db import migrations, models
from django.db.models import Min


def backfill(apps, schema_editor):
    Employer = apps.get_model("employers", "Employer")
    Action = apps.get_model("employers", "Action")
    firsts = (
        Action.objects.exclude(outcome="absent")
        .values("employer_id")
        .annotate(day=Min("done_on"))
        .order_by()
    )
    for row in firsts.iterator():
        Employer.objects.filter(pk=row["employer_id"]).update(first_reached_on=row["day"])


class Migration(migrations.Migration):
    dependencies = [("employers", "0003_worklist_indexes")]

    operations = [
        migrations.AddField(
            model_name="employer",
            name="first_reached_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="pertama dijangkau"
            ),
        ),
        migrations.AddField(
            model_name="historicalemployer",
            name="first_reached_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="pertama dijangkau"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="employer",
            index=models.Index(
                fields=["province_code", "regency_code", "district_code"],
                include=[
                    "village_id",
                    "kbli_section",
                    "size_class",
                    "compliance",
                    "total_workers",
                    "registered_workers",
                    "registration_as_of",
                    "workers_as_of",
                    "closed_on",
                    "first_reached_on",
                ],
                name="employer_formal",
            ),
        ),
    ]
