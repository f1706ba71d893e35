from django.core.management.base import BaseCommand

from xiaobao.routing.models import RoutingModelState
from xiaobao.routing.training import category_samples, fit, training_samples


class Command(BaseCommand):
    help = "用本局以往的分流决定训练分流建议模型（可由 cron 定期运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=50_000, help="最多使用最近多少件")
        parser.add_argument("--keep", type=int, default=5, help="保留最近几个模型")

    def handle(self, *args, limit: int, keep: int, **options):
        samples = training_samples(limit)
        categorized = category_samples(limit)
        if not samples and not categorized:
            self.stdout.write("没有可用于训练的分流记录，建议仍按规则给出。")
            return
        data = fit(samples)
        # The same kind of model, over facts and the categories clerks gave (read when an item comes without one).
        data["categories"] = fit(categorized) if categorized else None
        RoutingModelState.objects.create(samples=len(samples), data=data)
        for old in RoutingModelState.objects.all()[keep:]:
            old.delete()
        self.stdout.write(self.style.SUCCESS(f"分流模型已训练：{len(samples)} 件分流记录，{len(categorized)} 件类别记录。"))
