from django.db import migrations


def forwards(apps, schema_editor):
    from xiaobao.knowledge.search import index
    from xiaobao.knowledge.starter import STARTER_ANSWERS

    Answer = apps.get_model("knowledge", "Answer")
    for row in STARTER_ANSWERS:
        if Answer.objects.filter(question=row["question"]).exists():
            continue
        answer = Answer(active=True, **row)
        answer.tokens = index(answer)
        answer.save()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
