from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "xiaobao.archive"
    verbose_name = "归档"
