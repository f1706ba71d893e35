from django.db import migrations, models


def load_places(apps, schema_editor):
    from xiaobao.routing.data.gazetteer import PLACES

    Place = apps.get_model("routing", "Place")
    for name, kind, unit_code in PLACES:
        Place.objects.update_or_create(name=name, defaults={"kind": kind, "unit_code": unit_code})


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Place",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, unique=True, verbose_name="地名")),
                ("kind", models.CharField(choices=[("street", "街道"), ("town", "镇"), ("road", "道路"), ("community", "社区/村"), ("market", "市场"), ("landmark", "地标")], max_length=20, verbose_name="类型")),
                ("unit_code", models.SlugField(max_length=40, verbose_name="辖区所代码")),
                ("active", models.BooleanField(default=True, verbose_name="启用")),
            ],
            options={"verbose_name": "地名辖区", "verbose_name_plural": "地名辖区", "ordering": ["unit_code", "name"]},
        ),
        migrations.CreateModel(
            name="RoutingModelState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("trained_at", models.DateTimeField(auto_now_add=True, verbose_name="训练时间")),
                ("samples", models.PositiveIntegerField(verbose_name="样本数")),
                ("data", models.JSONField()),
            ],
            options={"verbose_name": "分流模型", "verbose_name_plural": "分流模型", "ordering": ["-trained_at"]},
        ),
        migrations.RunPython(load_places, migrations.RunPython.noop),
    ]
