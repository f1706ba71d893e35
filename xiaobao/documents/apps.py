from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "xiaobao.documents"
    verbose_name = "文书"
