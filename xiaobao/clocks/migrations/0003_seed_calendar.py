from django.db import migrations


def forwards(apps, schema_editor):
    import chinese_calendar

    from xiaobao.clocks.seeding import days_from_chinesecalendar

    CalendarYear = apps.get_model("clocks", "CalendarYear")
    CalendarDay = apps.get_model("clocks", "CalendarDay")
    years = sorted({d.year for d in chinese_calendar.holidays})
    rows = []
    for year in years:
        CalendarYear.objects.update_or_create(
            year=year, defaults={"published": True, "source": f"chinesecalendar {chinese_calendar.__version__}"})
        rows += [CalendarDay(date=d, kind=kind, name=name) for d, kind, name in days_from_chinesecalendar(year)]
    CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("clocks", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
