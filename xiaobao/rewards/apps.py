from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "xiaobao.rewards"
    verbose_name = "举报奖励"
