from django.db import migrations, models


def load_places(apps, schema_editor):
    """The gazetteer as of issue 19: 开发区 as its own kind, short subdistrict names, roads across subdistricts."""
    from xiaobao.routing.data.gazetteer import PLACES, ROADS_ACROSS

    Place = apps.get_model("routing", "Place")
    for name, kind, unit_code in PLACES:
        Place.objects.update_or_create(name=name, defaults={"kind": kind, "unit_code": unit_code})
    for name, codes in ROADS_ACROSS.items():
        Place.objects.filter(name=name).update(unit_code=codes[0], also_in=codes[1:])


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="place",
            name="also_in",
            field=models.JSONField(blank=True, default=list, verbose_name="跨越的其他辖区所"),
        ),
        migrations.AlterField(
            model_name="place",
            name="kind",
            field=models.CharField(choices=[("street", "街道"), ("town", "镇"), ("zone", "开发区"), ("road", "道路"), ("community", "社区/村"), ("market", "市场"), ("landmark", "地标")], max_length=20, verbose_name="类型"),
        ),
        migrations.RunPython(load_places, migrations.RunPython.noop),
    ]
