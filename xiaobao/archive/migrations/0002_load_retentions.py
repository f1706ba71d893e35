from django.db import migrations

BASIS = ("《机关文件材料归档范围和文书档案保管期限规定》（国家档案局令第8号）：文书档案保管期限分为永久、"
         "定期30年、定期10年。")
RETENTIONS = [
    ("permanent", "永久", None, BASIS + "具有长期查考利用价值的重大、典型案件（如典型案例）永久保存。", []),
    ("30y", "定期30年", 30, BASIS + "立案查处的举报及其他需较长时间查考的件保管30年。", ["report"]),
    ("10y", "定期10年", 10, BASIS + "一般投诉、咨询件保管10年。", ["complaint", "inquiry"]),
]


def forwards(apps, schema_editor):
    Retention = apps.get_model("archive", "Retention")
    for sort, (code, label, years, basis, default_for) in enumerate(RETENTIONS):
        Retention.objects.update_or_create(code=code, defaults={
            "label": label, "years": years, "basis": basis, "default_for": default_for, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
