from django.core.management.base import BaseCommand

from xiaobao.demo.generate import generate


class Command(BaseCommand):
    help = "批量生成逼真的演示件（基准测试、压力测试用）：件、当事人、办理记录、期限和中止，按随机种子可重现。"

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, required=True, help="生成的件数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子：相同种子、相同数据库得到相同的件")
        parser.add_argument("--years", type=int, default=3, help="接收时间分布在最近几年")
        parser.add_argument("--batch", type=int, default=5000, help="每批写入的件数")

    def handle(self, *args, items: int, seed: int, years: int, batch: int, **options):
        step = max(batch, items // 20)

        def progress(done: int, total: int, seconds: float) -> None:
            if done % step < batch or done == total:
                self.stdout.write(f"  已生成 {done:,}/{total:,} 件（{seconds:.1f} s，{done / seconds:,.0f} 件/s）")
                self.stdout.flush()

        result = generate(items=items, seed=seed, years=years, batch=batch, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"已生成 {result['items']:,} 件，用时 {result['seconds']} s；库中共有办理记录 {result['events']:,} 条、"
            f"期限 {result['clocks']:,} 项。"))
