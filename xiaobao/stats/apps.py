from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "xiaobao.stats"
    verbose_name = "统计"
